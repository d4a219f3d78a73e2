; run: i386 -cpu max -smp 2 -d nochain
; flags-irq.asm with chaining off: every TB returns to the CPU loop, which must run the
; TB after an exit whose flags are dead before it takes the interrupt (dead_exit_slots).
%include "flags-irq.asm"
