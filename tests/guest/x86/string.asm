; mode: 32
; MOVS STOS LODS CMPS SCAS with and without REP/REPE/REPNE, both directions, the
; count and pointer registers after the run, flags of the last comparison; REP with
; ECX = 0 changes nothing; a long REP MOVSD/STOSD (the fast path) across a page.
    bits 32
    org 0x1000
%include "lib.inc"

    cld
    mov esi, src
    mov edi, dst
    mov ecx, 5
    rep movsb
    CHECK ecx, 0
    CHECK esi, src + 5
    CHECK edi, dst + 5
    CHECK dword [dst], 'hell'
    CHECK byte [dst + 4], 'o'

    mov edi, buf
    mov eax, 0xabcd1234
    mov ecx, 3
    rep stosd
    CHECK dword [buf + 8], 0xabcd1234
    CHECK edi, buf + 12

    std
    mov esi, src + 4
    lodsb
    CHECK al, 'o'
    CHECK esi, src + 3
    cld

    ; REPE CMPSB stops after the first difference
    mov esi, src
    mov edi, other
    mov ecx, 10
    repe cmpsb
    CHECKF ZF|CF, CF                ; 'l' < 'p'
    CHECK ecx, 6
    CHECK esi, src + 4

    ; REPNE SCASB finds the byte
    mov edi, src
    mov al, 'o'
    mov ecx, 100
    repne scasb
    CHECKF ZF, ZF
    CHECK edi, src + 5
    CHECK ecx, 95

    ; ECX = 0: nothing happens, flags kept
    SETF CF
    xor ecx, ecx
    SETF CF
    mov edi, src
    repe scasb
    CHECKF ARITH, CF
    CHECK edi, src

    ; a long copy and fill crossing pages
    mov edi, 0x100000
    mov eax, 0x5a5a5a5a
    mov ecx, 0x3000 / 4
    rep stosd
    CHECK edi, 0x103000
    mov esi, 0x100000
    mov edi, 0x110004
    mov ecx, 0x2ffc / 4
    rep movsd
    CHECK dword [0x112ffc], 0x5a5a5a5a
    CHECK dword [0x110000], 0
    ; backwards overlapping copy (STD)
    std
    mov esi, src + 4
    mov edi, src + 5
    mov ecx, 5
    rep movsb
    cld
    CHECK dword [src], 'hhel'
    PASS

src: db "hello world", 0
other: db "help"
dst: times 16 db 0
buf: times 16 db 0
