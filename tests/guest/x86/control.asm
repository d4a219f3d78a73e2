; mode: 32
; Jcc (all sixteen conditions after CMP, TEST and ADD), LOOP/LOOPE/LOOPNE/JECXZ, CMOVcc,
; SETcc, indirect JMP through a register and memory, BOUND (#BR).
    bits 32
    org 0x1000
%include "lib.inc"

; JTAKEN cc: the branch must be taken / JNOT cc: must not be
%macro JTAKEN 1
    j%1 %%ok
    mov esi, $
    jmp fail
%%ok:
%endmacro
%macro JNOT 1
    j%1 %%bad
    jmp %%ok
%%bad:
    mov esi, $
    jmp fail
%%ok:
%endmacro

    mov eax, 5
    cmp eax, 7                      ; 5 - 7: below, less
    JTAKEN b
    JTAKEN be
    JTAKEN l
    JTAKEN le
    JTAKEN ne
    JTAKEN s
    JNOT a
    JNOT ae
    JNOT g
    JNOT ge
    JNOT e
    JNOT o
    JTAKEN no
    cmp eax, -1                     ; unsigned 5 < 0xffffffff, signed 5 > -1
    JTAKEN b
    JTAKEN g
    cmp eax, 5
    JTAKEN e
    JTAKEN be
    JTAKEN ge
    JTAKEN le
    JNOT b
    mov eax, 0x7fffffff
    add eax, 1
    JTAKEN o
    JTAKEN s
    JNOT l                          ; SF = OF = 1: not less
    JTAKEN ge
    test eax, 3
    JTAKEN z
    JTAKEN pe
    mov al, 1
    test al, al
    JTAKEN po

    mov ecx, 3
    xor edx, edx
.l1:
    inc edx
    loop .l1
    CHECK edx, 3
    CHECK ecx, 0
    mov ecx, 10
    mov esi, data
.l2:
    lodsb
    cmp al, 1
    loope .l2
    CHECK ecx, 7                    ; stops at the third byte (2)
    mov ecx, 0
    jecxz .z
    mov esi, $
    jmp fail
.z:
    mov eax, 1
    mov ebx, 2
    cmp eax, ebx
    cmovl eax, ebx
    cmovg eax, [data]
    setl cl
    setge ch
    CHECK eax, 2
    CHECK cx, 0x0001

    mov eax, .target
    jmp eax
    mov esi, $
    jmp fail
.target:
    jmp [jmp_slot]
    mov esi, $
    jmp fail
target2:
    mov dword [0x510], br_handler
    mov dword [0x500], -1
    mov eax, 5
    bound eax, [bounds]             ; 0 <= 5 <= 9: no exception
    mov eax, 10
bound_insn:
    bound eax, [bounds]
    mov esi, $
    jmp fail
br_back:
    CHECK dword [0x500], 5
    CHECK dword [0x508], bound_insn
    PASS

br_handler:
    jmp br_back

jmp_slot: dd target2
data: db 1, 1, 2, 1, 1
bounds: dd 0, 9
