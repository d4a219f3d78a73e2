; A boot sector for tests/system/pc-virtio-blk.sh: SeaBIOS loads it from a virtio-blk disk.
; It prints a marker on COM1, reads LBA 1 with INT 13h AH=42h and prints what it holds,
; writes LBA 2 with AH=43h, then ends the emulator through isa-debug-exit (status 3).
bits 16
org 0x7c00
start:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7c00
    mov [drive], dl
    mov si, hello
    call print
    mov si, dap_read
    mov ah, 0x42
    mov dl, [drive]
    int 0x13
    jc fail
    mov si, 0x8000
    call print
    mov si, dap_write
    mov ah, 0x43
    mov al, 0
    mov dl, [drive]
    int 0x13
    jc fail
    mov si, wrote
    call print
    mov al, 1
    mov dx, 0x501
    out dx, al       ; isa-debug-exit: exit status 3
    hlt
fail:
    mov si, failed
    call print
    mov al, 2
    mov dx, 0x501
    out dx, al
    hlt

print:                                  ; NUL-terminated string at ds:si to COM1
    lodsb
    test al, al
    jz .done
    mov dx, 0x3f8
    out dx, al
    jmp print
.done:
    ret

hello:  db "MIMIC-VIRTIO-BOOT", 13, 10, 0
wrote:  db "MIMIC-INT13-WRITE done", 13, 10, 0
failed: db "MIMIC-INT13 failed", 13, 10, 0
drive:  db 0
align 4
dap_read:  db 16, 0
           dw 1                         ; sectors
           dw 0x8000, 0                 ; buffer 0000:8000
           dq 1                         ; LBA 1
dap_write: db 16, 0
           dw 1
           dw sector2, 0
           dq 2                         ; LBA 2
sector2:   db "SEABIOS-WROTE-THIS", 0
times 510 - ($ - $$) db 0
dw 0xaa55
