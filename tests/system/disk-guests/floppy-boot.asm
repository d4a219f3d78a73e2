; Floppy boot sector: reads cylinder 1, head 1, sectors 1-18 through int 13h (the BIOS's
; floppy driver: FDC READ DATA with ISA DMA), checks that each sector starts with its LBA
; (the test wrote them so), writes cylinder 2, head 0, sector 5 (LBA 76), and prints the
; verdict through int 10h (SeaBIOS copies it to the serial port).
bits 16
org 0x7c00
start:
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7c00
    mov [drive], dl
    mov ax, 0x1000
    mov es, ax
    xor bx, bx
    mov ax, 0x0212              ; read 18 sectors
    mov cx, 0x0101              ; cylinder 1, sector 1
    mov dh, 1                   ; head 1
    mov dl, [drive]
    int 0x13
    jc bad
    mov cx, 18
    xor si, si
    mov dx, 54                  ; LBA of C1/H1/S1 = (1 * 2 + 1) * 18
.verify:
    mov ax, [es:si]
    cmp ax, dx
    jne bad
    add si, 512
    inc dx
    loop .verify
    mov si, written             ; the sector to write: a marker string
    xor di, di
    mov cx, 16
.copy:
    lodsb
    mov [es:di], al
    inc di
    loop .copy
    xor bx, bx
    mov ax, 0x0301              ; write 1 sector
    mov cx, 0x0205              ; cylinder 2, sector 5
    mov dh, 0
    mov dl, [drive]
    int 0x13
    jc bad
    mov si, ok
    jmp print
bad:
    mov si, fail
print:
    lodsb
    test al, al
    jz halt
    mov ah, 0x0e
    mov bx, 7
    int 0x10
    jmp print
halt:
    cli
    hlt
    jmp halt
drive: db 0
written: db "FLOPPY-WRITTEN!!"
ok: db "MIMIC-FLOPPY-OK", 13, 10, 0
fail: db "MIMIC-FLOPPY-BAD", 13, 10, 0
times 510 - ($ - $$) db 0
dw 0xaa55
