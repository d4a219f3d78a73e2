; A Multiboot 1 guest for the display benchmark: puts the standard VGA (PCI 00:02.0) in
; Bochs VBE mode 1024x768x32 with the linear framebuffer at 0xE0000000, then redraws the
; whole framebuffer with a new colour pattern forever (each pass writes every pixel).
; nasm -f bin: a flat image whose Multiboot header gives the load addresses.
bits 32
org 0x100000

MB_MAGIC equ 0x1badb002
MB_FLAGS equ 0x00010000                 ; the address fields are valid
LFB      equ 0xe0000000
WIDTH    equ 1024
HEIGHT   equ 768

header:
    dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
    dd header, header, image_end, image_end, start

%macro dispi 2                          ; VBE register %1 = %2
    mov dx, 0x1ce
    mov ax, %1
    out dx, ax
    mov dx, 0x1cf
    mov ax, %2
    out dx, ax
%endmacro

%macro pci_write 2                      ; 00:02.0 configuration dword %1 = %2
    mov dx, 0xcf8
    mov eax, 0x80001000 | %1
    out dx, eax
    mov dx, 0xcfc
    mov eax, %2
    out dx, eax
%endmacro

start:
    cli
    mov esp, 0x90000
    pci_write 0x10, LFB                 ; BAR0: the framebuffer
    pci_write 0x04, 0x00000003          ; I/O and memory decoding
    dispi 4, 0                          ; disable, set the mode, enable with the LFB
    dispi 1, WIDTH
    dispi 2, HEIGHT
    dispi 3, 32
    dispi 4, 0x41
    xor ebx, ebx
.frame:
    mov edi, LFB
    mov ecx, WIDTH * HEIGHT
    mov eax, ebx
.pixel:                                 ; a diagonal gradient that moves every frame
    mov [edi], eax
    add edi, 4
    add eax, 0x00010203
    dec ecx
    jnz .pixel
    add ebx, 0x00030507
    jmp .frame
image_end:
