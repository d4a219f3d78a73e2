; Segment limits of data accesses in 32-bit protected mode (Intel SDM vol. 3A 5.3): an
; access whose bytes leave an expand-up segment (above the limit, also straddling it) is
; #GP(0), #SS(0) through SS; an expand-down segment takes offsets above its limit up to
; 0xffffffff (B = 1) or 0xffff (B = 0); single and REP string instructions fault at the
; element that leaves the segment; flat segments are unaffected.
%include "sys.inc"
%define SMALL 0x18                      ; data, base 20000h, limit FFFh
%define DOWN 0x20                       ; expand-down, base 30000h, limit FFFh, B = 1
%define SMALLSS 0x28                    ; stack, base 40000h, limit FFFh
%define DOWN16 0x30                     ; expand-down, limit FFFh, B = 0
    START_PM32
    mov ax, SMALL                       ; (the handler reloads DS and ES, not FS/GS)
    mov fs, ax
    mov eax, [fs:0xffc]                 ; the last four bytes: fine
    mov al, [fs:0xfff]
    TRY
    mov eax, [fs:0xffd]                 ; straddles the limit
    CATCH 13, 0, 0x10
    TRY
    mov byte [fs:0x1000], 1
    CATCH 13, 0, 0x13
    TRY
    add word [fs:0xfff], 1              ; read-modify-write
    CATCH 13, 0, 0x16
    ; ---- expand-down ----
    mov ax, DOWN
    mov gs, ax
    mov eax, [gs:0x1000]
    mov eax, [gs:0xfffffffc]
    TRY
    mov eax, [gs:0xffe]                 ; starts at or below the limit
    CATCH 13, 0, 0x19
    TRY
    mov eax, [gs:0xfffffffd]            ; past 4 GiB
    CATCH 13, 0, 0x1c
    mov ax, DOWN16
    mov gs, ax
    mov ax, [gs:0xfffe]
    TRY
    mov ax, [gs:0xffff]                 ; past 64 KiB (B = 0)
    CATCH 13, 0, 0x1f
    ; ---- through SS: #SS(0) ----
    mov ax, SMALLSS
    mov ss, ax
    mov esp, 0xff0
    mov ebp, 0xffe
    TRY
    mov eax, [ebp]
    CATCH 12, 0, 0x22
    mov ax, SMALLSS                     ; (the handler left SS flat)
    mov ss, ax
    mov esp, 0xffe
    TRY
    pop eax                             ; the delivery's pushes still fit below
    CATCH 12, 0, 0x25
    mov ax, SMALLSS
    mov ss, ax
    mov esp, 0xff0
    TRY
    mov ebx, 0x1000
    mov eax, [ss:ebx]
    CATCH 12, 0, 0x28
    ; ---- string instructions ----
    xor ax, ax
    mov fs, ax                          ; null: not checked
    mov gs, ax
    mov ax, SMALL
    mov es, ax
    mov edi, 0xffe
    TRY
    stosd
    CATCH 13, 0, 0x2b
    mov ax, SMALL
    mov es, ax
    cld
    mov edi, 0xffc
    mov ecx, 8
    mov al, 0x5a
    TRY
    rep stosb                           ; four elements fit, the fifth faults
    CATCH 13, 0, 0x2e
    CHK ecx, 4, 0x31
    CHK edi, 0x1000, 0x32
    CHK byte [0x20fff], 0x5a, 0x33
    mov ax, SMALL
    mov es, ax
    mov esi, 0x100
    mov edi, 0xf00
    mov ecx, 0x200                      ; MOVSD runs out at ES:1000h
    TRY
    rep movsd
    CATCH 13, 0, 0x34
    CHK ecx, 0x1c0, 0x37
    ; ---- flat segments still reach everything ----
    mov ax, 0x10
    mov es, ax
    mov eax, [es:0xffffc]
    PUTS `segment limits ok\n`
    PASS

    STUBS32 0x10

    align 8
gdt_start:
    dq 0                                ; 0x00
    DESC 0, 0xfffff, A_CODE0, F_32      ; 0x08
    DESC 0, 0xfffff, A_DATA0, F_32      ; 0x10
    DESC 0x20000, 0xfff, A_DATA0, 0x4   ; 0x18 SMALL
    DESC 0x30000, 0xfff, 0x97, 0x4      ; 0x20 DOWN: expand-down, B = 1
    DESC 0x40000, 0xfff, A_DATA0, 0x4   ; 0x28 SMALLSS
    DESC 0x50000, 0xfff, 0x97, 0x0      ; 0x30 DOWN16: expand-down, B = 0
gdt_end:
gdtr: dw gdt_end - gdt_start - 1
      dd GDT_BASE

    RESET_VECTOR
