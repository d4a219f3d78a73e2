; mode: 32
; VEX outside 64-bit mode: C4/C5 with ModRM.mod != 3 are LES/LDS; as VEX prefixes, VEX.W
; (as an operand size), VEX.B and bit 3 of VEX.vvvv are ignored (SDM vol. 2, 2.3.5).
    bits 32
    org 0x1000
%include "lib.inc"

    mov eax, 0x0ff0f00f
    les ecx, [les_ptr]              ; C4 0D disp32: LES (ES = the null selector)
    CHECK ecx, 0x11223344
    mov eax, 0xff00ff00
    mov ebx, 0x0ff00ff0
    mov ecx, 0x55
    db 0xc4, 0xe2, 0xf8, 0xf2, 0xcb ; ANDN ecx, eax, ebx with VEX.W1: 32-bit
    CHECK ecx, 0x00f000f0
    mov ecx, 0x55
    db 0xc4, 0xe2, 0x38, 0xf2, 0xcb ; vvvv = 8: bit 3 ignored, eax
    CHECK ecx, 0x00f000f0
    mov ecx, 0x55
    db 0xc4, 0xc2, 0x78, 0xf2, 0xcb ; VEX.B = 1 ignored: rm is ebx
    CHECK ecx, 0x00f000f0
    mov edx, 0x80000000
    mov ebx, 6
    mulx esi, edi, ebx
    CHECK esi, 3
    CHECK edi, 0
    mov eax, 0x12345678
    rorx ecx, eax, 12
    CHECK ecx, 0x67812345
    PASS

les_ptr: dd 0x11223344
         dw 0
