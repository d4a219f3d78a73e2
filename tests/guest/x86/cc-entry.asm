; mode: 32
; INC and DEC as the first flag reader of a TB (the flag kind is only known at run time,
; translate-cc.c x86_gen_entry_cf): the TB is translated with an inline CF for the kind
; the cc_op field held then, and must give the right CF when it is entered after any
; other kind. Each routine (INC or DEC, then SETC) is first entered after a different kind
; (SUB 32-bit, ADD, LOGIC, INC, STC, SUB 8-bit, SHL), then after every kind with CF set and
; clear; the carry it sees is in DL, ECX counts.
    bits 32
    org 0x1000
%include "lib.inc"

; The flag states, each ending its TB with a JMP (so the routine's TB starts with it).
%macro SUB32_CF1 0
    mov eax, 1
    mov ebx, 2
    cmp eax, ebx
%endmacro
%macro SUB32_CF0 0
    mov eax, 3
    mov ebx, 2
    cmp eax, ebx
%endmacro
%macro ADD32_CF1 0
    mov eax, 0xffffffff
    add eax, 2
%endmacro
%macro ADD32_CF0 0
    mov eax, 0x7fffffff
    add eax, 1
%endmacro
%macro LOGIC_CF0 0
    mov eax, 0xff
    and eax, 0x0f
%endmacro
%macro INC_CF1 0
    stc
    mov esi, 0xffffffff
    inc esi
%endmacro
%macro STC_CF1 0
    stc
%endmacro
%macro CLC_CF0 0
    clc
%endmacro
%macro SUB8_CF1 0
    mov eax, 0x12345601                 ; 1 - 2 in AL, other bits set
    mov ebx, 0xabcdef02
    cmp al, bl
%endmacro
%macro SUB8_CF0 0
    mov eax, 0x00000003
    mov ebx, 0xffffff02
    cmp al, bl
%endmacro
%macro ADD16_CF1 0
    mov eax, 0x1234ffff
    add ax, 1
%endmacro
%macro SHL_CF1 0
    mov eax, 0x80000000
    shl eax, 1
%endmacro

; ENTER routine, state, expected CF: enter the routine right after the state's TB
%macro ENTER 3
    %2
    call %1
    CHECK dl, %3
%endmacro

; ALL routine: the routine after every state
%macro ALL 1
    ENTER %1, SUB32_CF1, 1
    ENTER %1, SUB32_CF0, 0
    ENTER %1, ADD32_CF1, 1
    ENTER %1, ADD32_CF0, 0
    ENTER %1, LOGIC_CF0, 0
    ENTER %1, INC_CF1, 1
    ENTER %1, STC_CF1, 1
    ENTER %1, CLC_CF0, 0
    ENTER %1, SUB8_CF1, 1
    ENTER %1, SUB8_CF0, 0
    ENTER %1, ADD16_CF1, 1
    ENTER %1, SHL_CF1, 1
%endmacro

    xor ecx, ecx
    ENTER inc_sub, SUB32_CF1, 1         ; first entries: each routine is translated
    ENTER dec_add, ADD32_CF1, 1         ; while the cc_op field holds that kind
    ENTER inc_logic, LOGIC_CF0, 0
    ENTER inc_inc, INC_CF1, 1
    ENTER inc_stc, STC_CF1, 1
    ENTER dec_sub8, SUB8_CF1, 1
    ENTER inc_shl, SHL_CF1, 1
    ALL inc_sub
    ALL dec_add
    ALL inc_logic
    ALL inc_inc
    ALL inc_stc
    ALL dec_sub8
    ALL inc_shl
    CHECK ecx, 3 + 12 * 5 - 12 * 2      ; 5 INC and 2 DEC routines entered 1 + 12 times
    PASS

inc_sub:
    inc ecx
    setc dl
    ret
dec_add:
    dec ecx
    setc dl
    ret
inc_logic:
    inc ecx
    setc dl
    ret
inc_inc:
    inc ecx
    setc dl
    ret
inc_stc:
    inc ecx
    setc dl
    ret
dec_sub8:
    dec ecx
    setc dl
    ret
inc_shl:
    inc ecx
    setc dl
    ret
