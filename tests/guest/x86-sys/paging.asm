; Paging faults with exact CR2 and error code at every level, from CPL 0 and CPL 3:
; 32-bit paging (PSE 4 MiB pages and 4 KiB pages: PDE and PTE not present, U/S, R/W with
; CR0.WP, accessed and dirty bits), then PAE with NX (instruction-fetch fault), a
; reserved bit, SMEP and SMAP with STAC/CLAC (Intel SDM vol. 3A 4.3, 4.4, 4.6, 4.7, 4.8).
%include "sys.inc"
%define PD32 0x10000
%define PT32 0x11000
%define PDPT 0x14000
%define PDPAE 0x15000
%define PTPAE 0x16000
    START_PM32
    ; TSS: ESP0/SS0 for faults from ring 3
    mov dword [TSS_BASE + 4], STACK0
    mov dword [TSS_BASE + 8], 0x10
    mov word [TSS_BASE + 0x66], 0x68
    mov ax, 0x28
    ltr ax
    ; 32-bit paging: PD[0] = 4 MiB page at 0 (user, RW); PD[1] -> PT32
    mov edi, PD32
    mov ecx, 2 * 4096 / 4
    xor eax, eax
    rep stosd
    mov dword [PD32], 0x87
    mov dword [PD32 + 4], PT32 | 7
    mov dword [PT32 + 0 * 4], 0x400000 | 7      ; user RW
    mov dword [PT32 + 1 * 4], 0x401000 | 5      ; user RO
    mov dword [PT32 + 2 * 4], 0                 ; not present
    mov dword [PT32 + 3 * 4], 0x403000 | 3      ; supervisor RW
    PAGING32_ON PD32
    PUTS `32-bit paging on\n`

    TRY
    mov eax, [0x402000]                 ; PTE not present, read, CPL 0
    CATCH 14, 0, 0x10
    CHK dword [V_CR2], 0x402000, 0x13
    TRY
    mov dword [0x800004], 1             ; PDE not present, write
    CATCH 14, 2, 0x14
    CHK dword [V_CR2], 0x800004, 0x17
    ; accessed and dirty bits
    mov eax, [0x400000]
    mov eax, [PT32]
    and eax, 0x60
    CHK eax, 0x20, 0x18                 ; A, not D
    mov dword [0x400000], 5
    mov eax, [PT32]
    and eax, 0x60
    CHK eax, 0x60, 0x19                 ; A and D
    mov eax, [PD32 + 4]
    and eax, 0x20
    CHK eax, 0x20, 0x1a                 ; the PDE's A
    mov dword [0x401000], 1             ; read-only page, CPL 0, WP = 0: allowed
    mov eax, cr0
    or eax, 1 << 16
    mov cr0, eax
    TRY
    mov dword [0x401000], 2             ; WP = 1
    CATCH 14, 3, 0x1c

    ; CPL 3
    TRY
    call to_ring3
    mov eax, [0x403000]                 ; supervisor page
    CATCH 14, 5, 0x20
    CHK dword [V_CS], 0x1b, 0x23
    TRY
    call to_ring3
    mov dword [0x401008], 1             ; user read-only page
    CATCH 14, 7, 0x24
    CHK dword [V_CR2], 0x401008, 0x27
    TRY
    call to_ring3
    mov eax, [0x402010]                 ; not present
    CATCH 14, 4, 0x28
    TRY
    call to_ring3
    mov eax, [0x400000]                 ; allowed: then a privileged instruction
    cli
    CATCH 13, 0, 0x2c
    PUTS `32-bit paging faults ok\n`

    ; I/O permission bitmap (IOPL 0 at CPL 3): port 0xe9 allowed, 0x80 denied, ports past
    ; the TSS limit denied; UMIP: SGDT at CPL 3
    mov edi, TSS_BASE + 0x68
    mov ecx, 32
    mov al, 0xff
    rep stosb
    mov byte [TSS_BASE + 0x68 + 0xe9 / 8], ~(1 << (0xe9 & 7)) & 0xff
    call to_ring3
    mov al, '.'
    out DEBUGCON, al                    ; allowed by the bitmap
    TRY
    out 0x80, al
    CATCH 13, 0, 0x48
    TRY
    call to_ring3
    mov dx, 0x3f8
    in al, dx                           ; beyond the bitmap (TSS limit)
    CATCH 13, 0, 0x4c
    call to_ring3
    sgdt [V_TMP]                        ; allowed without UMIP
    PUTC 10
    mov dword [V_RESUME], .umip         ; back to ring 0
    cli
.umip:
    mov eax, cr4
    or eax, 1 << 11
    mov cr4, eax
    TRY
    call to_ring3
    sgdt [V_TMP]
    CATCH 13, 0, 0x50
    mov eax, cr4
    and eax, ~(1 << 11)
    mov cr4, eax

    ; PAE with NX: PDPT -> PD; PD[0] = 2 MiB supervisor page at 0, PD[1] -> PT (user)
    mov eax, cr0
    and eax, ~(1 << 31)
    mov cr0, eax
    mov edi, PDPT
    mov ecx, 3 * 4096 / 4
    xor eax, eax
    rep stosd
    mov dword [PDPT], PDPAE | 1
    mov dword [PDPAE], 0x83
    mov dword [PDPAE + 8], PTPAE | 7
    mov dword [PTPAE + 0 * 8], 0x200000 | 3     ; supervisor RW, NX
    mov dword [PTPAE + 0 * 8 + 4], 0x80000000
    mov dword [PTPAE + 1 * 8], 0x201000 | 3     ; reserved bit 45 set
    mov dword [PTPAE + 1 * 8 + 4], 1 << 13
    mov dword [PTPAE + 2 * 8], 0x202000 | 7     ; user RW, executable
    mov byte [0x200000], 0xc3           ; written before paging: RET
    mov byte [0x202000], 0xc3
    mov ecx, 0xc0000080
    rdmsr
    or eax, 1 << 11                     ; NXE
    wrmsr
    mov eax, cr4
    or eax, 1 << 5                      ; PAE
    mov cr4, eax
    mov eax, PDPT
    mov cr3, eax
    mov eax, cr0
    or eax, 1 << 31
    mov cr0, eax
    PUTS `PAE paging on\n`
    mov eax, [0x200000]                 ; NX pages are readable
    TRY
    call 0x200000                       ; instruction fetch from an NX page
    CATCH 14, 0x11, 0x30
    CHK dword [V_CR2], 0x200000, 0x33
    TRY
    mov eax, [0x201000]                 ; reserved bit
    CATCH 14, 9, 0x34
    TRY
    mov eax, [0x40000004]               ; PDPTE not present
    CATCH 14, 0, 0x44
    CHK dword [V_CR2], 0x40000004, 0x47
    call 0x202000                       ; CPL 0 may run user pages without SMEP
    mov eax, cr4
    or eax, (1 << 20) | (1 << 21)       ; SMEP, SMAP
    mov cr4, eax
    TRY
    call 0x202000
    CATCH 14, 0x11, 0x38
    TRY
    mov eax, [0x202000]                 ; SMAP, AC = 0
    CATCH 14, 1, 0x3c
    pushfd                              ; AC = 1 (as STAC): allowed
    or dword [esp], 1 << 18
    popfd
    mov eax, [0x202000]
    pushfd
    and dword [esp], ~(1 << 18)
    popfd
    TRY
    mov dword [0x202000], 0
    CATCH 14, 3, 0x40
    stac                                ; AC = 1: user pages readable again
    mov eax, [0x202000]
    clac                                ; AC = 0: SMAP faults again
    TRY
    mov eax, [0x202000]
    CATCH 14, 1, 0x4b
    PUTS `PAE, NX, SMEP and SMAP faults ok\n`
    PASS

; Continues at the caller's return address in ring 3 (flat CS 0x1b, SS 0x23).
to_ring3:
    pop eax
    push dword 0x23
    push dword STACK3
    push dword 0x2
    push dword 0x1b
    push eax
    iretd

    STUBS32 0x10

    align 8
gdt_start:
    dq 0                                ; 0x00
    DESC 0, 0xfffff, A_CODE0, F_32      ; 0x08
    DESC 0, 0xfffff, A_DATA0, F_32      ; 0x10
    DESC 0, 0xfffff, A_CODE3, F_32      ; 0x18
    DESC 0, 0xfffff, A_DATA3, F_32      ; 0x20
    DESC TSS_BASE, 0x68 + 32, A_TSS32, 0    ; 0x28, with a 256-port I/O bitmap
gdt_end:
gdtr: dw gdt_end - gdt_start - 1
      dd GDT_BASE

    RESET_VECTOR
