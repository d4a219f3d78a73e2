; Flags of a SUB/CMP read after the TB that computed them ended. A TB that ends with a
; SUB or CMP as its flag state does not store its first operand (cc_src2): the flags are
; rebuilt from the result and the second operand (translate-cc.c x86_gen_drop_sub_src1,
; cc-helper.c). For operand pairs at the boundaries and 8/16/32-bit sizes, the flags
; PUSHFD gives in the next TB (after JMP, after a taken and a not-taken Jcc) and the
; EFLAGS an interrupt taken there pushes must equal the flags PUSHFD gives in the TB of
; the CMP itself. Each case first leaves a different cc_src2 behind (ADC's carry in).
%include "sys.inc"
%define V_IRQ_FLAGS (VARS + 0x40)
%define V_REF (VARS + 0x44)
%define FLAGS_MASK 0x8d5                ; OF SF ZF AF PF CF

; STALE: a TB ending in ADC, which stores cc_src2 = 1
%macro STALE 0
    stc
    adc ebp, ebp
    jmp %%next
%%next:
%endmacro

; CASE reg_a, reg_b, n: the checks of one size (operands in ECX, EDX)
%macro CASE 3
    cmp %1, %2                          ; reference: PUSHFD in the same TB
    pushfd
    pop dword [V_REF]
    STALE
    cmp %1, %2                          ; after JMP
    jmp %%a
%%a:
    pushfd
    pop eax
    mov ebx, (%3)
    call check
    STALE
    cmp %1, %2                          ; after Jcc, taken or not
    jo %%b
%%b:
    pushfd
    pop eax
    mov ebx, (%3) + 1
    call check
    STALE
    cmp %1, %2
    jno %%c
%%c:
    pushfd
    pop eax
    mov ebx, (%3) + 2
    call check
    STALE
    mov al, 0x20                        ; an interrupt pending while IF = 0 ...
    push edx
    mov dx, INTR_PORT
    out dx, al
    pop edx
    cmp %1, %2
    jmp %%d
%%d:
    sti                                 ; ... is taken after the next instruction
    nop
    cli
    mov eax, [V_IRQ_FLAGS]
    mov ebx, (%3) + 3
    call check
%endmacro

    START_PM32
    SET_GATE32 0x20, irq_handler, 0x8e
    mov esi, values
.outer:
    mov edi, values
.inner:
    mov ecx, [esi]
    mov edx, [edi]
    CASE cl, dl, 0x10
    CASE cx, dx, 0x20
    CASE ecx, edx, 0x30
    add edi, 4
    cmp edi, values_end
    jne .inner
    add esi, 4
    cmp esi, values_end
    jne .outer
    PUTS `SUB/CMP flags after the TB end agree with PUSHFD in the TB\n`
    PASS

; EAX = flags to check against [V_REF]; EBX = the failure number.
check:
    xor eax, [V_REF]
    test eax, FLAGS_MASK
    jnz .bad
    ret
.bad:
    PUTS "flags differ: case "
    mov eax, ebx
    call puthex32
    PUTS " operands "
    mov eax, ecx
    call puthex32
    PUTC ' '
    mov eax, edx
    call puthex32
    PUTC 10
    FAIL 0xf0

irq_handler:
    push eax
    mov eax, [esp + 12]                 ; above the saved EAX: EIP, CS, EFLAGS
    mov [V_IRQ_FLAGS], eax
    pop eax
    iretd

values:
    dd 0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff
    dd 0x12345678
values_end:

    STUBS32 0x10
    FLAT_GDT_AND_RESET_VECTOR
