; Multiboot 1 entry of the i386 gdbstub test kernel: paging with 4 MiB pages, identity
; for the first 4 MiB and an alias of physical 0 at 0x40000000 (so that x/FMT through the
; page tables differs from a physical read), then kmain. The late code: mov eax, 42; ret.
bits 32
%include "paging32.inc"
section .multiboot
align 4
    dd 0x1badb002, 0x3, -(0x1badb002 + 0x3)

section .text
global _start, late_code, late_code_size
extern kmain
_start:
    mov esp, stack_top
    mov dword [page_dir], 0x83              ; 0-4 MiB: present, writable, 4 MiB page
    mov dword [page_dir + 256 * 4], 0x83    ; 0x40000000 -> physical 0
    PAGING_ON_PSE page_dir
    call kmain
.halt:
    hlt
    jmp .halt

section .rodata
late_code: db 0xb8, 42, 0, 0, 0, 0xc3
late_code_size: dd 6

section .data
align 4096
page_dir: times 1024 dd 0
stack: times 4096 db 0
stack_top:
