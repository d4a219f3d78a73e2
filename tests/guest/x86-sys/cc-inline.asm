; Conditions computed inline from the recorded ADD/ADC/SUB/SBB (translate-cc.c) against
; the flags PUSHFD materialises through the flags helper: for operand pairs at the
; boundaries, both carry-ins and 8/16/32-bit sizes, SETO/SETB/SETBE/SETL/SETLE right after
; the operation must agree with OF, CF, CF|ZF, SF^OF and (SF^OF)|ZF of the pushed EFLAGS.
%include "sys.inc"
%define V_SET (VARS + 32)
; CASE op (0 add, 1 adc, 2 sub, 3 sbb), size (0 8-bit, 1 16, 2 32), carry in
%macro CASE 3
    inc ebp
    mov eax, [esi]
    mov ebx, [edi]
    %if %3
    stc
    %else
    clc
    %endif
    %if %2 == 0
    %define A al
    %define B bl
    %elif %2 == 1
    %define A ax
    %define B bx
    %else
    %define A eax
    %define B ebx
    %endif
    %if %1 == 0
    add A, B
    %elif %1 == 1
    adc A, B
    %elif %1 == 2
    sub A, B
    %else
    sbb A, B
    %endif
    seto [V_SET]                        ; in the TB of the operation: inline
    setb [V_SET + 1]
    setbe [V_SET + 2]
    setl [V_SET + 3]
    setle [V_SET + 4]
    pushfd                              ; the flags through the helper
    pop eax
    call check
%endmacro

    START_PM32
    xor ebp, ebp                        ; case number
    mov esi, values
.outer:
    mov edi, values
.inner:
    %assign op 0
    %rep 4
    %assign sz 0
    %rep 3
    %assign cin 0
    %rep 2
    CASE op, sz, cin
    %assign cin cin + 1
    %endrep
    %assign sz sz + 1
    %endrep
    %assign op op + 1
    %endrep
    add edi, 4
    cmp edi, values_end
    jne .inner
    add esi, 4
    cmp esi, values_end
    jne .outer
    PUTS `inline conditions agree with PUSHFD\n`
    PASS

; The SETcc results at V_SET against the ones derived from the pushed flags in EAX.
check:
    movzx edx, byte [V_SET + 4]
    %assign i 3
    %rep 4
    shl edx, 1
    or dl, [V_SET + i]
    %assign i i - 1
    %endrep
    xor ecx, ecx
    bt eax, 11                          ; OF
    adc ecx, 0
    bt eax, 0                           ; CF
    jnc .nocf
    or ecx, 2 | 4
.nocf:
    bt eax, 6                           ; ZF
    jnc .nozf
    or ecx, 4 | 16
.nozf:
    mov ebx, eax
    shr ebx, 4                          ; OF to bit 7
    xor ebx, eax
    bt ebx, 7                           ; SF ^ OF
    jnc .nol
    or ecx, 8 | 16
.nol:
    cmp dl, cl
    jne .bad
    ret
.bad:
    mov [V_TMP], ebp
    FAIL 0x01

    align 4
values:
    dd 0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000
    dd 0xffffffff, 0xfffffffe, 0x12345678, 0x80000001, 0x00ff7f80
values_end:
    STUBS32 0x10
    FLAT_GDT_AND_RESET_VECTOR
