; mode: 32
; SHL SHR SAR ROL ROR RCL RCR SHLD SHRD: results, CF, OF for counts of 1, SZP for shifts
; (AF and OF for counts > 1 are undefined and left out); a count of 0 changes no flag.
    bits 32
    org 0x1000
%include "lib.inc"

    mov eax, 0x80000001
    shl eax, 1
    CHECKF CF|OF|ZF|SF, CF|OF
    CHECK eax, 2

    mov al, 0x81
    shr al, 1
    CHECKF CF|OF|ZF|SF|PF, CF|OF
    CHECK al, 0x40

    mov eax, 0x80000000
    sar eax, 4
    CHECKF CF|ZF|SF, SF
    CHECK eax, 0xf8000000

    mov ecx, 0
    SETF CF|ZF
    mov ebx, 0x1234
    shl ebx, cl                     ; count 0: flags and value unchanged
    CHECKF ARITH, CF|ZF
    CHECK ebx, 0x1234

    mov cl, 33                      ; masked to 1
    mov edx, 0x40000000
    shl edx, cl
    CHECKF CF|OF|SF|ZF, OF|SF
    CHECK edx, 0x80000000

    mov eax, 0x80000001
    rol eax, 1
    CHECKF CF|OF, CF|OF
    CHECK eax, 3
    mov ax, 0x0001
    ror ax, 1
    CHECKF CF|OF, CF|OF
    CHECK ax, 0x8000
    mov bl, 0x96
    rol bl, 4
    CHECK bl, 0x69

    SETF CF
    mov al, 0x80
    rcl al, 1
    CHECKF CF|OF, CF|OF
    CHECK al, 1
    SETF 0
    mov al, 1
    rcr al, 1
    CHECKF CF, CF
    CHECK al, 0
    SETF CF
    mov eax, 0
    rcr eax, 1
    CHECK eax, 0x80000000

    mov eax, 0x12345678
    mov edx, 0x9abcdef0
    shld eax, edx, 8
    CHECK eax, 0x3456789a
    mov eax, 0x12345678
    mov cl, 12
    shrd eax, edx, cl
    CHECK eax, 0xef012345

    ; memory operands
    mov dword [val], 0x00000003
    shl dword [val], 30
    CHECK dword [val], 0xc0000000
    sar dword [val], 31
    CHECK dword [val], 0xffffffff
    PASS

val: dd 0
