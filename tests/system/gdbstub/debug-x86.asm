; x86 test kernel for tests/system/gdbstub-x86.sh (Multiboot 1, 32-bit, no paging). Each
; debugger feature has its code between labels that the test compares the stop address
; with: write watchpoints of 1, 2, 4 and 8 bytes (a neighbouring byte is written first
; and must not trigger), read and access watchpoints, a hardware breakpoint, EIP and
; EFLAGS written by gdb, and single steps while the PIT's interrupt is pending (8259A
; IRR polled with IF clear, then sti).
bits 32
section .multiboot
align 4
    dd 0x1badb002, 0x3, -(0x1badb002 + 0x3)

section .text
global _start, after_w8, after_w16, after_w32, after_w64, after_r, after_a_read
global after_a_write, hb_here, set_eip_here, eip_target, flags_here, flags_taken
global step_here, after_steps, timer_handler, idle
_start:
    mov esp, stack_top
    lgdt [gdt_ptr]
    jmp 0x08:.flat
.flat:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov byte [v8 + 1], 0x11             ; next to the 1-byte watch: no hit
    mov byte [v8], 0x22
after_w8:
    mov byte [v16 + 2], 0x11
    mov word [v16], 0x3344
after_w16:
    mov dword [v32 + 4], 0x11
    mov dword [v32], 0x55667788
after_w32:
    mov dword [v64 + 4], 0x99aabbcc     ; the upper half of the 8-byte watch
after_w64:
    mov eax, [rd32]
after_r:
    mov eax, [acc32]
after_a_read:
    mov ebx, 0x1234
    mov [acc32], ebx
after_a_write:
    nop
hb_here:
    nop
set_eip_here:                           ; gdb moves EIP to eip_target
    mov dword [result_eip], 0xbad
    jmp eip_done
eip_target:
    mov dword [result_eip], 0x600d
eip_done:
    xor eax, eax
    inc eax                             ; ZF clear; gdb sets it
flags_here:
    jz flags_taken
    mov dword [result_flags], 0xbad
    jmp timer
flags_taken:
    mov dword [result_flags], 0x600d
timer:
    mov eax, timer_handler              ; IDT gate 0x20: 32-bit interrupt gate
    mov [idt + 0x20 * 8], ax
    mov word [idt + 0x20 * 8 + 2], 0x08
    mov word [idt + 0x20 * 8 + 4], 0x8e00
    shr eax, 16
    mov [idt + 0x20 * 8 + 6], ax
    lidt [idt_ptr]
    mov al, 0x11                        ; 8259A: ICW1..4, IRQ0-7 at vectors 0x20-0x27
    out 0x20, al
    mov al, 0x20
    out 0x21, al
    mov al, 4
    out 0x21, al
    mov al, 1
    out 0x21, al
    mov al, 0xfe                        ; only IRQ0
    out 0x21, al
    mov al, 0x34                        ; PIT channel 0, mode 2, divisor 1000
    out 0x43, al
    mov ax, 1000
    out 0x40, al
    mov al, ah
    out 0x40, al
.poll:
    mov al, 0x0a                        ; OCW3: read IRR
    out 0x20, al
    in al, 0x20
    test al, 1
    jz .poll
step_here:                              ; IRQ0 pending, IF clear
    sti
    nop
    nop
    nop
    nop
after_steps:
idle:
    hlt
    jmp idle

timer_handler:
    inc dword [ticks]
    push eax
    mov al, 0x20                        ; EOI
    out 0x20, al
    pop eax
    iret

section .data
global v8, v16, v32, v64, rd32, acc32, result_eip, result_flags, ticks
align 8
v8: dq 0
v16: dq 0
v32: dq 0
v64: dq 0
rd32: dq 0x77
acc32: dq 0
result_eip: dd 0
result_flags: dd 0
ticks: dd 0
align 8
gdt: dq 0, 0x00cf9a000000ffff, 0x00cf92000000ffff
gdt_ptr: dw 23
    dd gdt
idt_ptr: dw 0x21 * 8 - 1
    dd idt
align 8
idt: times 0x21 dq 0
stack: times 4096 db 0
stack_top:
