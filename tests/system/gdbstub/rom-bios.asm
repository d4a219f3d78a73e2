; A 64 KiB -bios image for tests/system/gdbstub-x86.sh: from the reset vector into 32-bit
; protected mode and a loop at 0xf0100, in the BIOS ROM (its alias below 1 MiB), where the
; test sets a breakpoint (the translator holds it: ROM is never written).
bits 16
start16:
    cli
    o32 lgdt [cs:gdt_ptr]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword 0x08:0xf0000 + pm32
gdt:
    dq 0, 0x00cf9a000000ffff, 0x00cf92000000ffff
gdt_ptr:
    dw 23
    dd 0xf0000 + gdt
bits 32
pm32:
    mov ax, 0x10
    mov ds, ax
    xor eax, eax
    times 0x100 - ($ - $$) nop
rom_loop:                               ; 0xf0100
    inc eax
    jmp rom_loop
    times 0xfff0 - ($ - $$) db 0
bits 16
    jmp 0xf000:start16
    times 0x10000 - ($ - $$) db 0
