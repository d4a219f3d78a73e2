; mode: 64
; 64-bit mode: REX registers, 64-bit ALU and immediates, 32-bit writes zero-extend,
; 8-bit SPL..DIL vs AH..BH, RIP-relative addressing, MOVSXD, CQO/IDIV, 64-bit PUSH/POP,
; MUL with RDX:RAX, SHLD on 64 bits.
    bits 64
    org 0x1000
%include "lib.inc"

    mov rax, 0x123456789abcdef0
    CHECK64 rax, 0x123456789abcdef0
    mov r8, -1
    mov r8d, 5                      ; zero-extends
    CHECK64 r8, 5
    mov r9, 0x7fffffffffffffff
    add r9, 1
    CHECKF OF|SF|CF, OF|SF
    mov r10, 0xffffffffffffffff
    add r10, 1
    CHECKF ZF|CF, ZF|CF
    mov rcx, 0x1122334455667788
    mov r11, rcx
    mov ah, 0xff                    ; AH (no REX)
    CHECK64 rax, 0x123456789abcfff0
    mov rsi, rcx
    mov sil, 0                      ; SIL (REX)
    CHECK64 rsi, 0x1122334455667700
    mov eax, [rel value]
    CHECK eax, 0xcafebabe
    movsxd rdx, dword [rel value]
    CHECK64 rdx, 0xffffffffcafebabe
    mov rax, -100
    cqo
    mov rcx, 7
    idiv rcx
    CHECK64 rax, -14
    CHECK64 rdx, -2
    ; 64-bit DIV: RDX = 0 runs inline (one host divide), a 128-bit dividend and #DE (zero
    ; divisor, RDX >= divisor) through the helper, which leaves RAX and RDX unchanged
    mov rax, 0xfedcba9876543210
    xor edx, edx
    mov rcx, 0x123456789
    div rcx
    CHECK64 rax, 0xe0000000
    CHECK64 rdx, 0x96543210
    mov rax, 0x1234
    mov rdx, 5
    mov rcx, 0x100000007
    div rcx
    CHECK64 rax, 0x4ffffffdd
    CHECK64 rdx, 0x1329
    mov rax, 77
    xor edx, edx
    xor ecx, ecx
    EXPECT_EXC 0, div rcx
    CHECK64 rax, 77
    CHECK64 rdx, 0
    mov rdx, 9
    mov rcx, 9
    EXPECT_EXC 0, div rcx
    CHECK64 rax, 77
    CHECK64 rdx, 9
    ; 32-bit IMUL ignores bits 63:32 of its operands (the product of the raw values is
    ; truncated; CF/OF from the sign-extended ones) and zero-extends its result
    mov rcx, 0xdead000000000003
    imul eax, ecx, -5
    CHECKF CF|OF, 0
    CHECK64 rax, 0xfffffff1
    mov rdx, 0x8000000080000000
    mov rbx, 0x1234567800000002
    imul ebx, edx
    CHECKF CF|OF, CF|OF
    CHECK64 rbx, 0
    mov rdx, 0x80000000ffffffff
    mov rbx, 0x12345678ffffffff
    imul ebx, edx
    CHECKF CF|OF, 0
    CHECK64 rbx, 1
    ; 64-bit IMUL r, r/m and r, r/m, imm: the truncated product, CF/OF from the full one
    mov rbx, 0x100000000
    mov rcx, 0x100000000
    imul rbx, rcx
    CHECKF CF|OF, CF|OF
    CHECK64 rbx, 0
    mov rcx, 0x5555555555555555
    imul rax, rcx, -3
    CHECKF CF|OF, CF|OF
    CHECK64 rax, 1
    mov rcx, -7
    imul rdx, rcx, 6
    CHECKF CF|OF, 0
    CHECK64 rdx, -42
    mov rsi, 2
    imul rsi, [rel value]
    CHECKF CF|OF, 0
    CHECK64 rsi, 0x195fd757c
    mov rax, 0x100000000
    mov rcx, 0x100000000
    mul rcx
    CHECK64 rdx, 1
    CHECK64 rax, 0
    push r11
    pop r12
    CHECK64 r12, 0x1122334455667788
    mov rax, 0x8000000000000001
    mov rdx, 0x4000000000000000
    shld rax, rdx, 1
    CHECK64 rax, 0x0000000000000002
    lea r13, [rel value]
    CHECK64 r13, value
    mov r14, value
    mov dword [r14 + 4], 0
    inc qword [r14]
    CHECK64 qword [r14], 0xcafebabf
    ; zeroing idioms in 64-bit mode: the 32-bit forms clear bits 63:32, the 16-bit form
    ; keeps them; XOR r8d, eax (REX.B: another register) is an ordinary XOR
    mov rax, -1
    SETF CF|SF|OF
    xor eax, eax
    CHECKF CF|PF|ZF|SF|OF, ZF|PF
    CHECK64 rax, 0
    mov r9, -1
    SETF ARITH
    sub r9d, r9d
    CHECKF ARITH, ZF|PF
    CHECK64 r9, 0
    mov r10, 0x1234567812345678
    xor r10w, r10w
    CHECK64 r10, 0x1234567812340000
    mov r11, -1
    sub r11, r11
    CHECKF ARITH, ZF|PF
    CHECK64 r11, 0
    mov r8, 0xff
    mov eax, 0x0f
    xor r8d, eax
    CHECK64 r8, 0xf0
    PASS

value: dd 0xcafebabe, 0
