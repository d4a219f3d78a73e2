; Direct CALL and JMP followed inside a TB (translate.c x86_follow_direct): the callee's or
; target's instructions are translated into the TB of the CALL/JMP when they are on its
; first page. On a RAM page: a call whose callee is then rewritten (the TB's invalidation
; span must cover the followed bytes), a chain of six JMPs back and forth (more than the
; four followed per TB), and a #DE in a followed callee (the EIP pushed must be the DIV's,
; and the two return addresses pushed before it must be on the stack).
%include "sys.inc"
%define CODE 0x20000
%define V_SP (VARS + 0x40)
%define AT(l) (CODE + (l) - blk)
    START_PM32
    mov esi, blk
    mov edi, CODE
    mov ecx, blk_end - blk
    rep movsb

    ; 1. the callee translated into the caller's TB, then rewritten
    mov ecx, 3
.loop1:
    mov edx, AT(entry_a)
    call edx
    CHK eax, 106, 1
    dec ecx
    jnz .loop1
    mov dword [AT(fa_imm)], 7
    mov edx, AT(entry_a)
    call edx
    CHK eax, 108, 2
    mov dword [AT(fa_imm)], 9
    mov edx, AT(entry_a)
    call edx
    CHK eax, 110, 3

    ; 2. six JMPs back and forth
    mov ecx, 3
.loop2:
    mov edx, AT(entry_b)
    call edx
    CHK eax, 21, 4
    dec ecx
    jnz .loop2

    ; 3. a #DE in a followed callee
    mov ecx, 2
    mov edx, AT(entry_c)
    call edx
    CHK eax, 5, 5
    mov [V_SP], esp
    TRY
    xor ecx, ecx
    mov edx, AT(entry_c)
    call edx
    CATCH 0, -1, 6
    CHK dword [V_EIP], AT(fc_div), 9
    mov eax, [V_SP]
    CHK dword [eax - 8], AT(entry_c_ret), 10
    mov esp, STACK0
    PASS

; copied to CODE
blk:
entry_a:
    mov eax, 1
    call fa
    add eax, 100
    ret
fa:
    mov ebx, 5
fa_imm equ $ - 4
    add eax, ebx
    ret
entry_b:
    xor eax, eax
    jmp .j1
.j3:
    add eax, 3
    jmp .j4
.j1:
    add eax, 1
    jmp .j2
.j5:
    add eax, 5
    jmp .j6
.j2:
    add eax, 2
    jmp .j3
.j4:
    add eax, 4
    jmp .j5
.j6:
    add eax, 6
    ret
entry_c:
    mov eax, 10
    xor edx, edx
    call fc
entry_c_ret:
    ret
fc:
    nop
fc_div:
    div ecx
    ret
blk_end:

    STUBS32 0x10

    FLAT_GDT_AND_RESET_VECTOR
