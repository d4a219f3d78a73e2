; mode: 64
; AVX/AVX2 checks and state (the data paths are in the difftest's AVX set): #UD without
; CR4.OSXSAVE or with XCR0 not enabling the AVX state, #NM with CR0.TS, #UD for VEX.L /
; VEX.W / VEX.vvvv values an instruction does not allow, for a register form that must be
; memory, after 66 or LOCK; #GP for a misaligned VMOVAPS; VEX.128 zeroing bits 255:128;
; VTESTPS flags; XSAVE's AVX component (CPUID 0DH, YMM_Hi128 at 576, XRSTOR's init,
; XINUSE with VZEROUPPER).
    bits 64
    org 0x1000
%include "lib.inc"

    EXPECT_EXC 6, vzeroupper                ; CR4.OSXSAVE clear
    mov rax, cr4
    or eax, (1 << 18) | (1 << 9)            ; OSXSAVE, OSFXSR
    mov cr4, rax
    xor ecx, ecx
    xor edx, edx
    mov eax, 3
    xsetbv
    EXPECT_EXC 6, vmovdqu ymm0, [ymm_a]     ; XCR0 without the AVX state
    mov eax, 0xd
    xor ecx, ecx
    cpuid
    CHECK eax, 7
    CHECK ecx, 832
    CHECK ebx, 576
    mov eax, 7
    xor ecx, ecx
    xor edx, edx
    xsetbv
    mov eax, 0xd
    xor ecx, ecx
    cpuid
    CHECK ebx, 832
    mov eax, 0xd
    mov ecx, 2
    cpuid
    CHECK eax, 256
    CHECK ebx, 576

    vmovdqu ymm1, [ymm_a]
    vmovdqu [out], ymm1
    CHECK64 qword [out + 24], 0x4444444444444444
    vmovdqu xmm1, [ymm_a]                   ; VEX.128: bits 255:128 cleared
    vmovdqu [out], ymm1
    CHECK qword [out + 16], 0
    CHECK qword [out + 24], 0
    CHECK64 qword [out + 8], 0x2222222222222222

    vmovdqu ymm2, [ymm_a]
    vmovdqu ymm3, [ymm_signs]
    vtestps ymm3, ymm2                      ; signs of ymm2: none set
    CHECKF ARITH, ZF | CF
    vtestpd ymm3, ymm3                      ; all signs set
    CHECKF ARITH, CF
    vtestps ymm2, ymm3
    CHECKF ARITH, ZF
    vinsertf128 ymm4, ymm2, [ymm_signs], 1
    vextractf128 xmm5, ymm4, 1
    vmovdqu [out], ymm5
    CHECK64 qword [out], 0x8000000000000000
    CHECK qword [out + 16], 0

    ; XSAVE's AVX component
    mov eax, 7
    xor edx, edx
    xsave64 [area]
    CHECK64 qword [area + 576 + 2 * 16], 0x3333333333333333     ; YMM2[191:128]
    CHECK qword [area + 512], 6             ; x87 still in its initial configuration
    mov ecx, 1
    xgetbv
    CHECK eax, 6
    vzeroupper
    mov ecx, 1
    xgetbv
    CHECK eax, 2                            ; AVX state back in its initial configuration
    mov eax, 4
    xor edx, edx
    xrstor64 [area]                         ; the uppers again
    vmovdqu [out], ymm2
    CHECK64 qword [out + 16], 0x3333333333333333
    mov qword [area + 512], 3               ; XSTATE_BV without AVX: uppers initialised
    mov eax, 4
    xor edx, edx
    xrstor64 [area]
    vmovdqu [out], ymm2
    CHECK qword [out + 16], 0
    CHECK64 qword [out], 0x1111111111111111

    ; #UD forms
    EXPECT_EXC 6, db 0xc4, 0xe3, 0x79, 0x18, 0xc1, 0x01     ; VINSERTF128 with VEX.L0
    EXPECT_EXC 6, db 0xc4, 0xe3, 0x7d, 0x00, 0xc1, 0x1b     ; VPERMQ with VEX.W0
    EXPECT_EXC 6, db 0xc5, 0xf6, 0x6f, 0xc1                 ; VMOVDQU with vvvv = 1
    EXPECT_EXC 6, db 0xc4, 0xe2, 0x7d, 0x1a, 0xc1           ; VBROADCASTF128 from a register
    EXPECT_EXC 6, db 0x66, 0xc5, 0xfe, 0x6f, 0xc1           ; 66 before VEX
    EXPECT_EXC 6, db 0xf0, 0xc5, 0xfe, 0x6f, 0x03           ; LOCK before VEX
    EXPECT_EXC 6, db 0xc4, 0xe2, 0x79, 0x19, 0xc1           ; VBROADCASTSD with VEX.L0
    ; #GP: VMOVAPS ymm needs 32-byte alignment
    EXPECT_EXC 13, vmovaps ymm0, [ymm_a + 16]
    vmovaps xmm0, [ymm_a + 16]              ; 16 is enough for VEX.128
    ; #NM with CR0.TS
    mov rax, cr0
    or eax, 8
    mov cr0, rax
    EXPECT_EXC 7, vmovdqu ymm0, [ymm_a]
    clts
    vmovdqu ymm0, [ymm_a]
    PASS

    align 64
ymm_a: dq 0x1111111111111111, 0x2222222222222222, 0x3333333333333333, 0x4444444444444444
ymm_signs: dq 0x8000000000000000, 0x8000000000000000, 0x8000000000000000, 0x8000000000000000
out: times 32 db 0
    align 64
area: times 832 db 0
