; A Multiboot kernel that triple-faults on purpose (tests/system/triple-fault.sh): paging
; on (4 MiB identity page), an IDT of limit 0, then a read of the unmapped 0xdead0000:
; #PF cannot be delivered (#GP), nor can the resulting #DF (#GP again): triple fault.
bits 32
%include "paging32.inc"
section .multiboot
align 4
    dd 0x1badb002, 0x3, -(0x1badb002 + 0x3)

section .text
global _start
_start:
    mov esp, stack_top
    mov dword [page_dir], 0x83              ; 0-4 MiB: present, writable, 4 MiB page
    PAGING_ON_PSE page_dir
    lidt [idt_null]
fault:
    mov eax, [0xdead0000]
    hlt

section .data
idt_null: dw 0
    dd 0
align 4096
page_dir: times 1024 dd 0
stack: times 1024 db 0
stack_top:
