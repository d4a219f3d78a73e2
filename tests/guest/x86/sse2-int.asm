; mode: 32
; MMX and SSE2 integer operations: saturating add/sub (on MMX registers), multiplies,
; PMADDWD, PMULUDQ, PSADBW, packs/unpacks, shuffles, shifts by register (counts beyond
; the width) and immediate, byte shifts, compares, PMOVMSKB, PINSRW/PEXTRW, MOVD/MOVQ,
; MASKMOVDQU, EMMS.
    bits 32
    org 0x1000
%include "lib.inc"

; CHECKX xmm, lo, hi: the two quadwords of an XMM register (through memory)
%macro CHECKX 3
    movdqu [xout], %1
    CHECK dword [xout], (%2) & 0xffffffff
    CHECK dword [xout + 4], ((%2) >> 32) & 0xffffffff
    CHECK dword [xout + 8], (%3) & 0xffffffff
    CHECK dword [xout + 12], ((%3) >> 32) & 0xffffffff
%endmacro
; CHECKM mm, q
%macro CHECKM 2
    movq [xout], %1
    CHECK dword [xout], (%2) & 0xffffffff
    CHECK dword [xout + 4], ((%2) >> 32) & 0xffffffff
%endmacro

    mov eax, cr4
    or eax, 0x600
    mov cr4, eax

    ; saturation on MMX registers
    movq mm0, [sat_a]
    movq mm1, mm0
    paddsb mm1, [sat_b]
    CHECKM mm1, 0x000000208000807f
    movq mm1, mm0
    paddusb mm1, [sat_b]
    CHECKM mm1, 0xff00ff20ffffff80
    movq mm1, mm0
    psubsb mm1, [sat_b]
    CHECKM mm1, 0xfe00e000007f817e
    movq mm1, mm0
    psubusb mm1, [sat_b]
    CHECKM mm1, 0xfe00e0000000007e
    movq mm2, [words_a]
    psrlq mm2, 8
    CHECKM mm2, 0x0000040003000200
    pshufw mm3, [words_a], 0x1b
    CHECKM mm3, 0x0001000200030004
    pcmpeqb mm4, mm4
    pmovmskb eax, mm4
    CHECK eax, 0xff
    ; the x87 aliasing (FXSAVE image): after an MMX instruction TOP = 0 and every tag
    ; valid; MM4 is physical register 4 = ST(4), its exponent all ones; EMMS empties
    ; every tag
    fxsave [fxarea]
    CHECK byte [fxarea + 4], 0xff
    mov ax, [fxarea + 2]
    and ax, 0x3800
    CHECK ax, 0
    CHECK dword [fxarea + 32 + 4 * 16], 0xffffffff
    CHECK word [fxarea + 32 + 4 * 16 + 8], 0xffff
    emms
    fxsave [fxarea]
    CHECK byte [fxarea + 4], 0

    ; multiplies
    movdqa xmm2, [words_a]
    pmullw xmm2, [words_b]
    CHECKX xmm2, 0x0010000900040001, 0x0001000080000000
    movdqa xmm2, [words_a]
    pmulhw xmm2, [words_b]
    CHECKX xmm2, 0, 0x00000000c0004000
    movdqa xmm2, [words_a]
    pmaddwd xmm2, [words_b]
    CHECKX xmm2, 0x0000001900000005, 0x0000000100008000
    movdqa xmm2, [dwords_a]
    pmuludq xmm2, [dwords_b]
    CHECKX xmm2, 0xfffffffe00000001, 6
    movdqa xmm2, [sad_a]
    psadbw xmm2, [sad_b]
    CHECKX xmm2, 0x240, 0x7f8
    ; packs, unpacks, shuffles
    movdqa xmm3, [words_b]
    packsswb xmm3, xmm3
    CHECKX xmm3, 0xffff7f8004030201, 0xffff7f8004030201
    movdqa xmm3, [words_b]
    packuswb xmm3, xmm3
    CHECKX xmm3, 0x0000ff0004030201, 0x0000ff0004030201
    movdqa xmm4, [seq]
    punpcklbw xmm4, [seq + 16]
    CHECKX xmm4, 0x1303120211011000, 0x1707160615051404
    pshufd xmm6, [dwords_a], 0x1b
    CHECKX xmm6, 0x0000000200000007, 0xffffffff00000005
    ; shifts
    movdqa xmm4, [seq]
    psrldq xmm4, 3
    CHECKX xmm4, 0x0a09080706050403, 0x0000000f0e0d0c0b
    pslldq xmm4, 17
    CHECKX xmm4, 0, 0
    movdqa xmm5, [words_b]
    mov eax, 20
    movd xmm7, eax
    psraw xmm5, xmm7
    CHECKX xmm5, 0, 0xffffffff0000ffff
    movdqa xmm5, [words_b]
    psrlw xmm5, xmm7
    CHECKX xmm5, 0, 0
    movdqa xmm5, [dwords_a]
    psllq xmm5, 4
    CHECKX xmm5, 0x0000005ffffffff0, 0x0000007000000020
    ; compares, masks, word insert/extract, MOVD/MOVQ
    movdqa xmm0, [seq]
    pcmpeqb xmm0, [seq_lo]
    pmovmskb eax, xmm0
    CHECK eax, 0x00ff
    mov eax, 0x1234beef
    pinsrw xmm0, eax, 5
    pextrw ecx, xmm0, 5
    CHECK ecx, 0xbeef
    movd xmm1, eax
    CHECKX xmm1, 0x1234beef, 0
    movq xmm2, [dwords_b]
    CHECKX xmm2, 0x00000009ffffffff, 0
    movd edx, xmm2
    CHECK edx, 0xffffffff
    ; MASKMOVDQU: the bytes whose mask byte has bit 7 set
    movdqa xmm0, [seq]
    movdqa xmm1, [mask]
    mov edi, buf
    maskmovdqu xmm0, xmm1
    CHECK dword [buf], 0xee02ee00
    CHECK dword [buf + 4], 0xeeeeee04
    CHECK dword [buf + 8], 0xeeeeeeee
    CHECK dword [buf + 12], 0x0feeeeee
    PASS

    align 16
sat_a: db 0x7f, 0x80, 0x7f, 0x80, 0x10, 0xf0, 0x00, 0xff
sat_b: db 0x01, 0xff, 0x81, 0x80, 0x10, 0x10, 0x00, 0x01
words_a: dw 1, 2, 3, 4, 0x8000, 0x8000, 0, 0xffff
words_b: dw 1, 2, 3, 4, 0x8000, 0x7fff, 0xffff, 0xffff
dwords_a: dd 0xffffffff, 5, 2, 7
dwords_b: dd 0xffffffff, 9, 3, 8
sad_a: db 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0xff, 0, 0xff, 0, 0xff, 0, 0xff, 0
sad_b: db 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff
seq: db 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
     db 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0, 0, 0, 0, 0, 0, 0, 0
seq_lo: db 0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0
mask: db 0x80, 0, 0xff, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x81
buf: times 16 db 0xee
xout: times 16 db 0
    align 16
fxarea: times 512 db 0
