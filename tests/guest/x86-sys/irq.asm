; External interrupts, the STI interrupt shadow, HLT woken by an interrupt, NMI (taken
; with IF = 0, blocked until IRET), debug exceptions (TF single step, INT1, INTO), and a double fault from a fault during the delivery of
; a contributory exception (Intel SDM vol. 3A 6.7.1, 6.8.3, 6.15, 17.3). Uses the x86-test
; interrupt port (OUT 0x510 = INTR with that vector, OUT 0x511 = NMI).
%include "sys.inc"
%define V_IRQ (VARS + 0x40)
%define V_ECX (VARS + 0x44)
%define V_NMI (VARS + 0x48)
%define V_NMI_DEPTH (VARS + 0x4c)
%define V_NMI_MAX (VARS + 0x50)
    START_PM32
    SET_GATE32 0x20, irq20_handler, 0x8e
    SET_GATE32 0x21, irq21_handler, 0x8e
    SET_GATE32 2, nmi_handler, 0x8e

    ; STI shadow: the instruction after STI runs before the pending interrupt
    xor ecx, ecx
    mov al, 0x20
    mov dx, INTR_PORT
    out dx, al
    nop
    nop
    CHK dword [V_IRQ], 0, 0x10          ; masked while IF = 0
    sti
    inc ecx
    inc ecx
    inc ecx
    cli
    CHK dword [V_IRQ], 0x20, 0x11
    CHK dword [V_ECX], 1, 0x12          ; taken after exactly one instruction

    ; HLT wakes up on an interrupt (STI; HLT: the shadow covers HLT)
    mov dword [V_IRQ], 0
    mov al, 0x21
    mov dx, INTR_PORT
    out dx, al
    sti
    hlt
    cli
    CHK dword [V_IRQ], 0x21, 0x14

    ; NMI: taken with IF = 0; a second NMI raised inside the handler waits for IRET
    mov al, 1
    mov dx, NMI_PORT
    out dx, al
    mov ecx, 1000000
.wait_nmi:
    cmp dword [V_NMI], 2
    je .nmi_done
    loop .wait_nmi
.nmi_done:
    CHK dword [V_NMI], 2, 0x18
    CHK dword [V_NMI_MAX], 1, 0x19

    ; single step (TF): #DB after the next instruction with DR6.BS; INT1; INTO
    SET_GATE32 1, db_handler, 0x8e
    mov dword [V_TMP], 0
    pushfd
    or dword [esp], 1 << 8
    popfd
    mov ebx, 1                          ; traps after this instruction
after_step:
    nop
    CHK dword [V_TMP], after_step, 0x1a
    mov eax, dr6
    test eax, 1 << 14
    jnz .bs
    FAIL 0x1b
.bs:
    mov dword [V_TMP], 0
    db 0xf1                             ; INT1 / ICEBP: a trap, not DPL-checked
after_int1:
    CHK dword [V_TMP], after_int1, 0x1c
    SET_GATE32 1, stubs32 + 16, 0x8e
    mov al, 0x7f
    add al, 1                           ; OF = 1
    TRY
    into
after_into:
    CATCH 4, -1, 0x1d
    CHK dword [V_EIP], after_into, 0x1f

    ; #GP whose gate is not present: #NP during delivery -> #DF (error code 0)
    mov byte [IDT_BASE + 13 * 8 + 5], 0x0e
    TRY
    xor eax, eax
    mov ss, ax
    CATCH 8, 0, 0x20
    PASS

irq20_handler:
    mov [V_ECX], ecx
    mov dword [V_IRQ], 0x20
    iretd
irq21_handler:
    mov dword [V_IRQ], 0x21
    iretd

db_handler:                             ; records the pushed EIP
    push eax
    mov eax, [esp + 4]
    mov [V_TMP], eax
    and dword [esp + 12], ~(1 << 8)     ; clear TF in the pushed EFLAGS
    or dword [esp + 12], 1 << 16        ; RF: no breakpoint on the IRET's target
    pop eax
    iretd

nmi_handler:
    inc dword [V_NMI_DEPTH]
    mov eax, [V_NMI_DEPTH]
    cmp eax, [V_NMI_MAX]
    jbe .nomax
    mov [V_NMI_MAX], eax
.nomax:
    inc dword [V_NMI]
    cmp dword [V_NMI], 1
    jne .out
    mov al, 1
    mov dx, NMI_PORT
    out dx, al                    ; blocked until our IRET
    nop
    nop
.out:
    dec dword [V_NMI_DEPTH]
    iretd

    STUBS32 0x10

    FLAT_GDT_AND_RESET_VECTOR
