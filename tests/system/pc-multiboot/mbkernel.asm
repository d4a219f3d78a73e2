; Multiboot test kernel for tests/system/pc-multiboot.sh: prints the boot information it
; was given on COM1 and leaves through isa-debug-exit (port 0xf4, value 0x10: exit status
; 33). Assembled as Multiboot 1 (default) or Multiboot 2 (-DMB2); linked as ELF32 or
; ELF64 (the code is 32-bit either way, as both specifications enter in protected mode).
bits 32

section .multiboot
align 8
%ifdef MB2
mb2_start:
    dd 0xe85250d6, 0, mb2_end - mb2_start, -(0xe85250d6 + (mb2_end - mb2_start))
    align 8
    dw 1, 1                         ; information request, optional: memory map
    dd 12
    dd 6
    align 8
    dw 0, 0                         ; end tag
    dd 8
mb2_end:
%else
    dd 0x1badb002, 0x3, -(0x1badb002 + 0x3)
%endif

section .text
global _start
_start:
    mov esp, stack_top
    mov esi, ebx
    push eax
    mov edx, s_magic
    call puts
    pop eax
    call puthex
    call newline
%ifdef MB2
    lea ebx, [esi + 8]
.tag:
    mov eax, [ebx]
    test eax, eax
    jz .done
    cmp eax, 1
    je .cmdline
    cmp eax, 2
    je .loader
    cmp eax, 3
    je .module
    cmp eax, 4
    je .meminfo
    cmp eax, 6
    je .mmap
    cmp eax, 15
    je .acpi
.next:
    add ebx, [ebx + 4]
    add ebx, 7
    and ebx, ~7
    jmp .tag
.cmdline:
    mov edx, s_cmdline
    call puts
    lea edx, [ebx + 8]
    call puts
    call newline
    jmp .next
.loader:
    mov edx, s_loader
    call puts
    lea edx, [ebx + 8]
    call puts
    call newline
    jmp .next
.module:
    mov edx, s_module
    call puts
    lea edx, [ebx + 16]
    call puts
    mov edx, s_size
    call puts
    mov eax, [ebx + 12]
    sub eax, [ebx + 8]
    call puthex
    call first_bytes
    call newline
    jmp .next
.meminfo:
    mov edx, s_mem
    call puts
    mov eax, [ebx + 8]
    call puthex
    mov edx, s_sp
    call puts
    mov eax, [ebx + 12]
    call puthex
    call newline
    jmp .next
.mmap:
    mov edx, s_mmap
    call puts
    mov eax, [ebx + 4]
    sub eax, 16
    xor edx, edx
    mov ecx, 24
    div ecx
    call puthex
    call newline
    jmp .next
.acpi:
    mov edx, s_acpi
    call puts
    lea edx, [ebx + 8]
    mov byte [edx + 8], 0           ; "RSD PTR " only
    call puts
    call newline
    jmp .next
%else
    mov edx, s_flags
    call puts
    mov eax, [esi]
    call puthex
    call newline
    mov edx, s_mem
    call puts
    mov eax, [esi + 4]
    call puthex
    mov edx, s_sp
    call puts
    mov eax, [esi + 8]
    call puthex
    call newline
    mov edx, s_cmdline
    call puts
    mov edx, [esi + 16]
    call puts
    call newline
    mov edx, s_loader
    call puts
    mov edx, [esi + 64]
    call puts
    call newline
    mov edx, s_mmap
    call puts
    mov eax, [esi + 44]
    xor edx, edx
    mov ecx, 24
    div ecx
    call puthex
    call newline
    mov ecx, [esi + 20]             ; modules
    mov ebx, [esi + 24]
.mod:
    test ecx, ecx
    jz .done
    push ecx
    mov edx, s_module
    call puts
    mov edx, [ebx + 8]
    call puts
    mov edx, s_size
    call puts
    mov eax, [ebx + 4]
    sub eax, [ebx]
    call puthex
    push ebx
    lea ebx, [ebx - 8]              ; first_bytes reads the start at [ebx + 8]
    call first_bytes
    pop ebx
    call newline
    pop ecx
    add ebx, 16
    dec ecx
    jmp .mod
%endif
.done:
    mov edx, s_bye
    call puts
    call newline
    mov al, 0x10
    out 0xf4, al
.halt:
    hlt
    jmp .halt

; " data=" and the first 4 bytes of the module whose start address is at [ebx + 8]
first_bytes:
    mov edx, s_data
    call puts
    mov edx, [ebx + 8]
    mov ecx, 4
.fb:
    mov al, [edx]
    call putc
    inc edx
    loop .fb
    ret

%include "console.inc"

section .data
s_magic: db "magic=", 0
s_flags: db "flags=", 0
s_mem: db "mem=", 0
s_sp: db " ", 0
s_cmdline: db "cmdline=", 0
s_loader: db "loader=", 0
s_mmap: db "mmap_entries=", 0
s_module: db "module=", 0
s_size: db " size=", 0
s_data: db " data=", 0
s_acpi: db "acpi=", 0
s_bye: db "bye", 0

section .bss
align 16
    resb 4096
stack_top:
