; Registers and flags at a page fault raised in the middle of a TB. The x86-64 back end
; keeps guest registers (and the lazy flag fields) written since the last sync in host
; registers across a guest access's hit path and stores them only on its miss path
; (tcg/x86_64/ldst.c, docs/tcg.md): a #PF from a load or a store after the same TB wrote
; every GPR and the flags, some of them between two accesses that hit, must find them
; all in the handler (PUSHAD and the pushed EFLAGS), as a reference run of the same code
; without the fault sees them (PUSHAD and PUSHFD right after it).
%include "sys.inc"
%define PD32 0x10000
%define PT32 0x11000
%define SAVE_F (VARS + 64)              ; PUSHAD image + EFLAGS at the fault
%define SAVE_R (VARS + 128)             ; the same from the reference run
%define FLAGS_MASK 0x8d5                ; OF SF ZF AF PF CF

; BODY access: one TB that writes every GPR but ESP and the flags around accesses that
; hit, then does access (the instruction that faults or, for the reference, does not).
%macro BODY 1
    mov ebp, 0x11111111
    mov eax, [0x400000]                 ; hit
    mov ebx, 0x22222222
    lea ecx, [ebx + 0x11]
    mov edx, 0x44444444
    mov esi, 0x55555555
    mov edi, 0x66666666
    add eax, 0x77777777
    cmp ecx, edx                        ; CF SF from a SUB
    mov [0x400004], ebx                 ; hit
    lea ebp, [ebp + eax]
    inc esi                             ; INC keeps CF
    %1
%endmacro

; CASE fault_access, reference_access, n: fails n.. on a differing register or flags.
%macro CASE 3
    mov dword [0x400000], 0x01010101
    mov dword [0x400008], 0x66666666    ; = EDI: the reference load changes nothing
    mov dword [V_RESUME], %%resume
    BODY {%1}
    FAIL %3                             ; the access did not fault
%%resume:
    BODY {%2}
    pushfd
    pushad
    mov esi, esp
    mov edi, SAVE_R
    mov ecx, 8
    rep movsd
    mov eax, [esp + 32]                 ; EFLAGS above the PUSHAD image
    mov [SAVE_R + 32], eax
    mov esp, STACK0
    mov ebx, %3
    call compare
%endmacro

    START_PM32
    mov edi, PD32                       ; PD[0]: 4 MiB page at 0; PD[1] -> PT32
    mov ecx, 2 * 4096 / 4
    xor eax, eax
    rep stosd
    mov dword [PD32], 0x87
    mov dword [PD32 + 4], PT32 | 3
    mov dword [PT32 + 0 * 4], 0x400000 | 3      ; present
    mov dword [PT32 + 1 * 4], 0                 ; 0x401000: not present
    PAGING32_ON PD32
    mov edx, pf_handler                 ; IDT[14] -> pf_handler
    mov [IDT_BASE + 14 * 8], dx
    shr edx, 16
    mov [IDT_BASE + 14 * 8 + 6], dx

    CASE {mov [0x401000], edi}, {mov [0x400008], edi}, 0x10
    PUTS `store fault: registers and flags as without the fault\n`
    CASE {mov edi, [0x401004]}, {mov edi, [0x400008]}, 0x20
    PUTS `load fault: registers and flags as without the fault\n`
    PASS

; #PF: the registers (PUSHAD) and the pushed EFLAGS to SAVE_F, then resume at [V_RESUME].
pf_handler:
    pushad
    mov esi, esp
    mov edi, SAVE_F
    mov ecx, 8
    rep movsd
    mov eax, [esp + 32 + 12]            ; above the PUSHAD image: error, EIP, CS, EFLAGS
    mov [SAVE_F + 32], eax
    mov esp, STACK0
    jmp [V_RESUME]

; Compares SAVE_F with SAVE_R: the PUSHAD images but ESP, and the arithmetic flags.
; EBX = the case's failure base (n + register index, n + 8 for the flags).
compare:
    xor ecx, ecx
.l: cmp ecx, 3                          ; PUSHAD's ESP
    je .next
    mov eax, [SAVE_F + ecx * 4]
    cmp eax, [SAVE_R + ecx * 4]
    jne .bad
.next:
    inc ecx
    cmp ecx, 8
    jb .l
    mov eax, [SAVE_F + 32]
    xor eax, [SAVE_R + 32]
    test eax, FLAGS_MASK
    jnz .bad
    ret
.bad:
    PUTS "differs at case+index "
    lea eax, [ebx + ecx]
    call puthex32
    PUTC 10
    FAIL 0xf0

    STUBS32 0x10
    FLAT_GDT_AND_RESET_VECTOR
