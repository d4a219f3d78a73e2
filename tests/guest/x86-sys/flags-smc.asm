; Flag liveness across TBs and self-modifying code (docs/x86-translator.md "Lazy condition
; codes"): a TB whose exit leaves the flags to its successor's first instruction
; ("cmp esi, esi") must not survive a rewrite of that instruction into one that reads
; them ("sbb eax, eax": EAX = -CF). Functions copied to RAM: "xor eax, eax" (CF = 0,
; stored at that TB's exit), then a TB "mov eax, ebp; add eax, eax; jc S" (CF = 1) whose
; exit to S drops the flags. After the calls have translated and chained it, S is
; rewritten: by another TB (fails when S is not in the jumping TB's invalidation span:
; EAX = 0, the stale CF), and by a store in the jumping TB itself.
%include "sys.inc"
%define FUNC 0x20000
%define AT(x) (FUNC + (x) - funcs)
    START_PM32
    mov ax, 0x10                        ; flat FS and GS: no HF_SEGLIM, whose limit
    mov fs, ax                          ; checks are helper calls, after which no
    mov gs, ax                          ; exit drops the flags
    mov esi, funcs
    mov edi, FUNC
    mov ecx, funcs_end - funcs
    rep movsb
    mov ebp, 0x80000000
    mov ecx, 3
.warm_f:
    mov ebx, AT(func_f)
    call ebx
    CHK eax, 0, 1                       ; cmp esi, esi: EAX = ADD's 0
    loop .warm_f
    mov word [AT(f_s)], 0xc019          ; sbb eax, eax
    mov ebx, AT(func_f)
    call ebx
    CHK eax, -1, 2                      ; CF of the ADD
    mov ebx, AT(func_f)
    call ebx
    CHK eax, -1, 3

    mov ecx, 3
.warm_g:
    mov dx, 0xf639                      ; stores the same cmp esi, esi
    mov ebx, AT(func_g)
    call ebx
    CHK eax, 0, 4
    loop .warm_g
    mov dx, 0xc019                      ; the jumping TB stores sbb eax, eax
    mov ebx, AT(func_g)
    call ebx
    CHK eax, -1, 5
    PASS

    align 16
funcs:
func_f:
    xor eax, eax                        ; CF = 0, the state its exit stores
    jz .b
    ud2
.b:
    mov eax, ebp
    add eax, eax                        ; CF = 1
    jc f_s                              ; the flags are dead at this exit
    ud2
f_s:
    cmp esi, esi
    ret
    times 64 db 0x90
func_g:
    xor eax, eax
    jz .b
    ud2
.b:
    mov [AT(g_s)], dx                   ; rewrites the successor's first instruction
    mov eax, ebp
    add eax, eax
    jc g_s
    ud2
g_s:
    cmp esi, esi
    ret
funcs_end:

    STUBS32 0x10

    FLAT_GDT_AND_RESET_VECTOR
