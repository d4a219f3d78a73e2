; A boot sector that prints a line through the BIOS (SeaBIOS copies int 10h text to the
; serial port when there is no VGA) and halts: the marker of a boot from this disk.
bits 16
org 0x7c00
start:
    xor ax, ax
    mov ds, ax
    mov si, msg
.next:
    lodsb
    test al, al
    jz .done
    mov ah, 0x0e
    mov bx, 7
    int 0x10
    jmp .next
.done:
    cli
    hlt
    jmp .done
msg: db "MIMIC-DISK-BOOT-SECTOR", 13, 10, 0
times 510 - ($ - $$) db 0
dw 0xaa55
