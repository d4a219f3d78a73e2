; Real mode: prints through isa-debugcon and exits through isa-debug-exit.
%include "sys.inc"
    org ROM_BASE
    bits 16
start:
    PUTS `hello from real mode\n`
    PASS
    RESET_VECTOR
