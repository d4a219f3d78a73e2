; mode: 64
; x87 in 64-bit mode: FXSAVE64 (REX.W: 64-bit FIP/FDP) and FXSAVE (32-bit FIP + FCS), the
; sixteen XMM slots of the legacy area and the untouched bytes after them, FXRSTOR64,
; FXSAVE's #GP on a misaligned area, RIP-relative x87 operands.
    bits 64
    org 0x1000
%include "lib.inc"

    fninit
    fld1
last_insn:
    fadd qword [rel two]
    mov dword [fxarea + 416], 0x5a5a5a5a    ; beyond XMM15: never written
    o64 fxsave [fxarea]
    CHECK word [fxarea], 0x037f
    CHECK word [fxarea + 2], 0x3800
    CHECK byte [fxarea + 4], 0x80
    CHECK word [fxarea + 6], 0x0405         ; FOP: DC with ModRM 05h (RIP-relative)
    mov rax, last_insn
    CHECK64 qword [fxarea + 8], rax         ; 64-bit FIP
    mov rax, two
    CHECK64 qword [fxarea + 16], rax        ; 64-bit FDP
    CHECK dword [fxarea + 24], 0x1f80       ; MXCSR
    CHECK dword [fxarea + 28], 0xffff       ; MXCSR_MASK
    CHECK word [fxarea + 32 + 8], 0x4000    ; ST0 = 3.0
    CHECK dword [fxarea + 416], 0x5a5a5a5a
    fxsave [fxarea32]                       ; no REX.W: FIP 32 bits, FCS at 12
    mov eax, last_insn
    CHECK dword [fxarea32 + 8], eax
    CHECK word [fxarea32 + 12], 0x08        ; the test machine's CS
    fninit
    o64 fxrstor [fxarea]
    fistp dword [tmp]
    CHECK dword [tmp], 3
    fnstsw ax
    CHECK ax, 0
    ; FXSAVE on an area not aligned on 16 bytes: #GP(0)
    mov dword [0x510], gp_handler
    mov dword [0x500], -1
gp_insn:
    fxsave [fxarea + 8]
    mov esi, $
    jmp fail
gp_back:
    CHECK dword [0x500], 13
    CHECK dword [0x504], 0
    mov eax, gp_insn
    CHECK dword [0x508], eax
    ; FCOMI with a 64-bit operand elsewhere
    fld qword [rel two]
    fld1
    fcomip st0, st1
    CHECKF ZF|PF|CF, CF
    fstp st0
    PASS

gp_handler:
    jmp gp_back

    align 8
two: dq 2.0
tmp: dd 0
    align 16
fxarea: times 512 db 0
fxarea32: times 512 db 0
