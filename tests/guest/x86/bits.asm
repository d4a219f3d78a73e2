; mode: 32
; BT BTS BTR BTC (register, immediate, memory bit strings with negative offsets), BSF BSR
; (zero source: ZF and the destination kept), POPCNT LZCNT TZCNT, BSWAP, XADD, CMPXCHG,
; CMPXCHG8B, LOCK forms.
    bits 32
    org 0x1000
%include "lib.inc"

    mov eax, 0x80000001
    bt eax, 31
    CHECKF CF, CF
    bts eax, 4
    CHECKF CF, 0
    CHECK eax, 0x80000011
    btr eax, 0
    CHECKF CF, CF
    btc eax, 1
    CHECK eax, 0x80000012
    mov ecx, 35                     ; masked to 3 for a register
    bts eax, ecx
    CHECK eax, 0x8000001a

    mov dword [bits_mem], 0
    mov dword [bits_mem + 4], 0
    mov ecx, 33
    bts [bits_mem], ecx             ; bit 1 of the second dword
    CHECK dword [bits_mem + 4], 2
    mov ecx, -1
    bt [bits_mem + 4], ecx          ; bit 31 of the first dword
    CHECKF CF, 0
    lock bts dword [bits_mem], 31
    CHECKF CF, 0
    bt dword [bits_mem], 31
    CHECKF CF, CF

    mov edx, 0x00f00000
    bsf ecx, edx
    CHECKF ZF, 0
    CHECK ecx, 20
    bsr ecx, edx
    CHECK ecx, 23
    mov ecx, 0x77
    xor edx, edx
    bsf ecx, edx
    CHECKF ZF, ZF
    CHECK ecx, 0x77

    mov eax, 0xf0f0f0f1
    popcnt ebx, eax
    CHECKF ZF|CF, 0
    CHECK ebx, 17
    lzcnt ebx, edx
    CHECKF CF|ZF, CF
    CHECK ebx, 32
    mov edx, 0x100
    tzcnt ebx, edx
    CHECK ebx, 8
    lzcnt bx, dx
    CHECK bx, 7

    mov eax, 0x11223344
    bswap eax
    CHECK eax, 0x44332211

    mov dword [mem], 10
    mov ecx, 5
    lock xadd [mem], ecx
    CHECK ecx, 10
    CHECK dword [mem], 15

    mov eax, 15
    mov ecx, 99
    lock cmpxchg [mem], ecx
    CHECKF ZF, ZF
    CHECK dword [mem], 99
    mov eax, 1
    cmpxchg [mem], ecx
    CHECKF ZF, 0
    CHECK eax, 99

    mov dword [q], 1
    mov dword [q + 4], 2
    mov eax, 1
    mov edx, 2
    mov ebx, 3
    mov ecx, 4
    lock cmpxchg8b [q]
    CHECKF ZF, ZF
    CHECK dword [q + 4], 4
    cmpxchg8b [q]
    CHECKF ZF, 0
    CHECK eax, 3
    CHECK edx, 4

    mov dword [mem], 7
    lock add dword [mem], 3
    lock inc dword [mem]
    lock neg dword [mem]
    CHECKF CF|SF, CF|SF
    CHECK dword [mem], -11
    mov eax, 5
    xchg [mem], eax
    CHECK eax, -11
    CHECK dword [mem], 5
    PASS

bits_mem: dd 0, 0
mem: dd 0
q: dd 0, 0
