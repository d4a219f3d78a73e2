; Reset-vector entry of the x86 CPU benchmark image (tests/bench/x86-cpu.sh) (a 64 KiB "BIOS" run by -bios on the
; pc machine of Mimic and QEMU): 32-bit flat protected mode, copies the payload (linked at
; 1 MiB) out of the ROM, runs it, then resets through port 0xcf9 (with -no-reboot the
; emulator exits).
%define ROM 0xffff0000
%define PAYLOAD_LOAD 0x100000

    bits 16
    org 0
payload:
    incbin PAYLOAD_BIN
payload_end:
    align 16
gdt:
    dq 0
    dq 0x00cf9a000000ffff           ; 0x08: code, flat 4 GiB, 32-bit
    dq 0x00cf92000000ffff           ; 0x10: data, flat 4 GiB
gdtr:
    dw gdtr - gdt - 1
    dd ROM + gdt

start16:
    cli
    cld
    o32 lgdt [cs:gdtr]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp dword 0x08:(ROM + start32)

    bits 32
start32:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    mov esp, 0x90000
    mov esi, ROM + payload
    mov edi, PAYLOAD_LOAD
    mov ecx, (payload_end - payload + 3) / 4
    rep movsd
    mov eax, PAYLOAD_LOAD
    call eax
    mov dx, 0xcf9
    mov al, 6
    out dx, al
.halt:
    hlt
    jmp .halt

    times 0xfff0 - ($ - $$) db 0
    bits 16
reset:
    jmp start16                     ; CS base 0xffff0000, IP 0xfff0
    times 0x10000 - ($ - $$) db 0
