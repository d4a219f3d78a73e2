; run: i386 -cpu max
; expect: DR0 breakpoint ok
; needs: x86_info_check_bpt
; Instruction breakpoints (Intel SDM vol. 3A 17.2, 17.3.1.1): DR0 with DR7.L0 and R/W0 = 00
; raises #DB before the instruction executes (a fault: the pushed EIP is the instruction),
; DR6.B0 is set, and the handler's RF in the pushed EFLAGS lets the IRET resume without a
; second #DB; clearing DR7 ends it.
%include "sys.inc"
    START_PM32
    SET_GATE32 1, db_handler, 0x8e
    ; DR0 instruction breakpoint: #DB before the instruction (a fault), DR6.B0; the handler
    ; sets RF in the pushed EFLAGS so that the IRET resumes without a new #DB
    mov dword [V_TMP], 0
    mov eax, bp_here
    mov dr0, eax
    mov eax, 1                          ; L0, R/W0 = 00 (execution), LEN0 = 00
    mov dr7, eax
    mov ecx, 5
bp_here:
    inc ecx
    CHK ecx, 6, 0x1e                    ; ran once, after the handler
    CHK dword [V_TMP], bp_here, 0x21
    mov eax, dr6
    and eax, 0xf
    CHK eax, 1, 0x22
    xor eax, eax
    mov dr7, eax
    PUTS `DR0 breakpoint ok\n`
    PASS

db_handler:                             ; records the pushed EIP, sets RF
    push eax
    mov eax, [esp + 4]
    mov [V_TMP], eax
    or dword [esp + 12], 1 << 16
    pop eax
    iretd

    STUBS32 0x10

    FLAT_GDT_AND_RESET_VECTOR
