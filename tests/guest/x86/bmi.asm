; mode: 64
; BMI1/BMI2 (VEX-encoded general-purpose forms): ANDN BEXTR BLSI BLSMSK BLSR BZHI MULX
; PDEP PEXT RORX SARX SHLX SHRX on 32 and 64 bits with their flags; the #UD forms: a VEX
; prefix after 66 or REX, VEX.L = 1, RORX with VEX.vvvv != 1111b, group 17 /0, a reserved
; map, and an AVX opcode (not offered by the model yet).
    bits 64
    org 0x1000
%include "lib.inc"

    mov rax, 0xff00ff00ff00ff00
    mov rbx, 0x0ff00ff00ff00ff0
    SETF CF|OF
    andn rcx, rax, rbx
    CHECKF CF|OF|ZF|SF, 0
    CHECK64 rcx, 0x00f000f000f000f0
    mov rcx, -1
    andn ecx, eax, eax
    CHECKF ZF|SF, ZF
    CHECK64 rcx, 0

    mov rax, 0x123456789abcdef0
    mov edx, 0x0804                 ; start 4, length 8
    bextr rcx, rax, rdx
    CHECK64 rcx, 0xef
    mov edx, 0x2010                 ; start 16, length 32: the bits above 31 are 0
    bextr ecx, eax, edx
    CHECK64 rcx, 0x9abc
    mov edx, 0x0820                 ; start beyond the operand: 0
    SETF CF|OF
    bextr ecx, eax, edx
    CHECKF ZF|CF|OF, ZF
    CHECK ecx, 0
    mov edx, 0xff00                 ; length 255 from bit 0: everything
    bextr rcx, rax, rdx
    CHECK64 rcx, 0x123456789abcdef0

    blsi rcx, rax
    CHECKF CF|ZF|SF|OF, CF
    CHECK64 rcx, 0x10
    xor ebx, ebx
    blsi rcx, rbx
    CHECKF CF|ZF, ZF
    blsmsk ecx, eax
    CHECKF CF|ZF|SF, 0
    CHECK64 rcx, 0x1f
    blsmsk ecx, ebx
    CHECKF CF|ZF|SF, CF|SF
    CHECK64 rcx, 0xffffffff
    blsr rcx, rax
    CHECKF CF|ZF, 0
    CHECK64 rcx, 0x123456789abcdee0
    blsr rcx, rbx
    CHECKF CF|ZF, CF|ZF

    mov edx, 12
    bzhi rcx, rax, rdx
    CHECKF CF|ZF|SF|OF, 0
    CHECK64 rcx, 0xef0
    mov edx, 64
    bzhi rcx, rax, rdx
    CHECKF CF|SF, CF
    CHECK64 rcx, 0x123456789abcdef0
    mov edx, 0x100                  ; only bits 7:0 count: index 0
    bzhi rcx, rax, rdx
    CHECKF CF|ZF, ZF
    mov edx, 40
    bzhi ecx, eax, edx
    CHECKF CF|SF, CF|SF
    CHECK64 rcx, 0x9abcdef0

    mov rdx, -1
    mov ebx, 2
    SETF CF|ZF
    mulx rcx, r8, rbx
    CHECKF ARITH, CF|ZF             ; flags untouched
    CHECK64 rcx, 1
    CHECK64 r8, 0xfffffffffffffffe
    mulx rcx, rcx, rbx              ; the same register gets the high half
    CHECK64 rcx, 1
    mov edx, 0x80000000
    mov ebx, 4
    mulx ecx, r8d, ebx
    CHECK64 rcx, 2
    CHECK64 r8, 0
    mulx r9d, r10d, [mulx_mem]
    CHECK64 r9, 0x3ffffff
    CHECK64 r10, 0x80000000

    mov eax, 0xb
    mov ebx, 0xf0f0
    pdep rcx, rax, rbx
    CHECK64 rcx, 0xb0
    mov rax, 0x8000000000000001
    mov rbx, 0x8000000000000001
    pdep rcx, rax, rbx
    CHECK64 rcx, 1
    pext rcx, rax, rbx
    CHECK64 rcx, 3
    mov eax, 0x12345678
    mov ebx, 0xff00
    pext ecx, eax, ebx
    CHECK64 rcx, 0x56

    mov rax, 0x123456789abcdef0
    SETF 0
    rorx rcx, rax, 8
    CHECKF ARITH, 0
    CHECK64 rcx, 0xf0123456789abcde
    rorx ecx, eax, 36               ; masked to 4
    CHECK64 rcx, 0x09abcdef
    mov eax, 0x80000000
    mov edx, 33                     ; masked to 1
    sarx ecx, eax, edx
    CHECK64 rcx, 0xc0000000
    mov rax, 0x123456789abcdef0
    mov edx, 68                     ; masked to 4
    shlx rcx, rax, rdx
    CHECK64 rcx, 0x23456789abcdef00
    mov edx, 4
    shrx ecx, eax, edx
    CHECK64 rcx, 0x09abcdef
    sarx rcx, [sarx_mem], rdx
    CHECK64 rcx, 0xf800000000000000

    EXPECT_EXC 6, db 0x66, 0xc4, 0xe2, 0xf8, 0xf2, 0xcb    ; 66 + ANDN
    EXPECT_EXC 6, db 0x48, 0xc4, 0xe2, 0xf8, 0xf2, 0xcb    ; REX.W + ANDN
    EXPECT_EXC 6, db 0xf3, 0xc4, 0xe2, 0xf8, 0xf2, 0xcb    ; F3 + ANDN
    EXPECT_EXC 6, db 0xc4, 0xe2, 0xfc, 0xf2, 0xcb          ; ANDN with VEX.L = 1
    EXPECT_EXC 6, db 0xc4, 0xe3, 0xf3, 0xf0, 0xc8, 0x08    ; RORX with vvvv = rcx
    EXPECT_EXC 6, db 0xc4, 0xe2, 0xf8, 0xf3, 0xc0          ; group 17 /0
    EXPECT_EXC 6, db 0xc4, 0xe0, 0xf8, 0xf2, 0xcb          ; map 0 (reserved)
    EXPECT_EXC 6, db 0xc4, 0xe4, 0xf8, 0xf2, 0xcb          ; map 4 (reserved)
    EXPECT_EXC 6, db 0xc5, 0xf8, 0x77                      ; VZEROUPPER (no AVX yet)
    PASS

    align 8
mulx_mem: dq 0x07ffffff
sarx_mem: dq 0x8000000000000000
