; run: i386 -cpu max -smp 2
; Flag liveness across TBs (docs/x86-translator.md "Lazy condition codes"): an interrupt
; at the entry of a TB whose predecessor left the flags to its first instruction must see
; exact EFLAGS. The AP raises INTR on the BSP (x86-test port 510h) a varying time after
; the last was taken; the BSP loops through "add eax, eax; jc S" (CF = ZF = OF = 1) into
; S: "cmp edi, esi" (CF = SF = 1, ZF = OF = 0). The handler checks the pushed EFLAGS at
; EIP = S (the ADD's) and at S + 2 (the CMP's); the entry check of S's TB redoes the CMP
; before it leaves, so the interrupt is taken at S + 2, never at S with the flags of an
; older exit (fails without the redo: EIP = S with the flags of the CMP's last run).
%include "sys.inc"
%define IPI_PORT 0x513
%define STOP (VARS + 0x200)
%define V_COUNT (VARS + 0x204)
%define V_AFTER (VARS + 0x208)          ; interrupts at S + 2
%define V_BAD (VARS + 0x20c)            ; EIP of a wrong EFLAGS
%define V_BADF (VARS + 0x210)
%define NIRQ 1000
%define F_MASK 0x8c1                    ; OF SF ZF CF
    org ROM_BASE
    bits 16
ap_entry:                               ; F000:0000, the application processor
    xor ax, ax
    mov ds, ax
    mov dx, INTR_PORT
    xor bx, bx
.next:
    cmp dword [STOP], 0
    jne .halt
    in al, dx
    cmp al, 0xff                        ; none pending
    jne .next
    imul bx, bx, 5                      ; then a varying delay, so that the BSP
    inc bx                              ; goes on between interrupts (one raised
    mov cx, bx                          ; during the handler is taken at its IRET's
    and cx, 0xfff                       ; target)
    inc cx
.delay:
    loop .delay
    mov al, 0x20
    out dx, al
    jmp .next
.halt:
    cli
    hlt
    jmp .halt

start:
    REAL_INIT
    TO_PM32
    call build_idt32
    SET_GATE32 0x20, irq_handler, 0x8e
    xor eax, eax
    mov [STOP], eax
    mov [V_COUNT], eax
    mov [V_AFTER], eax
    mov [V_BAD], eax
    mov al, 0xf0                        ; INIT + SIPI: the AP starts at F000:0000
    mov dx, IPI_PORT
    out dx, al
    mov ax, 0x10                        ; flat FS and GS: no HF_SEGLIM (whose limit
    mov fs, ax                          ; checks are helper calls, which keep the
    mov gs, ax                          ; flags live)
    mov esi, NIRQ
    mov ebp, 0x80000000
    sti
    jmp loop_p

    align 64, db 0x90
s_insn:
    cmp edi, esi                        ; the TB's first instruction kills the flags
    jb loop_p                           ; CF = SF = 1, ZF = OF = 0 while counting
    jmp done
loop_p:
    mov edi, [V_COUNT]
    mov eax, ebp                        ; not a constant the optimizer folds
    add eax, eax                        ; CF = ZF = OF = 1, SF = 0
    jc s_insn                           ; the flags are dead at this exit
    FAIL 2
done:
    cli
    mov dword [STOP], 1
    CHK dword [V_BAD], 0, 3
    cmp dword [V_AFTER], 0              ; interrupts did reach S's entry
    jne .reached
    FAIL 4
.reached:
    PASS

irq_handler:
    push eax
    mov eax, [esp + 4]                  ; the interrupted EIP
    cmp eax, s_insn
    je .at_s
    cmp eax, s_insn + 2
    jne .out
    inc dword [V_AFTER]
    mov eax, [esp + 12]
    and eax, F_MASK
    cmp eax, 0x81                       ; after the CMP: SF CF
    je .out
    jmp .bad
.at_s:
    mov eax, [esp + 12]
    and eax, F_MASK
    cmp eax, 0x841                      ; before it: the ADD's OF ZF CF
    je .out
.bad:
    mov eax, [esp + 4]
    mov [V_BAD], eax
    mov eax, [esp + 12]
    mov [V_BADF], eax
.out:
    inc dword [V_COUNT]
    pop eax
    iretd

    STUBS32 0x10

    FLAT_GDT_AND_RESET_VECTOR
