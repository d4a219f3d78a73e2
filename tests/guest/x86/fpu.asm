; mode: 32
; x87 basics: FNINIT state, control/status words, loads and stores of every format,
; arithmetic, comparisons (FCOM/FNSTSW, FCOMI), FXCH, constants, the stack fault (C1,
; IE+SF, masked indefinite), #NM from CR0.TS and FWAIT with MP+TS, FNSAVE/FRSTOR,
; FNSTENV, FXSAVE/FXRSTOR layout, no #MF with CR0.NE = 0, #MF with CR0.NE = 1.
    bits 32
    org 0x1000
%include "lib.inc"

    fninit
    fnstsw ax
    CHECK ax, 0
    fnstcw [tmp]
    CHECK word [tmp], 0x037f
    ; 1 + 2 = 3, * 2.5 = 7.5, / 0.5 = 15, sqrt(16) = 4
    fld1
    fild dword [two]
    faddp st1, st0
    fmul qword [d2_5]
    fdiv dword [f0_5]
    fistp dword [tmp]
    CHECK dword [tmp], 15
    fild word [w16]
    fsqrt
    fist word [tmp]
    CHECK word [tmp], 4
    fstp qword [tmp]
    CHECK dword [tmp], 0
    CHECK dword [tmp + 4], 0x40100000
    fnstsw ax
    and ax, 0x3800
    CHECK ax, 0                        ; stack empty again, TOP = 0

    ; 80-bit round trip of an odd pattern, FXCH, FSUBR
    fld tword [t80]
    fld1
    fxch st1
    fstp tword [tmp]
    CHECK dword [tmp], 0x89abcdef
    CHECK dword [tmp + 4], 0x81234567
    CHECK word [tmp + 8], 0x4005
    fldz
    fsubr st0, st1                      ; 1 - 0
    fistp dword [tmp]
    CHECK dword [tmp], 1
    fstp st0

    ; FCOM / FNSTSW / SAHF and FCOMI
    fld1
    fldz
    fcom st1                            ; 0 < 1: C0
    fnstsw ax
    and ax, 0x4500
    CHECK ax, 0x0100
    fcomi st0, st1
    CHECKF ZF|PF|CF, CF
    fxch st1
    fcomip st0, st1                     ; 1 > 0
    CHECKF ZF|PF|CF, 0
    fstp st0
    fldpi
    fistp dword [tmp]
    CHECK dword [tmp], 3
    fld dword [qnan]
    fld1
    fucompp                             ; unordered: C3 C2 C0
    fnstsw ax
    and ax, 0x4500
    CHECK ax, 0x4500

    ; rounding control: 2.5 -> 2 (nearest), 3 (up), 2 (down / chop)
    fld qword [d2_5]
    fistp dword [tmp]
    CHECK dword [tmp], 2
    mov word [tmp], 0x0b7f
    fldcw [tmp]
    fld qword [d2_5]
    fistp dword [tmp]
    CHECK dword [tmp], 3
    fninit

    ; stack underflow: masked, result indefinite, IE SF, C1 = 0
    fadd st0, st1
    fnstsw ax
    and ax, 0x3a41
    CHECK ax, 0x0041                    ; nothing pushed, TOP stays 0
    fninit
    fld1
    fadd st0, st2                       ; ST2 empty
    fnstsw ax
    and ax, 0x0241
    CHECK ax, 0x0041
    fstp qword [tmp]
    CHECK dword [tmp + 4], 0xfff80000   ; QNaN indefinite
    ; stack overflow: C1 = 1
    fninit
    mov ecx, 9
.push:
    fld1
    loop .push
    fnstsw ax
    and ax, 0x0241
    CHECK ax, 0x0241
    fninit
    fist dword [tmp]                    ; empty -> integer indefinite
    CHECK dword [tmp], 0x80000000

    ; FNSAVE / FRSTOR (32-bit protected format, 108 bytes), FNSTENV
    fninit
    fld1
    fldz
    fnsave [area]
    CHECK word [area], 0x037f
    CHECK word [area + 4], 0x3000       ; TOP = 6
    CHECK word [area + 8], 0x1fff       ; R7 valid, R6 zero
    CHECK word [area + 28 + 8], 0       ; ST0 = +0
    CHECK word [area + 38 + 8], 0x3fff  ; ST1 = 1.0
    fnstsw ax
    CHECK ax, 0                         ; FNSAVE re-initialises
    frstor [area]
    fnstsw ax
    CHECK ax, 0x3000
    fstp st0
    fistp dword [tmp]
    CHECK dword [tmp], 1
    fnstenv [area]
    CHECK word [area + 8], 0xffff
    ; 16-bit protected format (operand-size prefix): 14 bytes, offsets and selectors
    fldcw [area]                        ; (FNSTENV masked everything: same value back)
    fld1
fild_insn:
    fild word [w16]
    o16 fnstenv [area]
    CHECK word [area + 2], 0x3000       ; TOP 6
    CHECK word [area + 4], 0x0fff       ; R7, R6 valid
    CHECK word [area + 6], fild_insn    ; FIP offset (low 16 bits)
    CHECK word [area + 8], 0x08         ; FCS
    CHECK word [area + 10], w16         ; FDP offset (low 16 bits)
    CHECK word [area + 12], 0x10        ; FDS
    fninit

    ; FXSAVE / FXRSTOR: abridged tag, ST0 at 32
    fninit
    fld1
    fxsave [fxarea]
    CHECK word [fxarea], 0x037f
    CHECK byte [fxarea + 4], 0x80
    CHECK dword [fxarea + 24], 0x1f80
    CHECK word [fxarea + 32 + 8], 0x3fff
    fninit
    fxrstor [fxarea]
    fistp dword [tmp]
    CHECK dword [tmp], 1

    ; #NM: CR0.TS on an x87 instruction; FWAIT only with MP
    mov dword [0x510], nm_handler
    mov eax, cr0
    or eax, 8                           ; TS
    mov cr0, eax
    fwait                               ; MP = 0: no fault
    mov dword [0x500], -1
nm_insn:
    fld1
    mov esi, $
    jmp fail
nm_back:
    CHECK dword [0x500], 7
    CHECK dword [0x508], nm_insn
    mov eax, cr0
    or eax, 2                           ; MP
    mov cr0, eax
    mov dword [0x510], nm2_handler
nm2_insn:
    fwait
    mov esi, $
    jmp fail
nm2_back:
    CHECK dword [0x508], nm2_insn
    clts

    ; CR0.NE = 0: a pending unmasked exception raises FERR# (no controller here), no #MF
    mov dword [0x500], -1
    fninit
    mov word [tmp], 0x037b
    fldcw [tmp]
    fld1
    fldz
    fdivp st1, st0
    fwait
    fld1
    CHECK dword [0x500], -1
    fnstsw ax
    and ax, 0x3884
    CHECK ax, 0x2884                    ; TOP 5: FLD went on; ES, ZE

    ; #MF (CR0.NE = 1): unmasked ZE at FDIV, delivered at the next waiting instruction
    mov eax, cr0
    or eax, 0x20
    mov cr0, eax
    fninit
    mov word [tmp], 0x037b              ; ZE unmasked
    fldcw [tmp]
    fld1
    fldz
    fdivp st1, st0                      ; no result, no pop
    fnstsw ax
    and ax, 0x38ff
    CHECK ax, 0x3084                    ; TOP 6, ES, ZE
    mov dword [0x510], mf_handler
mf_insn:
    fwait
    mov esi, $
    jmp fail
mf_back:
    CHECK dword [0x500], 16
    CHECK dword [0x508], mf_insn
    fnclex
    fwait
    fstp st0
    fistp dword [tmp]
    CHECK dword [tmp], 1
    PASS

nm_handler:
    jmp nm_back
nm2_handler:
    jmp nm2_back
mf_handler:
    jmp mf_back

    align 8
d2_5: dq 2.5
f0_5: dd 0.5
two: dd 2
w16: dw 16
qnan: dd 0x7fc00000
t80: dq 0x8123456789abcdef
    dw 0x4005
    align 16
tmp: times 16 db 0
area: times 108 db 0
    align 16
fxarea: times 512 db 0
