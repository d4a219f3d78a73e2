; run: i386 -cpu max
; A hand-made ELF32 image loaded with -kernel (files named kernel-*.asm are given to
; -kernel, not -bios): its PT_LOAD segment lands at 2 MiB with the bss zeroed, and the CPU
; starts at the entry point in flat 32-bit protected mode with CS = 08h and data = 10h.
%include "sys.inc"
    org 0x200000
    bits 32
ehdr:
    db 0x7f, "ELF", 1, 1, 1, 0
    times 8 db 0
    dw 2, 3                             ; ET_EXEC, EM_386
    dd 1, entry, phdr - ehdr, 0, 0
    dw 52, 32, 1, 0, 0, 0
phdr:
    dd 1, 0, ehdr, ehdr                 ; PT_LOAD, offset 0, vaddr, paddr
    dd file_end - ehdr, file_end - ehdr + 0x1000, 7, 0x1000

entry:
    mov ax, cs
    CHK ax, 0x08, 0x01
    mov ax, ds
    CHK ax, 0x10, 0x02
    mov eax, cr0
    and eax, 0x80000001
    CHK eax, 1, 0x03                    ; PE, no paging
    mov esi, file_end                   ; bss: zeroed by the loader
    mov ecx, 0x1000 / 4
.z: lodsd
    test eax, eax
    jz .nz
    FAIL 0x04
.nz:
    loop .z
    lgdt [gdtr]                         ; our own GDT, then reload the segments
    jmp 0x08:.reloaded
.reloaded:
    mov ax, 0x10
    mov ds, ax
    mov ss, ax
    mov esp, STACK0
    PUTS `ELF kernel in flat protected mode\n`
    PASS

    align 8
gdt:
    dq 0
    DESC 0, 0xfffff, A_CODE0, F_32
    DESC 0, 0xfffff, A_DATA0, F_32
gdtr: dw 23
      dd gdt
file_end:
