; mode: 16
; x87 in real mode: the 16- and 32-bit real-mode FNSTENV formats (20-bit instruction and
; operand pointers split into low word and bits 19..16 above the opcode), FNSAVE/FRSTOR
; in the 16-bit real-mode format (94 bytes), FLDENV, and arithmetic with 16-bit
; addressing.
    bits 16
    org 0x1000
%include "lib.inc"

    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x8000
    mov ax, 0x0100
    mov fs, ax                          ; FS base 0x1000
    fninit
    fld1
    mov bx, val
last_insn:
    fadd dword [fs:bx - 0x1000]          ; DS offset val - 0x1000, segment 0x100
    fnstenv [env16]                     ; 16-bit real format, 14 bytes
    CHECK word [env16], 0x037f
    CHECK word [env16 + 2], 0x3800      ; TOP 7
    CHECK word [env16 + 4], 0x3fff      ; R7 valid
    CHECK word [env16 + 6], last_insn   ; FIP bits 15..0 (CS = 0)
    CHECK word [env16 + 8], 0x0087      ; FIP 19..16 = 0, FOP: D8 with ModRM 87h
    CHECK word [env16 + 10], val        ; FDP = 0x1000 + (val - 0x1000)
    CHECK word [env16 + 12], 0
    fldcw [cw_all]                      ; FNSTENV masked everything: restore
    fistp word [tmp]
    CHECK word [tmp], 3
    ; 32-bit real format (operand-size prefix): 28 bytes, reserved halves FFFFh
last_insn2:
    fld1
    o32 fnstenv [env32]
    CHECK word [env32 + 2], 0xffff
    CHECK word [env32 + 4], 0x3800
    CHECK word [env32 + 12], last_insn2      ; FIP 15..0
    CHECK dword [env32 + 16], 0x000001e8 ; FIP 31..16 << 12 | FOP (D9 E8 -> 0x1e8)
    CHECK word [env32 + 20], tmp        ; FDP 15..0 (from the FISTP)
    fldcw [cw_all]
    fstp st0
    ; FNSAVE / FRSTOR, 16-bit real format: env (14) then ST0..ST7
    fninit
    fld dword [three]
    fld1
    fnsave [save16]
    CHECK word [save16 + 2], 0x3000     ; TOP 6
    CHECK word [save16 + 14 + 8], 0x3fff ; ST0 = 1.0
    CHECK word [save16 + 24 + 8], 0x4000 ; ST1 = 3.0
    fnstsw ax
    CHECK ax, 0
    frstor [save16]
    fsubp st1, st0                      ; 3 - 1
    fistp word [tmp]
    CHECK word [tmp], 2
    ; FLDENV (16-bit real format): control word and TOP come back
    mov word [env16], 0x0c7f            ; RC = chop
    mov word [env16 + 2], 0x2000        ; TOP 4
    mov word [env16 + 4], 0xffff
    fldenv [env16]
    fnstsw ax
    CHECK ax, 0x2000
    fld dword [two_5]
    fistp word [tmp]
    CHECK word [tmp], 2                 ; chopped
    PASS

    align 4
val: dd 2.0
three: dd 3.0
two_5: dd 2.5
cw_all: dw 0x037f
tmp: dw 0
env16: times 14 db 0
env32: times 28 db 0
save16: times 94 db 0
