; Guest stores off one base register in one TB: the x86-64 back end checks the page of a
; store after the first against the TLB entry the first found (tcg/x86_64/ldst.c, "TLB
; entry reuse"; docs/tcg.md). A store that leaves the page for a page that is not present,
; or present but read-only (CR0.WP), must raise #PF with CR2, the stores before it done
; and a register written between them intact; after the PTE changes and INVLPG, the next
; store must use the new frame; stores rewriting code on their own page must be seen by
; the code they call.
%include "sys.inc"
%define PD32 0x10000
%define PT32 0x11000
%define FRAME_A 0x31000                 ; 0x400000 maps here first
%define FRAME_B 0x30000                 ; ... and here after INVLPG
%define FUNC 0x20000

    START_PM32
    mov ax, 0x10                        ; every segment flat: no limit-check helper calls
    mov es, ax                          ; between the stores (a call starts the reuse over)
    mov fs, ax
    mov gs, ax
    mov edi, PD32                       ; PD[0]: 4 MiB page at 0; PD[1] -> PT32
    mov ecx, 2 * 4096 / 4
    xor eax, eax
    rep stosd
    mov edi, FRAME_B                    ; both frames zeroed
    mov ecx, 2 * 4096 / 4
    rep stosd
    mov dword [PD32], 0x87
    mov dword [PD32 + 4], PT32 | 3
    mov dword [PT32 + 0 * 4], FRAME_A | 3       ; 0x400000: present, writable
    mov dword [PT32 + 1 * 4], 0                 ; 0x401000: not present
    mov dword [PT32 + 2 * 4], FRAME_B | 1       ; 0x402000: present, read-only
    PAGING32_ON PD32
    mov eax, cr0
    or eax, 1 << 16                     ; WP: ring-0 writes to read-only pages fault
    mov cr0, eax

    ; ---- a store reusing the first's entry goes to a page that is not present ----
    TRY
    mov dword [V_TMP], 0x400ff0
    mov ebx, [V_TMP]                    ; (not a constant the optimizer folds)
    mov eax, 0xa1
    mov ecx, 0xa2
    mov edx, 0xa3
    mov edi, 0
    mov [ebx], eax
    mov [ebx + 4], ecx
    mov edi, 0x5a5a5a5a
    mov [ebx + 8], edx
    mov [ebx + 0x10], ecx               ; 0x401000
    CATCH 14, 2, 0x10
    CHK dword [V_CR2], 0x401000, 0x13
    CHK dword [FRAME_A + 0xff0], 0xa1, 0x14
    CHK dword [FRAME_A + 0xff4], 0xa2, 0x15
    CHK dword [FRAME_A + 0xff8], 0xa3, 0x16
    CHK edi, 0x5a5a5a5a, 0x17
    PUTS `store to a page not present after reused stores: #PF\n`

    ; ---- ... to a read-only page (a hit for loads) ----
    TRY
    mov dword [V_TMP], 0x400100
    mov ebx, [V_TMP]                    ; (not a constant the optimizer folds)
    mov edx, [ebx + 0x2000]             ; the read-only page reads
    mov dword [ebx], 0xb1
    mov dword [ebx + 4], 0xb2
    mov dword [ebx + 0x2004], 0xb3      ; 0x402104
    CATCH 14, 3, 0x20
    CHK dword [V_CR2], 0x402104, 0x23
    CHK dword [FRAME_A + 0x100], 0xb1, 0x24
    CHK dword [FRAME_A + 0x104], 0xb2, 0x25
    CHK dword [FRAME_B + 0x104], 0, 0x26
    PUTS `store to a read-only page after reused stores: #PF\n`

    ; ---- the PTE changes between two stores, with INVLPG ----
    mov dword [V_TMP], 0x400200
    mov ebx, [V_TMP]                    ; (not a constant the optimizer folds)
    mov dword [ebx], 0xc1
    mov dword [PT32 + 0 * 4], FRAME_B | 3
    invlpg [ebx]
    mov dword [ebx + 4], 0xc2
    mov dword [ebx + 8], 0xc3
    CHK dword [FRAME_A + 0x200], 0xc1, 0x30
    CHK dword [FRAME_A + 0x204], 0, 0x31
    CHK dword [FRAME_B + 0x204], 0xc2, 0x32
    CHK dword [FRAME_B + 0x208], 0xc3, 0x33
    PUTS `stores after INVLPG use the new frame\n`

    ; ---- two stores off one base rewrite code on their own page, then call it ----
    mov esi, writer
    mov edi, FUNC
    mov ecx, writer_end - writer
    rep movsb
    xor esi, esi
    mov ebp, 3
.again:
    mov ecx, ebp
    shl ecx, 8                          ; 0x300, 0x200, 0x100
    mov edx, ebp                        ; 3, 2, 1
    mov dword [V_TMP], FUNC + (target - writer) + 1
    mov ebx, [V_TMP]
    mov eax, FUNC
    call eax
    lea ecx, [ebp * 8]
    shl ecx, 5
    add ecx, ebp                        ; 0x100 * n + n
    CHK eax, ecx, 0x40
    dec ebp
    jnz .again
    PUTS `stores rewriting code on their page: the new code runs\n`
    PASS

; copied to FUNC: rewrites the immediates of target, then calls it
writer:
    mov [ebx], ecx                      ; mov eax, imm32
    mov [ebx + 5], edx                  ; add eax, imm32
    mov edi, FUNC + (target - writer)
    call edi                            ; (a rel32 call would not survive the copy)
    ret
target:
    mov eax, strict dword 0
    add eax, strict dword 0             ; 05 imm32
    ret
writer_end:

    STUBS32 0x10
    FLAT_GDT_AND_RESET_VECTOR
