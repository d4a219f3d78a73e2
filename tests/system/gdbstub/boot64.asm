; Multiboot 2 entry of the x86-64 gdbstub test kernel (an ELF64 file, entered in 32-bit
; protected mode): 4-level paging with 2 MiB pages, identity for the first GiB and an
; alias of physical 0 at 0x40000000, long mode, then kmain in 64-bit code.
bits 32
section .multiboot
align 8
mb2_start:
    dd 0xe85250d6, 0, mb2_end - mb2_start, -(0xe85250d6 + (mb2_end - mb2_start))
    dw 0, 0
    dd 8
mb2_end:

section .text
global _start, late_code, late_code_size
extern kmain
_start:
    mov esp, stack_top
    mov edi, pd0
    mov eax, 0x83                           ; present, writable, 2 MiB page
    mov ecx, 512
.fill:
    mov [edi], eax
    add eax, 0x200000
    add edi, 8
    loop .fill
    mov dword [pd1], 0x83                   ; 0x40000000 -> physical 0
    mov dword [pml4], pdpt + 3
    mov dword [pdpt], pd0 + 3
    mov dword [pdpt + 8], pd1 + 3
    mov eax, pml4
    mov cr3, eax
    mov eax, cr4
    or eax, 0x20                            ; CR4.PAE
    mov cr4, eax
    mov ecx, 0xc0000080                     ; EFER.LME
    rdmsr
    or eax, 0x100
    wrmsr
    mov eax, cr0
    or eax, 0x80000001                      ; CR0.PG | CR0.PE
    mov cr0, eax
    lgdt [gdt_ptr]
    jmp 0x08:long_entry
bits 64
long_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov rsp, stack_top
    call kmain
.halt:
    hlt
    jmp .halt

section .rodata
late_code: db 0xb8, 42, 0, 0, 0, 0xc3
late_code_size: dd 6
align 8
gdt: dq 0, 0x00af9a000000ffff, 0x00cf92000000ffff
gdt_ptr: dw 23
    dd gdt

section .data
align 4096
pml4: times 512 dq 0
pdpt: times 512 dq 0
pd0: times 512 dq 0
pd1: times 512 dq 0
stack: times 8192 db 0
stack_top:
