; mode: 64
; XSAVE family: CR4.OSXSAVE (#UD without it, CPUID.1:ECX.OSXSAVE), XGETBV/XSETBV (XCR0
; checks: #GP for x87 clear, AVX without SSE, ECX != 0; XGETBV 1 = XINUSE), CPUID
; leaf 0DH sizes, XRSTOR64 then XSAVE64 giving back the same bytes, the 32-bit x87 format
; of XSAVE, a partial RFBM, XRSTOR's init of components (XSTATE_BV = 0) and XINUSE,
; XSAVEC (compacted header, init optimisation) and XRSTOR from its compacted area,
; #GP for misalignment and invalid headers/MXCSR, #NM with CR0.TS, #UD for LOCK and 66.
    bits 64
    org 0x1000
%include "lib.inc"

; CMPMEM a, b, length: the two byte ranges are equal.
%macro CMPMEM 3
    lea rsi, [%1]
    lea rdi, [%2]
    mov ecx, %3
    repe cmpsb
    je %%ok
    mov esi, $
    jmp fail
%%ok:
%endmacro

; FILL area, byte: the 576 bytes of area set to byte.
%macro FILL 2
    lea rdi, [%1]
    mov ecx, 576
    mov al, %2
    rep stosb
%endmacro

; ALL_COMPONENTS: EDX:EAX = all ones (RFBM = XCR0).
%macro ALL_COMPONENTS 0
    mov eax, -1
    mov edx, -1
%endmacro

    cld
    EXPECT_EXC 6, xgetbv
    EXPECT_EXC 6, xsave64 [area_b]
    mov eax, 1
    cpuid
    test ecx, 1 << 26               ; XSAVE offered
    jnz .has_xsave
    mov esi, $
    jmp fail
.has_xsave:
    test ecx, 1 << 27               ; OSXSAVE still clear
    jz .osxsave_clear
    mov esi, $
    jmp fail
.osxsave_clear:
    mov rax, cr4
    or eax, 1 << 18
    mov cr4, rax
    mov eax, 1
    cpuid
    and ecx, 1 << 27
    CHECK ecx, 1 << 27

    xor ecx, ecx
    xgetbv
    CHECK eax, 1                    ; XCR0 after reset: x87
    CHECK edx, 0
    mov eax, 0xd
    xor ecx, ecx
    cpuid
    CHECK eax, 7                    ; x87, SSE and AVX (avx.asm saves the YMM state)
    CHECK ebx, 576                  ; the size for XCR0 = x87
    CHECK ecx, 832                  ; the size for every supported component
    mov eax, 0xd
    mov ecx, 1
    cpuid
    CHECK eax, 7                    ; XSAVEOPT, XSAVEC, XGETBV 1
    xor ecx, ecx
    xor edx, edx
    mov eax, 2
    EXPECT_EXC 13, xsetbv           ; x87 clear
    mov eax, 5
    EXPECT_EXC 13, xsetbv           ; AVX without SSE
    mov eax, 3
    mov ecx, 1
    EXPECT_EXC 13, xsetbv           ; ECX names no XCR
    mov ecx, 2
    EXPECT_EXC 13, xgetbv
    xor ecx, ecx
    mov eax, 3
    xsetbv
    xgetbv
    CHECK eax, 3

    ; XRSTOR64 then XSAVE64: the same bytes (legacy region and header)
    ALL_COMPONENTS
    xrstor64 [area_a]
    mov ecx, 1
    xgetbv                          ; XINUSE: both components
    CHECK eax, 3
    ALL_COMPONENTS
    xsave64 [area_b]
    CMPMEM area_a, area_b, 576
    ; the 32-bit x87 format: FIP/FDP offsets with their selectors (0 here)
    mov eax, 1
    xor edx, edx
    xsave [area_c]
    CHECK64 qword [area_c + 8], 0x55667788
    CHECK64 qword [area_c + 16], 0xddeeff00
    CHECK qword [area_c + 24], 0    ; x87 only: MXCSR and XMM untouched
    CHECK qword [area_c + 160], 0
    CHECK qword [area_c + 512], 1   ; XSTATE_BV
    ; XSAVEOPT saves what XSAVE saves
    ALL_COMPONENTS
    xsaveopt64 [area_g]
    CMPMEM area_a, area_g, 576

    ; XSAVEC: compacted header, the same legacy region
    ALL_COMPONENTS
    xsavec64 [area_f]
    CMPMEM area_a, area_f, 512
    CHECK qword [area_f + 512], 3
    CHECK64 qword [area_f + 520], 0x8000000000000003

    ; XSTATE_BV = 0: both components initialised, XINUSE 0; MXCSR still loaded
    ALL_COMPONENTS
    xrstor64 [area_d]
    mov ecx, 1
    xgetbv
    CHECK eax, 0
    FILL area_e, 0xff
    ALL_COMPONENTS
    xsave64 [area_e]
    CHECK word [area_e], 0x037f     ; FCW
    CHECK word [area_e + 2], 0      ; FSW
    CHECK byte [area_e + 4], 0      ; all empty
    CHECK qword [area_e + 8], 0
    CHECK dword [area_e + 24], 0x1f80
    CHECK qword [area_e + 160], 0
    CHECK qword [area_e + 400 + 8], 0
    CHECK64 qword [area_e + 512], 0xfffffffffffffffc   ; only the requested bits written
    ; XSAVEC of state in its initial configuration writes only the header
    FILL area_e, 0xee
    ALL_COMPONENTS
    xsavec64 [area_e]
    CHECK qword [area_e + 512], 0
    CHECK64 qword [area_e + 520], 0x8000000000000003
    CHECK64 qword [area_e], 0xeeeeeeeeeeeeeeee
    ; XRSTOR of the compacted area, then XSAVE: area_a again
    ALL_COMPONENTS
    xrstor64 [area_f]
    FILL area_b, 0
    ALL_COMPONENTS
    xsave64 [area_b]
    CMPMEM area_a, area_b, 576

    ; faults
    ALL_COMPONENTS
    EXPECT_EXC 13, xsave64 [area_b + 8]
    EXPECT_EXC 13, xrstor64 [area_a + 16]
    call copy_a
    mov byte [area_e + 512], 7      ; XSTATE_BV: AVX not in XCR0
    ALL_COMPONENTS
    EXPECT_EXC 13, xrstor64 [area_e]
    call copy_a
    mov byte [area_e + 528], 1      ; reserved header bytes
    ALL_COMPONENTS
    EXPECT_EXC 13, xrstor64 [area_e]
    call copy_a
    mov dword [area_e + 24], 0x10000    ; MXCSR reserved bit
    ALL_COMPONENTS
    EXPECT_EXC 13, xrstor64 [area_e]
    mov eax, 1                      ; ... not loaded when only x87 is requested
    xor edx, edx
    xrstor64 [area_e]
    call copy_a
    mov qword [area_e + 520], 0     ; compacted: XSTATE_BV beyond XCOMP_BV
    bts qword [area_e + 520], 63
    bts qword [area_e + 520], 0
    ALL_COMPONENTS
    EXPECT_EXC 13, xrstor64 [area_e]
    bts qword [area_e + 520], 1
    mov byte [area_e + 560], 1      ; compacted: bytes 63:16 of the header
    EXPECT_EXC 13, xrstor64 [area_e]
    mov byte [area_e + 560], 0
    xrstor64 [area_e]
    EXPECT_EXC 6, db 0xf0, 0x48, 0x0f, 0xae, 0x23       ; LOCK XSAVE64 [rbx]
    EXPECT_EXC 6, db 0x66, 0x0f, 0xae, 0x23             ; 66 XSAVE [rbx]
    mov rax, cr0
    or eax, 8                       ; CR0.TS
    mov cr0, rax
    ALL_COMPONENTS
    EXPECT_EXC 7, xsave64 [area_b]
    clts
    xsave64 [area_b]
    PASS

; area_e = area_a
copy_a:
    lea rsi, [area_a]
    lea rdi, [area_e]
    mov ecx, 576
    rep movsb
    ret

    align 64
area_a:
    dw 0x0b7f                       ; FCW
    dw 0x2841                       ; FSW: TOP 5, SF, IE
    db 0x80, 0                      ; abridged tag word: R7 valid
    dw 0x01d3                       ; FOP
    dq 0x1122334455667788           ; FIP
    dq 0x99aabbccddeeff00           ; FDP
    dd 0x1fa0                       ; MXCSR
    dd 0xffff                       ; MXCSR_MASK
%assign i 0
%rep 8
    dq 0x8000000000000000 + i * 0x10101
    dw 0x3fff + i
    times 6 db 0
%assign i i + 1
%endrep
%assign i 0
%rep 16
    dq 0xa5a5a5a5a5a5a500 + i, 0x5a5a5a5a5a5a5a00 + i
%assign i i + 1
%endrep
    times 96 db 0
    dq 3                            ; XSTATE_BV
    times 56 db 0
    align 64
area_d:
    times 24 db 0
    dd 0x1f80
    times 548 db 0
%macro AREA 1
    align 64
%1: times 576 db 0
%endmacro
    AREA area_b
    AREA area_c
    AREA area_e
    AREA area_f
    AREA area_g
