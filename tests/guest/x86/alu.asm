; mode: 32
; ADD OR ADC SBB AND SUB XOR CMP, INC DEC NEG NOT: results and OSZAPC (AF left out of
; the mask for the logic ops, where it is undefined).
    bits 32
    org 0x1000
%include "lib.inc"

    mov eax, 0x7fffffff
    add eax, 1
    CHECKF ARITH, OF|SF|AF|PF
    CHECK eax, 0x80000000

    mov eax, 0xffffffff
    add eax, 1
    CHECKF ARITH, ZF|CF|AF|PF
    CHECK eax, 0

    mov bl, 0x0f
    add bl, 0x01
    CHECKF ARITH, AF
    CHECK bl, 0x10

    mov ax, 0x8000
    sub ax, 1
    CHECKF ARITH, OF|AF|PF
    CHECK ax, 0x7fff

    mov ecx, 5
    cmp ecx, 7
    CHECKF ARITH, SF|CF|AF
    CHECK ecx, 5

    SETF CF
    mov edx, 1
    adc edx, 1
    CHECKF ARITH, PF
    CHECK edx, 3

    SETF CF
    mov edx, 0xffffffff
    adc edx, 0
    CHECKF ARITH, ZF|CF|AF|PF
    CHECK edx, 0

    SETF CF
    mov edx, 0
    sbb edx, 0
    CHECKF ARITH, SF|CF|AF|PF
    CHECK edx, 0xffffffff

    mov eax, 0xf0f0
    and eax, 0x0ff0
    CHECKF ARITH & ~AF, PF
    CHECK eax, 0x00f0

    mov eax, 0x80000000
    or eax, 1
    CHECKF ARITH & ~AF, SF
    CHECK eax, 0x80000001

    mov eax, 0x1234
    xor eax, eax
    CHECKF ARITH & ~AF, ZF|PF
    CHECK eax, 0

    mov al, 0x7f
    inc al
    CHECKF OF|SF|ZF|AF|PF, OF|SF|AF
    SETF CF
    mov al, 1
    dec al
    CHECKF ARITH, ZF|PF|CF

    mov eax, 5
    neg eax
    CHECKF ARITH, SF|CF|AF
    CHECK eax, -5
    mov eax, 0
    neg eax
    CHECKF ARITH, ZF|PF
    mov eax, 0x0f0f0f0f
    not eax
    CHECK eax, 0xf0f0f0f0

    ; memory destinations and high-byte registers
    mov dword [data], 10
    add dword [data], 20
    CHECK dword [data], 30
    mov eax, 0x1234
    add ah, al
    CHECK eax, 0x4634
    sub byte [data], 31
    CHECKF ARITH, SF|CF|AF|PF
    CHECK byte [data], 0xff
    ; zeroing idioms: XOR r, r and SUB r, r give 0 and ZF|PF (SUB: AF too, clear) whatever
    ; the register and the flags held; 8- and 16-bit forms keep the rest of the register;
    ; a Jcc in the same block reads the flags
    SETF ARITH
    mov ecx, 0x87654321
    sub ecx, ecx
    CHECKF ARITH, ZF|PF
    CHECK ecx, 0
    mov edx, 0x12345678
    SETF CF|SF|OF
    xor dh, dh
    CHECKF CF|PF|ZF|SF|OF, ZF|PF
    CHECK edx, 0x12340078
    mov ebx, 0xfedcba98
    SETF ARITH
    sub bx, bx
    CHECKF ARITH, ZF|PF
    CHECK ebx, 0xfedc0000
    mov esi, 5
    xor esi, esi
    jnz .idiom_bad
    ja .idiom_bad
    jl .idiom_bad
    jp .idiom_ok
.idiom_bad:
    mov esi, $
    jmp fail
.idiom_ok:
    PASS

data: dd 0
