; run: i386 -cpu max
; Debug breakpoints and string instructions (Intel SDM vol. 3A 17.3.1.2, 17.3.1.3): a data
; breakpoint hit by a REP string instruction traps after the iteration that touched it
; (pushed EIP = the instruction while iterations remain, the next one after the last;
; ECX/ESI/EDI as that iteration left them; IRET resumes the rest), for STOS, MOVS (the
; source read), LODS and CMPS; I/O breakpoints (R/W = 10, CR4.DE) trap after INS and
; OUTS, and after each iteration of REP OUTS / REP INS that uses the port.
%include "sys.inc"
%define D1 0x9100
%define D2 0x9200
%define D3 0x9300
%define V_ECX (VARS + 0x40)
%define V_ESI (VARS + 0x44)
%define V_EDI (VARS + 0x48)
%define PORT 0x80
    START_PM32
    SET_GATE32 1, db_handler, 0x8e
    mov dword [V_CNT], 0
    cld
    ; ---- REP STOSB over a write breakpoint on D1 + 5 ----
    mov eax, D1 + 5
    mov dr0, eax
    mov eax, 0x00010001                 ; L0, R/W0 = 01, LEN0 = 00 (1 byte)
    mov dr7, eax
    mov edi, D1
    mov ecx, 16
    mov al, 0xaa
stos_insn:
    rep stosb
    CHK dword [V_CNT], 1, 0x10
    CHK dword [V_EIP], stos_insn, 0x11  ; iterations remained: the instruction again
    CHK dword [V_ECX], 10, 0x12         ; after the sixth iteration
    CHK dword [V_EDI], D1 + 6, 0x13
    CHK dword [V_TMP], 1, 0x14          ; DR6.B0
    CHK ecx, 0, 0x15                    ; and the rest ran after the IRET
    CHK edi, D1 + 16, 0x16
    CHK byte [D1 + 15], 0xaa, 0x17
    ; ---- the last iteration hits: the pushed EIP is the next instruction ----
    mov edi, D1
    mov ecx, 6
    rep stosb
last_next:
    CHK dword [V_CNT], 2, 0x18
    CHK dword [V_EIP], last_next, 0x19
    CHK dword [V_ECX], 0, 0x1a
    ; ---- REP MOVSD reading a read/write breakpoint (DR1, 4 bytes at D2 + 8) ----
    mov eax, D2 + 8
    mov dr1, eax
    mov eax, 0x00f00004                 ; L1, R/W1 = 11, LEN1 = 11 (4 bytes); DR0 off
    mov dr7, eax
    mov esi, D2
    mov edi, D3
    mov ecx, 8
movs_insn:
    rep movsd
    CHK dword [V_CNT], 3, 0x20
    CHK dword [V_EIP], movs_insn, 0x21
    CHK dword [V_ECX], 5, 0x22          ; after the third element
    CHK dword [V_ESI], D2 + 12, 0x23
    CHK dword [V_TMP], 2, 0x24          ; DR6.B1
    CHK ecx, 0, 0x25
    ; ---- REP LODSD and REPE CMPSD over the same breakpoint ----
    mov esi, D2
    mov ecx, 4
lods_insn:
    rep lodsd
    CHK dword [V_CNT], 4, 0x28
    CHK dword [V_EIP], lods_insn, 0x29
    CHK dword [V_ECX], 1, 0x2a
    mov esi, D3
    mov edi, D2
    mov ecx, 8
cmps_insn:
    repe cmpsd                          ; D3 is a copy of D2: all equal
    CHK dword [V_CNT], 5, 0x2c
    CHK dword [V_EIP], cmps_insn, 0x2d
    CHK dword [V_ECX], 5, 0x2e
    CHK ecx, 0, 0x2f
    ; ---- I/O breakpoints on INS / OUTS (DR2 = port 80h) ----
    mov eax, cr4
    or eax, 1 << 3                      ; DE
    mov cr4, eax
    mov eax, PORT
    mov dr2, eax
    mov eax, 0x02000010                 ; L2, R/W2 = 10, LEN2 = 00
    mov dr7, eax
    mov dx, PORT
    mov esi, D1
    outsb
outs_next:
    CHK dword [V_CNT], 6, 0x30
    CHK dword [V_EIP], outs_next, 0x31
    CHK dword [V_TMP], 4, 0x32          ; DR6.B2
    mov edi, D3
    insb
ins_next:
    CHK dword [V_CNT], 7, 0x33
    CHK dword [V_EIP], ins_next, 0x34
    mov ecx, 3
rep_outs:
    rep outsb                           ; three iterations on the port: three traps
rep_outs_next:
    CHK dword [V_CNT], 10, 0x35
    CHK dword [V_EIP], rep_outs_next, 0x36
    CHK dword [V_ECX], 0, 0x37
    mov dx, PORT + 1
    mov ecx, 2
    rep insb                            ; another port: no #DB
    CHK dword [V_CNT], 10, 0x38
    xor eax, eax
    mov dr7, eax
    PUTS `string breakpoints ok\n`
    PASS

db_handler:                             ; counts, records EIP, DR6.B0-3, ECX, ESI, EDI
    push eax
    inc dword [V_CNT]
    mov eax, [esp + 4]
    mov [V_EIP], eax
    mov eax, dr6
    and eax, 0xf
    mov [V_TMP], eax
    mov [V_ECX], ecx
    mov [V_ESI], esi
    mov [V_EDI], edi
    pop eax
    iretd

    STUBS32 0x10

    FLAT_GDT_AND_RESET_VECTOR
