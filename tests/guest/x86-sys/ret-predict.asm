; RET prediction (translate-ctl.c predict_ret): a RET's TB reads, when it is translated,
; the return address on the stack (ESP at the TB's start plus what PUSH, POP and ADD/SUB
; ESP did) and jumps to it chained when the popped address equals it, through the jump
; cache otherwise. Each case returns somewhere else than the first run predicted: a
; function called from two sites in turn (a frame dropped by ADD ESP and POPs before the
; RET), a callee that rewrites its return address after the TB was translated, RET imm16
; from two sites, a RET after ESP was loaded by MOV (no prediction), and a return site
; rewritten after the chained jump to it was made.
%include "sys.inc"
%define V_COUNT (VARS + 0x10)
%define V_ALT (VARS + 0x14)
%define SMC 0x20000
    START_PM32
    ; 1. two call sites in turn: 10 calls each, each site adds its own value
    xor esi, esi
    mov ecx, 10
.loop1:
    mov eax, 1
    call framed
    add esi, eax                        ; 1 + 3 per call from here
    mov eax, 100
    call framed
    add esi, eax                        ; 100 + 3
    dec ecx
    jnz .loop1
    CHK esi, 10 * (4 + 103), 1

    ; 2. the callee replaces its return address (with .alt2 from the second call on)
    mov dword [V_ALT], .ret2
    mov dword [V_COUNT], 0
    mov ecx, 4
.loop2:
    call redirect
.ret2:
    inc dword [V_COUNT]
    mov dword [V_ALT], .alt2
    dec ecx
    jnz .loop2
    jmp .case3
.alt2:
    add dword [V_COUNT], 0x100
    dec ecx
    jnz .loop2
.case3:
    CHK dword [V_COUNT], 0x301, 2

    ; 3. RET imm16 from two sites in turn
    xor esi, esi
    mov ecx, 5
.loop3:
    push dword 7
    push dword 8
    call ret_imm
    add esi, eax                        ; 15
    push dword 1
    push dword 2
    call ret_imm
    lea esi, [esi + eax * 4]            ; 12
    dec ecx
    jnz .loop3
    CHK esi, 5 * 27, 3
    mov eax, esp
    and eax, 3
    CHK eax, 0, 4

    ; 4. ESP loaded by MOV before the RET, in the same TB
    mov ebp, esp
    mov ecx, 3
    xor esi, esi
.loop4:
    call mov_esp
    inc esi
    dec ecx
    jnz .loop4
    CHK esi, 3, 5
    CHK esp, ebp, 6

    ; 5. the return site rewritten after returns to it were chained
    mov esi, smc_site
    mov edi, SMC
    mov ecx, smc_site_end - smc_site
    rep movsb
    mov ecx, 3
.loop5:
    push ecx
    mov eax, SMC
    call eax                            ; SMC: call smc_func; mov ebx, 1; ret
    pop ecx
    dec ecx
    jnz .loop5
    CHK ebx, 1, 7
    mov byte [SMC + smc_imm - smc_site], 9
    mov eax, SMC
    call eax
    CHK ebx, 9, 8
    CHK eax, 2, 9
    PASS

; eax += 3 through a frame: SUB ESP, PUSHes, ADD ESP and POPs before the RET
framed:
    push ebx
    push ebp
    sub esp, 12
    mov [esp + 4], eax
    mov ebx, [esp + 4]
    add ebx, 3
    mov eax, ebx
    add esp, 12
    pop ebp
    pop ebx
    ret

redirect:
    mov eax, [V_ALT]
    mov [esp], eax
    ret

; eax = the two stacked arguments added, RET 8
ret_imm:
    mov eax, [esp + 4]
    add eax, [esp + 8]
    ret 8

; MOV ESP within the RET's TB (the same value, through EBX)
mov_esp:
    mov ebx, esp
    push dword 0x55
    mov esp, ebx
    ret

; copied to SMC (one page for the RET and its return site, so the RET's jump is chained):
; calls smc_func, then sets EBX (the immediate smc_imm is rewritten) and returns
smc_site:
    mov eax, 1
    call smc_func
    mov ebx, 1
smc_imm equ $ - 4
    ret
smc_func:
    add eax, 1
    ret
smc_site_end:

    STUBS32 0x10

    FLAT_GDT_AND_RESET_VECTOR
