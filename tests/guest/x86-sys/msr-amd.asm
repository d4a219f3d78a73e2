; run: x86_64 -cpu qemu64
; AMD SYSCFG (MSR C001_0010, APM vol. 2 7.9) on the AMD family 0Fh qemu64 model: reads 0
; after reset, keeps the MTRR DRAM bits 18-22, #GP(0) on writing another bit; the
; interrupt-pending message MSR C001_0055 reads 0. Linux reads both without a fault handler
; on AMD family 0Fh and later.
%include "sys.inc"
    START_PM32
    mov ecx, 0xc0010010
    rdmsr
    CHK eax, 0, 0x01
    CHK edx, 0, 0x02
    mov eax, 1 << 20                    ; MtrrVarDramEn
    xor edx, edx
    wrmsr
    xor eax, eax
    rdmsr
    CHK eax, 1 << 20, 0x03
    TRY                                 ; bit 0 is not modelled: #GP(0)
    mov ecx, 0xc0010010
    mov eax, 1
    xor edx, edx
    wrmsr
    CATCH 13, 0, 0x10
    mov ecx, 0xc0010010
    rdmsr
    CHK eax, 1 << 20, 0x04
    mov ecx, 0xc0010055                 ; interrupt pending message: C1E not active
    rdmsr
    CHK eax, 0, 0x05
    PUTS `SYSCFG ok\n`
    PASS
    STUBS32 0x10
    FLAT_GDT_AND_RESET_VECTOR
