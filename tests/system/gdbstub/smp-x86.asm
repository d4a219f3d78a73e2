; SMP test kernel for tests/system/gdbstub-smp.sh (Multiboot 1, 32-bit, -smp 2): the BSP
; wakes the AP with INIT + SIPI + SIPI (SDM 3A 8.4.4.1; the AP goes from real to
; protected mode through a trampoline at 0x8000), then each CPU counts in a loop of its
; own, so that the test sees which vCPUs ran while gdb stepped or continued one.
bits 32
%define TRAMPOLINE 0x8000
%define LAPIC 0xfee00000
%define ICR_LO (LAPIC + 0x300)

section .multiboot
align 4
    dd 0x1badb002, 0, -0x1badb002

section .text
global _start, bsp_loop, ap_loop
_start:
    mov esp, stack_top
    lgdt [gdt_desc]
    jmp 0x08:.flat
.flat:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov dword [LAPIC + 0xf0], 0x1ff     ; SVR: APIC on
    mov esi, tramp_start
    mov edi, TRAMPOLINE
    mov ecx, tramp_end - tramp_start
    rep movsb
    mov eax, 0x000c4500                 ; INIT, level assert, all excluding self
    call send_ipi
    mov eax, 0x000c4600 | (TRAMPOLINE >> 12)
    call send_ipi
    call send_ipi
bsp_loop:
    inc dword [bsp_count]
    jmp bsp_loop

; eax: ICR low word; waits until the LAPIC has sent it
send_ipi:
    mov dword [LAPIC + 0x310], 0
    mov [ICR_LO], eax
.busy:
    test dword [ICR_LO], 1 << 12
    jnz .busy
    ret

ap32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov esp, ap_stack_top
ap_loop:
    inc dword [ap_count]
    jmp ap_loop

%include "ap-trampoline.inc"
global bsp_count, ap_count
gdt_desc:
    dw gdt_end - gdt - 1
    dd gdt
bsp_count: dd 0
ap_count: dd 0
align 16
stack: times 1024 db 0
stack_top:
ap_stack: times 1024 db 0
ap_stack_top:
