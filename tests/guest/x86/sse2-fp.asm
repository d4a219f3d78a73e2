; mode: 64
; SSE/SSE2 floating point: the #UD/#NM checks (CR4.OSFXSR, CR0.EM, CR0.TS), scalar and
; packed arithmetic, conversions with the integer indefinite value, MXCSR rounding modes,
; DAZ/FTZ, sticky flags, unmasked exceptions (#XM, or #UD without CR4.OSXMMEXCPT, the
; destination unchanged), COMISD/UCOMISD flags, #GP on a misaligned MOVAPS, #MF for a
; pending x87 exception at an MMX instruction.
    bits 64
    org 0x1000
%include "lib.inc"

%define CR4_OSFXSR (1 << 9)
%define CR4_OSXMMEXCPT (1 << 10)


    ; without CR4.OSFXSR: #UD
    EXPECT_EXC 6, movaps xmm0, xmm1
    mov rax, cr4
    or eax, CR4_OSFXSR | CR4_OSXMMEXCPT
    mov cr4, rax
    ; CR0.TS: #NM; CR0.EM: #UD
    mov rax, cr0
    or eax, 8
    mov cr0, rax
    EXPECT_EXC 7, addsd xmm0, xmm1
    clts
    mov rax, cr0
    or eax, 4
    mov cr0, rax
    EXPECT_EXC 6, addsd xmm0, xmm1
    and eax, ~4
    mov cr0, rax

    ; MXCSR after reset
    stmxcsr [mx]
    CHECK dword [mx], 0x1f80

    ; scalar double arithmetic
    movsd xmm0, [one_five]          ; 1.5
    movsd xmm1, [two]               ; 2.0
    addsd xmm0, xmm1                ; 3.5
    movq rax, xmm0
    CHECK64 rax, 0x400c000000000000
    mulsd xmm0, xmm1                ; 7.0
    movq rax, xmm0
    CHECK64 rax, 0x401c000000000000
    divsd xmm0, [two]               ; 3.5
    subsd xmm0, [one_five]          ; 2.0
    sqrtsd xmm2, xmm0               ; sqrt(2)
    movq rax, xmm2
    CHECK64 rax, 0x3ff6a09e667f3bcd
    stmxcsr [mx]
    CHECK dword [mx], 0x1fa0        ; PE from sqrt(2)

    ; packed single
    movaps xmm3, [ps_a]
    addps xmm3, [ps_b]
    movaps [out], xmm3
    CHECK dword [out], 0x40400000       ; 1+2 = 3
    CHECK dword [out + 12], 0x41000000  ; 4+4 = 8
    ; conversions: cvtsi2sd, cvttsd2si of NaN (integer indefinite), rounding modes
    mov rax, -7
    cvtsi2sd xmm4, rax
    movq rax, xmm4
    CHECK64 rax, 0xc01c000000000000
    cvttsd2si rax, [qnan]
    CHECK64 rax, 0x8000000000000000
    cvttsd2si eax, [qnan]
    CHECK eax, 0x80000000
    movsd xmm5, [two_five]              ; 2.5
    cvtsd2si eax, xmm5                  ; nearest-even: 2
    CHECK eax, 2
    mov dword [mx], 0x3f80              ; round down
    ldmxcsr [mx]
    movsd xmm6, [m_two_five]
    cvtsd2si eax, xmm6                  ; -3
    CHECK eax, -3
    mov dword [mx], 0x5f80              ; round up
    ldmxcsr [mx]
    cvtsd2si eax, xmm5                  ; 3
    CHECK eax, 3
    mov dword [mx], 0x7f80              ; toward zero
    ldmxcsr [mx]
    cvtsd2si eax, xmm6                  ; -2
    CHECK eax, -2
    ; a reserved MXCSR bit: #GP
    mov dword [mx], 0x10000
    EXPECT_EXC 13, ldmxcsr [mx]

    ; masked divide by zero: ZE sticky, result +inf
    mov dword [mx], 0x1f80
    ldmxcsr [mx]
    movsd xmm0, [one_five]
    xorpd xmm1, xmm1
    divsd xmm0, xmm1
    movq rax, xmm0
    CHECK64 rax, 0x7ff0000000000000
    stmxcsr [mx]
    CHECK dword [mx], 0x1f84
    ; unmasked ZE: #XM, destination unchanged
    mov dword [mx], 0x1d80
    ldmxcsr [mx]
    movsd xmm0, [one_five]
    EXPECT_EXC 19, divsd xmm0, xmm1
    movq rax, xmm0
    CHECK64 rax, 0x3ff8000000000000
    stmxcsr [mx]
    CHECK dword [mx], 0x1d84
    ; ... and #UD without CR4.OSXMMEXCPT
    mov rax, cr4
    and eax, ~CR4_OSXMMEXCPT
    mov cr4, rax
    EXPECT_EXC 6, divsd xmm0, xmm1
    or eax, CR4_OSXMMEXCPT
    mov cr4, rax

    ; DAZ: a denormal operand is zero; FTZ: a denormal result is zero
    mov dword [mx], 0x1fc0
    ldmxcsr [mx]
    movsd xmm0, [denorm]
    mulsd xmm0, [two]
    movq rax, xmm0
    CHECK64 rax, 0
    mov dword [mx], 0x9f80
    ldmxcsr [mx]
    movsd xmm0, [tiny]
    mulsd xmm0, [tiny]
    movq rax, xmm0
    CHECK64 rax, 0
    stmxcsr [mx]
    CHECK dword [mx], 0x9fb0            ; UE PE
    mov dword [mx], 0x1f80
    ldmxcsr [mx]

    ; COMISD / UCOMISD
    movsd xmm0, [one_five]
    comisd xmm0, [two]
    CHECKF ZF|PF|CF|OF|SF|AF, CF
    comisd xmm0, [one_five]
    CHECKF ZF|PF|CF|OF|SF|AF, ZF
    ucomisd xmm0, [qnan]
    CHECKF ZF|PF|CF, ZF|PF|CF
    stmxcsr [mx]
    CHECK dword [mx], 0x1f80            ; UCOMISD: a QNaN does not signal
    comisd xmm0, [qnan]
    stmxcsr [mx]
    CHECK dword [mx], 0x1f81            ; COMISD: it does

    ; alignment: MOVAPS from an address 8 mod 16 faults, MOVUPS does not
    ; an MMX instruction delivers a pending unmasked x87 exception (#MF with CR0.NE)
    mov rax, cr0
    or eax, 0x20
    mov cr0, rax
    fninit
    fldcw [fcw_zm]
    fld1
    fldz
    fdivp st1, st0                      ; ZE unmasked: pending
    EXPECT_EXC 16, paddb mm0, mm1
    fninit
    paddb mm0, mm1
    emms
    movups xmm0, [ps_a + 8]
    EXPECT_EXC 13, movaps xmm0, [ps_a + 8]
    ; MOVMSKPD, SHUFPS, CVTPS2PD, CVTDQ2PS
    movapd xmm0, [pd_signs]
    movmskpd eax, xmm0
    CHECK eax, 2
    movaps xmm0, [ps_a]
    shufps xmm0, xmm0, 0x1b             ; reverse
    movaps [out], xmm0
    CHECK dword [out], 0x40800000       ; 4.0
    cvtps2pd xmm1, [ps_a]
    movq rax, xmm1
    CHECK64 rax, 0x3ff0000000000000
    mov eax, 3
    movd xmm2, eax
    cvtdq2ps xmm2, xmm2
    movd eax, xmm2
    CHECK eax, 0x40400000
    PASS

    align 16
ps_a: dd 1.0, 2.0, 3.0, 4.0
ps_b: dd 2.0, 2.0, 2.0, 4.0
pd_signs: dq 1.0, -1.0
out: times 4 dd 0
one_five: dq 1.5
two: dq 2.0
two_five: dq 2.5
m_two_five: dq -2.5
qnan: dq 0x7ff8000000000000
denorm: dq 0x0000000000000001
tiny: dq 0x1f70000000000000           ; 2^-520: its square is denormal
mx: dd 0
fcw_zm: dw 0x037b
