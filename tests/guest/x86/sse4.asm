; mode: 64
; SSE3, SSSE3, SSE4.1, SSE4.2, AES-NI and PCLMULQDQ: ADDSUBPD/HADDPD/MOVDDUP, PSHUFB,
; PALIGNR, PHADDW, PMADDUBSW, PMULLD, PMOVZXBW, PTEST flags, PEXTRB/PINSRD, ROUNDSD in
; every mode, DPPD, PCMPISTRI/PCMPESTRI (equal any, equal ordered) with their flags,
; AESENC (FIPS-197 appendix B, round 1), AESKEYGENASSIST, PCLMULQDQ.
    bits 64
    org 0x1000
%include "lib.inc"

%macro CHECKX 3
    movdqu [rel xout], %1
    CHECK64 qword [rel xout], %2
    CHECK64 qword [rel xout + 8], %3
%endmacro

    mov rax, cr4
    or eax, 0x600
    mov cr4, rax

    ; SSE3
    movapd xmm0, [rel pd12]
    addsubpd xmm0, [rel pd34]
    CHECKX xmm0, 0xc000000000000000, 0x4018000000000000     ; -2.0, 6.0
    movapd xmm0, [rel pd12]
    haddpd xmm0, [rel pd34]
    CHECKX xmm0, 0x4008000000000000, 0x401c000000000000     ; 3.0, 7.0
    movddup xmm1, [rel pd34]
    CHECKX xmm1, 0x4008000000000000, 0x4008000000000000
    ; SSSE3
    movdqa xmm0, [rel seq]
    pshufb xmm0, [rel rev]
    CHECKX xmm0, 0x08090a0b0c0d0e0f, 0x0001020304050607
    movdqa xmm0, [rel seq]
    movdqa xmm1, [rel seq + 16]
    palignr xmm0, xmm1, 4
    CHECKX xmm0, 0x1b1a191817161514, 0x030201001f1e1d1c
    movdqa xmm0, [rel w18]
    phaddw xmm0, xmm0
    CHECKX xmm0, 0x000f000b00070003, 0x000f000b00070003
    movdqa xmm0, [rel ub]
    pmaddubsw xmm0, [rel sb]
    CHECKX xmm0, 0x7e818080fe020002, 0
    ; SSE4.1
    movdqa xmm0, [rel mul_a]
    pmulld xmm0, [rel mul_b]
    CHECKX xmm0, 0xfffffffe00010000, 0x0000000000000000 | 6
    pmovzxbw xmm0, [rel ub]
    CHECKX xmm0, 0x000000ff00000002, 0x000000ff000000ff
    movdqa xmm0, [rel one]
    ptest xmm0, [rel two]
    CHECKF ZF|CF|OF|SF|AF|PF, ZF
    ptest xmm0, [rel one]
    CHECKF ZF|CF, CF
    mov eax, 0x12345678
    pinsrd xmm3, eax, 2
    pextrb ecx, xmm3, 9
    CHECK ecx, 0x56
    movsd xmm4, [rel two_five]
    roundsd xmm5, xmm4, 0
    movq rax, xmm5
    CHECK64 rax, 0x4000000000000000         ; 2.0
    roundsd xmm5, xmm4, 2
    movq rax, xmm5
    CHECK64 rax, 0x4008000000000000         ; 3.0
    movsd xmm4, [rel m_two_five]
    roundsd xmm5, xmm4, 1
    movq rax, xmm5
    CHECK64 rax, 0xc008000000000000         ; -3.0
    roundsd xmm5, xmm4, 3
    movq rax, xmm5
    CHECK64 rax, 0xc000000000000000         ; -2.0
    stmxcsr [rel mx]
    CHECK dword [rel mx], 0x1fa0            ; inexact
    roundsd xmm5, xmm4, 0x0b                ; truncate, precision exception suppressed
    movapd xmm0, [rel pd15_2]
    dppd xmm0, [rel pd23], 0x31
    CHECKX xmm0, 0x4022000000000000, 0      ; 9.0, 0
    ; SSE4.2 string compares
    movdqa xmm1, [rel str_abcd]
    pcmpistri xmm1, [rel str_hay], 0x00     ; equal any, first match
    CHECKF CF|ZF|SF|OF, CF|ZF|SF
    CHECK ecx, 2
    movdqa xmm1, [rel str_cy]
    mov eax, 2
    mov edx, 5
    pcmpestri xmm1, [rel str_hay], 0x0c     ; equal ordered: "cy" in "xxcyy"
    CHECK ecx, 2
    pcmpistri xmm1, [rel str_abcd], 0x0c    ; not found: 16
    CHECKF CF, 0
    CHECK ecx, 16
    ; AES-NI: FIPS-197 appendix B, the first round; the first key-expansion step
    movdqa xmm0, [rel aes_state]
    aesenc xmm0, [rel aes_rk1]
    CHECKX xmm0, 0x2b359f68f27f9ca4, 0x49506a0243ea5b6b
    aeskeygenassist xmm1, [rel aes_key], 1
    pextrd eax, xmm1, 3
    CHECK eax, 0x01eb848b
    ; PCLMULQDQ
    movdqa xmm0, [rel clmul_a]
    pclmulqdq xmm0, [rel clmul_b], 0x00
    CHECKX xmm0, 5, 0
    movdqa xmm0, [rel clmul_a]
    pclmulqdq xmm0, [rel clmul_b], 0x11
    CHECKX xmm0, 0, 1
    PASS

    align 16
pd12: dq 1.0, 2.0
pd34: dq 3.0, 4.0
pd15_2: dq 1.5, 2.0
pd23: dq 2.0, 3.0
seq: db 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
     db 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17
     db 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f
rev: db 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0
w18: dw 1, 2, 3, 4, 5, 6, 7, 8
ub: db 2, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0x80, 0x80, 0x80, 0, 0x7f, 0, 0x7f, 0
sb: db 1, 0, 0xfe, 0, 0x80, 0, 0x7f, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0
mul_a: dd 0x10000, 0xffffffff, 2, 0
mul_b: dd 0x10001, 2, 3, 0
one: dq 1, 0
two: dq 2, 0
two_five: dq 2.5
m_two_five: dq -2.5
str_abcd: db "abcd", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
str_hay: db "xxcyy", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
str_cy: db "cy", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
aes_state: db 0x19, 0x3d, 0xe3, 0xbe, 0xa0, 0xf4, 0xe2, 0x2b
           db 0x9a, 0xc6, 0x8d, 0x2a, 0xe9, 0xf8, 0x48, 0x08
aes_rk1: db 0xa0, 0xfa, 0xfe, 0x17, 0x88, 0x54, 0x2c, 0xb1
         db 0x23, 0xa3, 0x39, 0x39, 0x2a, 0x6c, 0x76, 0x05
aes_key: db 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6
         db 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c
clmul_a: dq 3, 0x8000000000000000
clmul_b: dq 3, 2
xout: dq 0, 0
mx: dd 0
