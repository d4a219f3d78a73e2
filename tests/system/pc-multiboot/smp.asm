; SMP bring-up stress kernel (Multiboot 1, ELF32) for tests/system/pc-smp.sh: the BSP
; wakes the application processors ROUNDS times with INIT + SIPI + SIPI (all excluding
; self, SDM 3A 8.4.4.1), each AP goes from real mode to protected mode, enables its local
; APIC, counts itself in and halts with interrupts on; the BSP then sends one fixed IPI
; (vector 0x40, all excluding self) that every halted AP must take. A round that does not
; see every AP (CMOS 0x5f: CPU count - 1) within about 2 s of TSC (1 GHz) prints what was
; missing and exits with status 3; success prints "smp ok" and exits with status 33
; (isa-debug-exit at 0xf4).
bits 32
%define ROUNDS 300
%define TRAMPOLINE 0x8000
%define LAPIC 0xfee00000
%define ICR_LO (LAPIC + 0x300)
%define SVR (LAPIC + 0xf0)
%define EOI (LAPIC + 0xb0)
%define IPI_VECTOR 0x40

section .multiboot
align 4
    dd 0x1badb002, 0, -0x1badb002

section .text
global _start
_start:
    mov esp, stack_top
    lgdt [gdt_desc]
    jmp 0x08:.flat
.flat:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, ipi_handler                ; IDT entry 0x40: 32-bit interrupt gate
    mov [idt + IPI_VECTOR * 8], ax
    shr eax, 16
    mov [idt + IPI_VECTOR * 8 + 6], ax
    mov word [idt + IPI_VECTOR * 8 + 2], 0x08
    mov word [idt + IPI_VECTOR * 8 + 4], 0x8e00
    lidt [idt_desc]
    mov dword [SVR], 0x1ff
    mov esi, tramp_start
    mov edi, TRAMPOLINE
    mov ecx, tramp_end - tramp_start
    rep movsb
    mov al, 0x5f                        ; CMOS: number of CPUs - 1
    out 0x70, al
    in al, 0x71
    movzx eax, al
    mov [expected], eax
    mov edx, s_cpus
    call puts
    inc eax
    call puthex
    call newline
    xor ebp, ebp                        ; round
.round:
    mov dword [ap_count], 0
    mov dword [ipi_count], 0
    mov eax, 0x000c4500                 ; INIT, level assert, all excluding self
    call send_ipi
    mov eax, 0x000c4600 | (TRAMPOLINE >> 12)
    call send_ipi
    call send_ipi                       ; the second SIPI: the APs already woken drop it
    mov ebx, ap_count
    call wait_all
    mov edx, s_init
    jc fail
    mov eax, 0x000c0000 | IPI_VECTOR    ; fixed, all excluding self
    call send_ipi
    mov ebx, ipi_count
    call wait_all
    mov edx, s_ipi
    jc fail
    inc ebp
    cmp ebp, ROUNDS
    jb .round
    mov edx, s_ok
    call puts
    mov eax, ebp
    call puthex
    call newline
    mov al, 0x10
    out 0xf4, al
.halt:
    hlt
    jmp .halt

; edx: what failed; ebx: its counter
fail:
    call puts
    mov eax, ebp
    call puthex
    mov edx, s_got
    call puts
    mov eax, [ebx]
    call puthex
    call newline
    mov al, 0x01
    out 0xf4, al
    jmp _start.halt

; eax: ICR low word; waits until the LAPIC has sent it
send_ipi:
    mov dword [LAPIC + 0x310], 0
    mov [ICR_LO], eax
.busy:
    test dword [ICR_LO], 1 << 12
    jnz .busy
    ret

; Waits until [ebx] == [expected]; CF set after about 2^31 TSC ticks without it.
wait_all:
    rdtsc
    add eax, 0x80000000
    adc edx, 0
    mov esi, eax
    mov edi, edx
.poll:
    mov eax, [ebx]
    cmp eax, [expected]
    je .done
    pause
    rdtsc
    cmp edx, edi
    jb .poll
    ja .late
    cmp eax, esi
    jb .poll
.late:
    stc
    ret
.done:
    clc
    ret

; ---- the APs -------------------------------------------------------------------------
ap32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, [LAPIC + 0x20]             ; APIC ID: a stack of its own
    shr eax, 24
    inc eax
    shl eax, 12
    lea esp, [ap_stacks + eax]
    mov dword [SVR], 0x1ff
    lidt [idt_desc]
    lock inc dword [ap_count]
    sti
.idle:
    hlt
    jmp .idle

ipi_handler:
    lock inc dword [ipi_count]
    mov dword [EOI], 0
    iret

%include "console.inc"

%include "ap-trampoline.inc"
gdt_desc:
    dw gdt_end - gdt - 1
    dd gdt
idt_desc:
    dw 256 * 8 - 1
    dd idt
s_cpus: db "cpus=", 0
s_init: db "FAIL: INIT/SIPI round ", 0
s_ipi: db "FAIL: fixed IPI round ", 0
s_got: db " APs counted ", 0
s_ok: db "smp ok rounds=", 0

section .bss
alignb 8
idt: resb 256 * 8
expected: resd 1
ap_count: resd 1
ipi_count: resd 1
alignb 16
    resb 4096
stack_top:
ap_stacks: resb 4096 * 33
