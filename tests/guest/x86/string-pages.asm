; mode: 32
; REP string instructions over several pages, where the helpers work a page at a time
; from host memory (helper-string.c rep_fast, rep_load): backward REP MOVSD/STOSD (DF = 1),
; a backward copy that moves a block up over itself (memmove: Linux's decompressor) and
; one that moves it down (which replicates the top element, as element by element),
; REPE CMPSD and REPNE SCASB whose stop is on a later page, REP LODSD across pages.
; Checked: the memory, ESI/EDI/ECX after the run and the flags of the last comparison.
    bits 32
    org 0x1000
%include "lib.inc"

%define A 0x100000                      ; 3 pages of the pattern i * 0x01010101 + 7
%define B 0x120000                      ; backward copy target
%define C 0x130000                      ; overlapping moves
%define D 0x140000                      ; compares and scans
%define N (0x3000 / 4)
%define PAT(i) (((i) * 0x01010101 + 7) & 0xffffffff)

; FILL base: the dword pattern over 3 pages (forward STOSD would not give indices)
%macro FILL 1
    mov edi, %1
    xor ecx, ecx
%%l:
    imul eax, ecx, 0x01010101
    add eax, 7
    mov [edi + ecx * 4], eax
    inc ecx
    cmp ecx, N
    jne %%l
%endmacro

    cld
    FILL A

    ; backward copy of 3 pages, not overlapping
    std
    mov esi, A + 0x3000 - 4
    mov edi, B + 0x3000 - 4
    mov ecx, N
    rep movsd
    cld
    CHECK ecx, 0
    CHECK esi, A - 4
    CHECK edi, B - 4
    CHECK dword [B], 7
    CHECK dword [B + 0x1ffc], PAT(0x7ff)
    CHECK dword [B + 0x2ffc], PAT(N - 1)

    ; a block moved up by one dword over itself, backward (memmove)
    FILL C
    std
    mov esi, C + 0x3000 - 8
    mov edi, C + 0x3000 - 4
    mov ecx, N - 1
    rep movsd
    cld
    CHECK dword [C + 4], 7
    CHECK dword [C + 0x1000], PAT(0x3ff)
    CHECK dword [C + 0x2ffc], PAT(N - 2)
    CHECK edi, C

    ; a block moved down by one dword, backward: each element reads the one just
    ; written, so the top element fills the block
    FILL C
    std
    mov esi, C + 0x3000 - 4
    mov edi, C + 0x3000 - 8
    mov ecx, N - 1
    rep movsd
    cld
    CHECK dword [C], PAT(N - 1)
    CHECK dword [C + 0x1800], PAT(N - 1)
    CHECK dword [C + 0x2ffc], PAT(N - 1)
    CHECK esi, C
    CHECK edi, C - 4

    ; backward fill of 2 pages and a bit
    std
    mov edi, D + 0x2400
    mov eax, 0xc0ffee11
    mov ecx, 0x2400 / 4 + 1
    rep stosd
    cld
    CHECK edi, D - 4
    CHECK dword [D], 0xc0ffee11
    CHECK dword [D + 0x1ffc], 0xc0ffee11
    CHECK dword [D + 0x2400], 0xc0ffee11
    CHECK dword [D + 0x2404], 0

    ; REPE CMPSD: A and B are equal up to a change on their third page
    mov dword [B + 0x2104], 0
    mov esi, A
    mov edi, B
    mov ecx, N
    repe cmpsd
    CHECKF ZF|CF, 0                     ; A's element is above 0
    CHECK esi, A + 0x2108
    CHECK ecx, N - 0x2108 / 4

    ; REPNE SCASB from the fill (bytes 11 ee ff c0) to a byte two pages on
    mov byte [D + 0x2ff0], 0x77
    mov edi, D + 0x1800
    mov al, 0x77
    mov ecx, 0x2000
    repne scasb
    CHECKF ZF, ZF
    CHECK edi, D + 0x2ff1
    CHECK ecx, 0x2000 - (0x2ff1 - 0x1800)

    ; REP LODSD across pages: EAX is the last element
    mov esi, A + 0xff8
    mov ecx, 4
    rep lodsd
    CHECK eax, PAT(0x401)
    CHECK esi, A + 0x1008
    PASS
