; Real mode -> 16-bit and 32-bit protected mode -> back to real mode; segment-load
; checks (null SS, limit, not present, DPL, execute-only), IDT limit, #UD, INT3 as a trap,
; LTR busy bit, with their vectors and error codes (Intel SDM vol. 3A 5.5-5.8, 6.13).
%include "sys.inc"
    START_PM32
    PUTS `in 32-bit protected mode\n`
    smsw ax
    CHK ax, 0x0011, 0x01                ; PE | ET

    TRY                                 ; null SS
    xor eax, eax
    mov ss, ax
    CATCH 13, 0, 0x10
    TRY                                 ; beyond the GDT limit
    mov ax, 0x100
    mov ds, ax
    CATCH 13, 0x100, 0x14
    TRY                                 ; not present
    mov ax, 0x18
    mov fs, ax
    CATCH 11, 0x18, 0x18
    TRY                                 ; SS with DPL 3 at CPL 0
    mov ax, 0x23
    mov ss, ax
    CATCH 13, 0x20, 0x1c
    TRY                                 ; execute-only code into DS
    mov ax, 0x28
    mov ds, ax
    CATCH 13, 0x28, 0x20
    TRY                                 ; vector beyond the IDT limit: IDT bit, not EXT
    int 0x40
    CATCH 13, 0x40 * 8 + 2, 0x24
    TRY
    ud2
    CATCH 6, -1, 0x28
    TRY                                 ; INT3 is a trap: the pushed EIP follows it
    int3
after_int3:
    CATCH 3, -1, 0x2c
    CHK dword [V_EIP], after_int3, 0x2f
    mov ax, 0x10                        ; the data segments are still usable
    mov ds, ax
    mov gs, ax
    ; LTR marks the TSS busy; a second LTR of a busy TSS is #GP(sel)
    mov ax, 0x38
    ltr ax
    mov eax, [GDT_BASE + 0x38 + 4]
    and eax, 0xf00
    CHK eax, 0xb00, 0x30
    str ax
    CHK ax, 0x38, 0x31
    TRY
    mov ax, 0x38
    ltr ax
    CATCH 13, 0x38, 0x34
    ; LAR / LSL / VERR / VERW
    mov ax, 0x28
    lar ebx, ax
    jnz fail_lar
    and ebx, 0x00f0ff00
    CHK ebx, 0x00c09900, 0x38
    lsl ebx, [lsl_sel]
    CHK ebx, 0xffffffff, 0x39
    mov ax, 0x28
    verr ax
    jz fail_lar                         ; execute-only: not readable
    mov ax, 0x10
    verw ax
    jnz fail_lar
    mov ax, 0x100
    lar ebx, ax
    jz fail_lar                         ; beyond the limit: ZF clear
    ; to 16-bit protected mode, then real mode
    jmp 0x30:R(pm16)
fail_lar:
    FAIL 0x3a
lsl_sel: dw 0x10

    bits 16
pm16:
    mov ax, 0x40                        ; 64 KiB data segments for real mode
    mov ds, ax
    mov es, ax
    mov ss, ax
    PUTS `in 16-bit protected mode\n`
    mov eax, cr0
    and al, 0xfe
    mov cr0, eax
    jmp 0xf000:R(real_again)
real_again:
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, STACK0
    mov word [0x600], 0x1234
    CHK word [0x600], 0x1234, 0x40
    PUTS `back in real mode\n`
    PASS

    bits 32
    STUBS32 0x10

    align 8
gdt_start:
    dq 0                                ; 0x00
    DESC 0, 0xfffff, A_CODE0, F_32      ; 0x08 flat code
    DESC 0, 0xfffff, A_DATA0, F_32      ; 0x10 flat data
    DESC 0, 0xfffff, 0x13, F_32         ; 0x18 not present
    DESC 0, 0xfffff, A_DATA3, F_32      ; 0x20 DPL 3 data
    DESC 0, 0xfffff, 0x99, F_32         ; 0x28 execute-only code
    DESC ROM_BASE, 0xffff, A_CODE0, F_16    ; 0x30 16-bit code at F0000
    DESC TSS_BASE, 0x67, A_TSS32, 0     ; 0x38 32-bit TSS
    DESC 0, 0xffff, A_DATA0, F_16       ; 0x40 16-bit data, 64 KiB
gdt_end:
gdtr: dw gdt_end - gdt_start - 1
      dd GDT_BASE

    RESET_VECTOR
