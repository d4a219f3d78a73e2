; mode: 64
; AVX/AVX2 masked and gathered memory accesses: VMASKMOVPS loads and stores touch only
; elements whose mask bit is set (masked-off elements beyond the end of RAM do not
; fault), VPMASKMOVQ; VPGATHERDD / VGATHERQPD results, merging under a partial mask, the
; mask cleared at the end, a fault in the middle leaving the finished elements done (their
; mask cleared) for the restart, #UD for a destination equal to the index register.
    bits 64
    org 0x1000
%include "lib.inc"

RAM_END equ 0x400000

    mov rax, cr4
    or eax, (1 << 18) | (1 << 9)
    mov cr4, rax
    xor ecx, ecx
    xor edx, edx
    mov eax, 7
    xsetbv

    ; VMASKMOVPS load: elements 0-3 just below the end of RAM, 4-7 beyond it (masked off)
    mov rdi, RAM_END - 16
    mov dword [rdi], 11
    mov dword [rdi + 12], 44
    vmovdqu ymm3, [mask_low4]
    vmovdqu ymm1, [ones]
    vmaskmovps ymm1, ymm3, [rdi]
    vmovdqu [out], ymm1
    CHECK dword [out], 11
    CHECK dword [out + 12], 44
    CHECK dword [out + 16], 0               ; masked off: zero
    CHECK dword [out + 28], 0
    ; the store: only the low four elements written
    vmovdqu ymm1, [ones]
    vmaskmovps [rdi], ymm3, ymm1
    CHECK dword [rdi], -1
    CHECK dword [rdi + 12], -1
    ; an element with its mask set beyond RAM faults
    vmovdqu ymm3, [ones]
    EXPECT_EXC 14, vmaskmovps ymm1, ymm3, [rdi]
    ; VPMASKMOVQ store, mask in element 1 only
    mov qword [out], 0
    mov qword [out + 8], 0
    vmovdqu ymm3, [mask_q1]
    vmovdqu ymm1, [ones]
    vpmaskmovq [out], ymm3, ymm1
    CHECK qword [out], 0
    CHECK qword [out + 8], -1

    ; VPGATHERDD ymm1, [rsi + ymm2*4], ymm3: indices 7..0
    lea rsi, [table]
    vmovdqu ymm2, [idx_rev]
    vmovdqu ymm3, [ones]
    vmovdqu ymm1, [zeros]
    vpgatherdd ymm1, [rsi + ymm2 * 4], ymm3
    vmovdqu [out], ymm1
    CHECK dword [out], 107
    CHECK dword [out + 28], 100
    vmovdqu [out], ymm3
    CHECK qword [out], 0                    ; mask cleared
    CHECK qword [out + 24], 0
    ; merging: mask only in elements 0-3, the others keep the destination
    vmovdqu ymm3, [mask_low4]
    vmovdqu ymm1, [ones]
    vpgatherdd ymm1, [rsi + ymm2 * 4], ymm3
    vmovdqu [out], ymm1
    CHECK dword [out + 12], 104
    CHECK dword [out + 16], -1
    ; VGATHERQPD xmm1, [rsi + xmm2*8], xmm3 (VEX.128: bits 255:128 cleared)
    vmovdqu ymm2, [idx_q]
    vmovdqu ymm3, [ones]
    vmovdqu ymm1, [ones]
    vgatherqpd xmm1, [rsi + xmm2 * 8], xmm3
    vmovdqu [out], ymm1
    CHECK64 qword [out], 0x0000006b0000006a     ; table qword 3 (dwords 6, 7: 106, 107)
    CHECK64 qword [out + 8], 0x0000006700000066 ; table qword 1 (102, 103)
    CHECK qword [out + 16], 0
    ; a fault at element 2: elements 0 and 1 done and their mask cleared, the rest kept
    vmovdqu ymm2, [idx_fault]
    vmovdqu ymm3, [ones]
    vmovdqu ymm1, [zeros]
    EXPECT_EXC 14, vpgatherdd ymm1, [rsi + ymm2 * 4], ymm3
    vmovdqu [out], ymm1
    CHECK dword [out], 100
    CHECK dword [out + 4], 101
    CHECK dword [out + 8], 0
    vmovdqu [out], ymm3
    CHECK dword [out], 0
    CHECK dword [out + 4], 0
    CHECK dword [out + 8], -1
    ; the destination equal to the index register: #UD
    EXPECT_EXC 6, db 0xc4, 0xe2, 0x65, 0x90, 0x0c, 0x8e  ; vpgatherdd ymm1, [rsi+ymm1*4], ymm3
    PASS

    align 32
table: dd 100, 101, 102, 103, 104, 105, 106, 107
idx_rev: dd 7, 6, 5, 4, 3, 2, 1, 0
idx_q: dq 3, 1, 0, 0
idx_fault: dd 0, 1, 0x10000000, 3, 4, 5, 6, 7
mask_low4: dd -1, -1, -1, -1, 0, 0, 0, 0
mask_q1: dq 0, -1, 0, 0
ones: times 8 dd -1
zeros: times 8 dd 0
out: times 32 db 0
