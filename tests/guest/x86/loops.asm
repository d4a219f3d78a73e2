; mode: 32
; Loops of one block: a Jcc back to the start of its own TB, whose body the translator
; copies up to four times into the TB (target-i386/translate-ctl.c, x86_emit_jcc). Every
; exit position of the copies (1 to 13 iterations) against a loop of two blocks (not
; copied), flags carried from one iteration into the next (ADC chain through DEC), the
; flags after the exit, a page fault in each copy (exact EIP, registers and flags), and a
; loop that rewrites its own body in iteration 1 to 4 (the next iteration runs the new code).
    bits 32
    org 0x1000
%include "lib.inc"

RAM_END equ 0x400000                ; the test machine's RAM: accesses beyond fault (#PF)

    mov esp, 0x8000

; ---- sums: EAX = n + ... + 1, EBX = n, flags of the last DEC; n = 1..13 ----
    mov edi, 1
sum_n:
    mov ecx, edi
    xor eax, eax
    xor ebx, ebx
    jmp sum_loop                    ; (a TB starts at sum_loop)
sum_loop:
    add eax, ecx
    inc ebx
    dec ecx
    jnz sum_loop
    pushf
    pop edx
    mov ecx, edi                    ; the reference: the same loop in two blocks
    xor esi, esi
    xor ebp, ebp
    jmp sum_ref
sum_ref:
    add esi, ecx
    jmp sum_ref2
sum_ref2:
    inc ebp
    dec ecx
    jnz sum_ref
    pushf
    pop ecx
    CHECK eax, esi
    CHECK ebx, ebp
    CHECK edx, ecx
    inc edi
    cmp edi, 14
    jne sum_n
    CHECK eax, 91                   ; 13 * 14 / 2
    CHECK ebx, 13

; ---- carry chain: ADC reads the CF of the previous iteration's ADC (DEC keeps it) ----
    mov edi, 1
adc_n:
    mov ecx, edi
    mov esi, adc_data
    xor eax, eax
    stc
    jmp adc_loop
adc_loop:
    adc eax, [esi]
    lea esi, [esi + 4]
    dec ecx
    jnz adc_loop
    pushf
    pop edx
    mov ecx, edi
    mov esi, adc_data
    xor ebx, ebx
    stc
    jmp adc_ref
adc_ref:
    adc ebx, [esi]
    jmp adc_ref2
adc_ref2:
    lea esi, [esi + 4]
    dec ecx
    jnz adc_ref
    pushf
    pop ecx
    CHECK eax, ebx
    CHECK edx, ecx
    inc edi
    cmp edi, 14
    jne adc_n

; ---- the CF of a CMP (ending an iteration) read by the next one's ADC ----
    mov edi, 1
cmp_n:
    mov edx, [cmp_data + edi * 4 - 4]   ; the loop ends at the n-th value
    mov esi, cmp_data
    xor eax, eax                    ; (CF clear)
    jmp cmp_loop
cmp_loop:
    adc eax, eax                    ; EAX collects the CF of every CMP
    mov ecx, [esi]
    lea esi, [esi + 4]
    cmp ecx, edx                    ; CF: a value below the last one
    jne cmp_loop
    pushf
    pop ebp
    mov esi, cmp_data
    xor ebx, ebx
    jmp cmp_ref
cmp_ref:
    adc ebx, ebx
    jmp cmp_ref2
cmp_ref2:
    mov ecx, [esi]
    lea esi, [esi + 4]
    cmp ecx, edx
    jne cmp_ref
    pushf
    pop ecx
    CHECK eax, ebx
    CHECK ebp, ecx
    inc edi
    cmp edi, 14
    jne cmp_n
    CHECK eax, 0xa55                ; the CF of the 12 values before the last one

; ---- a page fault in iteration k = 2..8 (copies 2, 3, 4, then 1-4 again) ----
    mov edi, 2
fault_k:
    mov ecx, 8
    mov eax, RAM_END - 4
fill:                               ; the last eight words of RAM: 1, 2 ... 8
    mov [eax], ecx
    sub eax, 4
    dec ecx
    jnz fill
    lea esi, [edi * 4]
    neg esi
    add esi, RAM_END + 4            ; iteration k reads RAM_END
    mov dword [0x510], fault_back
    mov dword [0x500], -1
    xor eax, eax
    mov ecx, 100
    jmp fault_loop
fault_loop:
    add eax, [esi]
    add esi, 4
    dec ecx
    jnz fault_loop
    mov esi, $
    jmp fail
fault_back:
    pushf
    pop ebx
    mov dword [0x510], 0
    CHECK dword [0x500], 14
    CHECK dword [0x508], fault_loop
    CHECK esi, RAM_END
    lea edx, [edi + 99]             ; ECX = 100 - (k - 1)
    neg edx
    add edx, 200
    CHECK ecx, edx
    CHECK eax, [fault_sums + edi * 4 - 8]
    and ebx, ARITH                  ; the flags of the last DEC, CF of the last ADD: clear
    lea eax, [ecx + 1]
    dec eax                         ; (the same DEC again)
    pushf
    pop eax
    and eax, ARITH & ~CF
    CHECK ebx, eax
    inc edi
    cmp edi, 9
    jne fault_k

; ---- self-modifying loop: iteration k stores 5 into the immediate of its ADD ----
    mov edi, 1
smc_k:
    mov byte [smc_loop + 2], 1
    mov ecx, 8
    xor eax, eax
    lea ebp, [edi - 9]
    neg ebp                         ; EBP = 9 - k: the ECX of iteration k
    jmp smc_loop
smc_loop:
    add eax, byte 1                 ; 83 c0 ib
    mov edx, smc_scratch
    mov ebx, smc_loop + 2
    cmp ecx, ebp
    cmove edx, ebx
    mov byte [edx], 5
    dec ecx
    jnz smc_loop
    lea edx, [edi * 4]              ; k * 1 + (8 - k) * 5 = 40 - 4k
    neg edx
    add edx, 40
    CHECK eax, edx
    inc edi
    cmp edi, 5
    jne smc_k
    mov byte [smc_loop + 2], 1

    PASS

adc_data:
    dd 0x80000000, 0xffffffff, 0x7fffffff, 1, 0x80000001, 0xfffffffe, 0x12345678
    dd 0xedcba987, 0xffffffff, 0, 0x80000000, 0x80000000, 0xffffffff, 0x55555555
cmp_data:                           ; distinct values, above and below each other
    dd 5, 0x90000000, 3, 0x7fffffff, 0xa0000000, 9, 0xffffff00, 1, 0x80000000, 2
    dd 0xfffffff0, 7, 0x40000000
fault_sums:                         ; EAX at the fault in iteration k = 2..8
    dd 8, 15, 21, 26, 30, 33, 35
smc_scratch:
    db 0
