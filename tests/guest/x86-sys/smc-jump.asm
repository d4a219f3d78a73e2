; Self-modifying code reached through indirect jumps (the runtime's inline jump-cache
; probe, docs/tcg.md section 13): a function copied to RAM on a page of its own is called
; through CALL reg and returns with RET; after the calls have warmed the jump cache, a
; store rewrites it and the next calls must run the new code; then a JMP reg into code
; rewritten the same way.
%include "sys.inc"
%define FUNC 0x20000
    START_PM32
    mov esi, func_v1                    ; copy "mov eax, 1; ret" to FUNC
    mov edi, FUNC
    mov ecx, func_v1_end - func_v1
    rep movsb
    xor esi, esi
    mov ecx, 3
.loop1:
    mov ebx, FUNC
    call ebx
    add esi, eax
    loop .loop1
    CHK esi, 3, 1
    mov byte [FUNC + 1], 2              ; now "mov eax, 2; ret"
    mov ecx, 3
.loop2:
    mov ebx, FUNC
    call ebx
    add esi, eax
    loop .loop2
    CHK esi, 9, 2
    ; a jump (not a call) into the rewritten code, returning through a pushed address
    mov byte [FUNC + 1], 5
    push dword .back
    mov ebx, FUNC
    jmp ebx
.back:
    CHK eax, 5, 3
    ; the rewritten function now returns through RET imm16 (a new TB at the same address)
    mov dword [FUNC], 0x000007b8        ; mov eax, 7 (b8 07 00 00 00); ret 4 (c2 04 00)
    mov dword [FUNC + 4], 0x0004c200
    push dword 0
    mov ebx, FUNC
    call ebx
    CHK eax, 7, 4
    PASS
func_v1:
    mov eax, 1
    ret
func_v1_end:

    STUBS32 0x10

    FLAT_GDT_AND_RESET_VECTOR
