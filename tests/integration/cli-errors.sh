#!/bin/bash
# A wrong option or value exits 1 with one line that names the option and the value.
. "$(dirname "$0")/lib.sh"
expect_error "-m lots" -M none -m lots
expect_error "-frobnicate" -frobnicate
expect_error "-m 0" -M none -m 0
expect_error "-smp 0" -M none -smp 0
expect_error "-hda /nonexistent/disk.img" -M none -hda /nonexistent/disk.img
expect_error "-kernel /nonexistent/bzImage" -kernel /nonexistent/bzImage
expect_error "-M bogus" -M bogus
expect_error "-cpu bogus" -M none -cpu bogus
expect_error "bogus" -M none -d bogus
expect_error "-accel bogus" -M none -accel bogus
expect_error "-m" -M none -m
expect_error "-chardev" -M none -chardev bogus,id=x
expect_error "-serial" -M none -serial bogus:thing
expect_error "-device" -M none -device no-such-device
expect_error "-display gtk" -display gtk
expect_error "-D /nonexistent/dir/log" -M none -D /nonexistent/dir/log -d int
echo "all error cases behave"
