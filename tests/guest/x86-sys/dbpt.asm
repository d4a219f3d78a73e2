; run: i386 -cpu max
; expect: DR0-3 data and I/O breakpoints ok
; Data breakpoints (Intel SDM vol. 3A 17.2.4, 17.2.5, 17.3.1.2): DR0-3 with R/W = 01
; (writes) or 11 (reads and writes) and LEN = 1/2/4 bytes raise a trap-class #DB after
; the accessing instruction completes: the pushed EIP is the next instruction, the
; access has happened, DR6.B0-3 names the breakpoint. Any overlap of the access with the
; LEN-aligned range hits (the address bits below LEN are ignored); reads do not hit a
; write breakpoint; a disabled breakpoint never hits. I/O breakpoints (R/W = 10 with
; CR4.DE) trap after the IN/OUT whose ports overlap them.
%include "sys.inc"
%define D1 0x9100
%define D2 0x9200
    START_PM32
    SET_GATE32 1, db_handler, 0x8e
    mov dword [V_CNT], 0
    ; DR0: writes to the 4 bytes at D1
    mov eax, D1
    mov dr0, eax
    mov eax, 0x000d0001                 ; L0, R/W0 = 01, LEN0 = 11 (4 bytes)
    mov dr7, eax
    mov eax, [D1]                       ; a read: no #DB
    CHK dword [V_CNT], 0, 0x10
    mov dword [D1], 5
w1_next:
    CHK dword [V_CNT], 1, 0x11
    CHK dword [V_EIP], w1_next, 0x12    ; a trap: after the instruction
    CHK dword [D1], 5, 0x13             ; which has written
    CHK dword [V_TMP], 1, 0x14          ; DR6.B0
    mov byte [D1 + 3], 1                ; the last byte of the range
w2_next:
    CHK dword [V_CNT], 2, 0x15
    CHK dword [V_EIP], w2_next, 0x16
    mov byte [D1 + 4], 1                ; just past it: no #DB
    CHK dword [V_CNT], 2, 0x17
    mov dword [D1 - 2], 0               ; a misaligned write overlapping its start
    CHK dword [V_CNT], 3, 0x18
    add dword [D1], 1                   ; read-modify-write: one #DB
    CHK dword [V_CNT], 4, 0x19
    ; DR1: reads and writes of the 2 bytes at D2 + 2 (DR1 = D2 + 3: bit 0 ignored)
    mov eax, D2 + 3
    mov dr1, eax
    mov eax, 0x00700004                 ; L1, R/W1 = 11, LEN1 = 01 (2 bytes); DR0 off
    mov dr7, eax
    mov dword [D1], 7                   ; DR0 disabled: no #DB
    CHK dword [V_CNT], 4, 0x1a
    movzx eax, byte [D2 + 2]            ; a read hits
r1_next:
    CHK dword [V_CNT], 5, 0x1b
    CHK dword [V_EIP], r1_next, 0x1c
    CHK dword [V_TMP], 2, 0x1d          ; DR6.B1
    movzx eax, byte [D2 + 1]            ; outside [D2 + 2, D2 + 4): no #DB
    movzx eax, byte [D2 + 4]
    CHK dword [V_CNT], 5, 0x1e
    ; DR2: an I/O breakpoint (R/W2 = 10, needs CR4.DE) on port 0x80
    mov eax, cr4
    or eax, 1 << 3                      ; DE
    mov cr4, eax
    mov eax, 0x80
    mov dr2, eax
    mov eax, 0x02000010                 ; L2, R/W2 = 10, LEN2 = 00 (1 byte); DR1 off
    mov dr7, eax
    mov byte [D2 + 2], 1                ; DR1 disabled: no #DB
    xor eax, eax
    out 0x81, al                        ; another port: no #DB
    CHK dword [V_CNT], 5, 0x30
    out 0x80, al
io_next:
    CHK dword [V_CNT], 6, 0x31
    CHK dword [V_EIP], io_next, 0x32    ; a trap: after the OUT
    CHK dword [V_TMP], 4, 0x33          ; DR6.B2
    mov dx, 0x7f
    in ax, dx                           ; ports 0x7f-0x80 overlap it
    CHK dword [V_CNT], 7, 0x34
    mov eax, cr4
    and eax, ~(1 << 3)                  ; without CR4.DE, R/W = 10 is no I/O breakpoint
    mov cr4, eax
    out 0x80, al
    CHK dword [V_CNT], 7, 0x35
    xor eax, eax
    mov dr7, eax
    mov byte [D2 + 2], 1                ; all disabled
    CHK dword [V_CNT], 7, 0x1f
    PUTS `DR0-3 data and I/O breakpoints ok\n`
    PASS

db_handler:                             ; counts, records the pushed EIP and DR6.B0-3
    push eax
    inc dword [V_CNT]
    mov eax, [esp + 4]
    mov [V_EIP], eax
    mov eax, dr6
    and eax, 0xf
    mov [V_TMP], eax
    pop eax
    iretd

    STUBS32 0x10

    FLAT_GDT_AND_RESET_VECTOR
