# Mimic top-level Makefile. Builds in build/ (or in the directory where configure ran).
# Sources are found by directory, so adding a file to a module needs no edit here.
#   make              build the emulators and mimic-img
#   make check        build and run every test suite (SANITIZE=1: with ASan+UBSan, in build-san/)
#   make install      install under the configured prefix (DESTDIR honoured)

SRC_PATH := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
ifeq ($(SANITIZE),1)
DEFAULT_BUILD := $(SRC_PATH)/build-san
CONFIGURE_ARGS += --enable-sanitizers
else ifeq ($(SANITIZE),thread)
DEFAULT_BUILD := $(SRC_PATH)/build-tsan
else
DEFAULT_BUILD := $(SRC_PATH)/build
endif
ifeq ($(CURDIR),$(SRC_PATH))
BUILD_DIR ?= $(DEFAULT_BUILD)
else
BUILD_DIR ?= $(CURDIR)
endif
B := $(BUILD_DIR)

all:
.SECONDARY:
.PHONY: all check check-unit check-system check-guest install clean distclean bench fuzz \
        check-tsan tsan-run

-include $(B)/config.mak
$(B)/config.mak: $(SRC_PATH)/configure $(SRC_PATH)/VERSION
	@mkdir -p $(B)
	cd $(B) && $(SRC_PATH)/configure $(CONFIGURE_ARGS)

ifeq ($(filter clean distclean,$(MAKECMDGOALS)),)
ifeq ($(wildcard $(B)/config.mak),)
$(info Configuring in $(B))
endif
endif

CC ?= cc
OPT := -O2 -g
ifeq ($(DEBUG),yes)
OPT := -O0 -g3
endif
SAN_FLAGS :=
ifneq ($(filter yes,$(SANITIZE_CONF))$(filter 1,$(SANITIZE)),)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
ifeq ($(SANITIZE),thread)
SAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer -Wno-error=tsan
endif

WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers \
        -Wmissing-prototypes -Wstrict-prototypes -Wvla -Wformat=2
CPPFLAGS := -I$(B) -I$(SRC_PATH)/include -I$(SRC_PATH) -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64
LIB_CFLAGS := $(ZLIB_CFLAGS) $(SDL_CFLAGS) $(VNC_CFLAGS) $(SLIRP_CFLAGS) $(FDT_CFLAGS) $(CAPSTONE_CFLAGS)
CFLAGS_ALL := -std=gnu11 $(OPT) $(WARN) $(SAN_FLAGS) -MMD -MP $(CPPFLAGS) $(LIB_CFLAGS) $(CFLAGS)
LIBS_ALL := $(ZLIB_LIBS) $(SDL_LIBS) $(VNC_LIBS) $(CURSES_LIBS) $(SLIRP_LIBS) $(FDT_LIBS) $(CAPSTONE_LIBS) -lpthread -lm -lrt
LDFLAGS_ALL := $(SAN_FLAGS) $(LDFLAGS)

# --- source sets --------------------------------------------------------------
srcs-in = $(patsubst $(SRC_PATH)/%,%,$(wildcard $(addprefix $(SRC_PATH)/,$(addsuffix /*.c,$(1)))))

# Directories of target-specific code; everything else under these roots is common.
TARGET_I386_DIRS := target-i386 hw/i386
TARGET_ARM_DIRS := target-arm hw/arm
HW_DIRS := $(filter-out hw/i386 hw/arm,$(patsubst $(SRC_PATH)/%/,%,$(wildcard $(SRC_PATH)/hw/*/)))
COMMON_DIRS := util system chardev monitor gdbstub net ui accel accel/tcg accel/kvm tcg tcg/x86_64 tcg/interp $(HW_DIRS)

# system/binary-info.c is compiled once per emulator binary with its own -D.
COMMON_SRCS := $(filter-out system/binary-info.c,$(call srcs-in,$(COMMON_DIRS)))
BLOCK_SRCS := $(call srcs-in,block)
I386_SRCS := $(call srcs-in,$(TARGET_I386_DIRS))
ARM_SRCS := $(call srcs-in,$(TARGET_ARM_DIRS))
IMG_SRCS := $(call srcs-in,tools)
UNIT_SRCS := $(call srcs-in,tests/unit)
UNIT_HELPER_SRCS := $(filter-out tests/unit/test-%,$(UNIT_SRCS))
UNIT_TEST_SRCS := $(filter tests/unit/test-%,$(UNIT_SRCS))

objs = $(addprefix $(B)/,$(1:.c=.o))

$(B)/libcommon.a: $(call objs,$(COMMON_SRCS))
$(B)/libblock.a: $(call objs,$(BLOCK_SRCS))
$(B)/libtarget-i386.a: $(call objs,$(I386_SRCS))
$(B)/libtarget-arm.a: $(call objs,$(ARM_SRCS))
$(B)/%.a:
	@rm -f $@
	$(AR) rcs $@ $^ $(if $^,,$(B)/empty.o)

$(B)/empty.o:
	@mkdir -p $(dir $@)
	echo '' | $(CC) -x c -c -o $@ -

$(B)/libtarget-i386.a $(B)/libtarget-arm.a $(B)/libcommon.a $(B)/libblock.a: | $(B)/empty.o

# ncursesw's flags (_XOPEN_SOURCE) only where curses is used
$(B)/ui/curses.o: CFLAGS_ALL += $(CURSES_CFLAGS)

$(B)/%.o: $(SRC_PATH)/%.c $(B)/config.mak
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# --- binaries -------------------------------------------------------------------
EMULATORS := mimic-system-i386 mimic-system-x86_64 mimic-system-arm
PROGS := $(addprefix $(B)/,$(EMULATORS) mimic-img)
all: $(PROGS)

$(B)/binary-info-%.o: $(SRC_PATH)/system/binary-info.c $(B)/config.mak
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -DMIMIC_BINARY_$(subst -,_,$*) -c -o $@ $<

whole = -Wl,--whole-archive $(1) -Wl,--no-whole-archive

$(B)/mimic-system-i386: $(B)/binary-info-i386.o $(B)/libcommon.a $(B)/libblock.a $(B)/libtarget-i386.a
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(call whole,$(filter %.a,$^)) $(LIBS_ALL)
$(B)/mimic-system-x86_64: $(B)/binary-info-x86_64.o $(B)/libcommon.a $(B)/libblock.a $(B)/libtarget-i386.a
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(call whole,$(filter %.a,$^)) $(LIBS_ALL)
$(B)/mimic-system-arm: $(B)/binary-info-arm.o $(B)/libcommon.a $(B)/libblock.a $(B)/libtarget-arm.a
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(call whole,$(filter %.a,$^)) $(LIBS_ALL)
$(B)/mimic-img: $(call objs,$(IMG_SRCS)) $(B)/libblock.a $(B)/libcommon.a
	$(CC) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) $(call whole,$(B)/libblock.a) $(B)/libcommon.a $(LIBS_ALL)

# --- tests ------------------------------------------------------------------------
UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(UNIT_TEST_SRCS))
UNIT_HELPER_OBJS := $(call objs,$(UNIT_HELPER_SRCS))
TEST_LIBS := $(B)/libblock.a $(B)/libcommon.a $(B)/libtarget-i386.a $(B)/libtarget-arm.a

$(B)/tests/unit/test-%: $(B)/tests/unit/test-%.o $(UNIT_HELPER_OBJS) $(TEST_LIBS)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(UNIT_HELPER_OBJS) $(call whole,$(B)/libblock.a) -Wl,--start-group $(TEST_LIBS) -Wl,--end-group $(CMOCKA_LIBS) $(LIBS_ALL)

# The ARM differential tester's oracle: a separate program linking only the Unicorn engine
# (its QEMU-derived symbols clash with Mimic's), built when configure found libunicorn-dev.
ifeq ($(CONFIG_UNICORN),y)
ARM_DIFF_ORACLE := $(B)/tests/arm-diff-oracle
$(ARM_DIFF_ORACLE): $(SRC_PATH)/tests/arm-diff/oracle.c $(SRC_PATH)/tests/arm-diff/protocol.h $(B)/config.mak
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g $(WARN) $(UNICORN_CFLAGS) -o $@ $< $(UNICORN_LIBS)
endif

# The x86 differential tester (tests/difftest): host CPU / Unicorn vs the translator.
DIFFTEST_SRCS := $(call srcs-in,tests/difftest)
DIFFTEST := $(B)/tests/difftest/x86-difftest
DIFFTEST_UC := $(if $(CONFIG_UNICORN),$(B)/tests/difftest/x86-difftest-uc)
$(B)/tests/difftest/uc/runner.o: CFLAGS_ALL += $(UNICORN_CFLAGS)
$(B)/tests/difftest/x86-difftest-uc: $(B)/tests/difftest/uc/runner.o
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(UNICORN_LIBS)
$(DIFFTEST): $(call objs,$(DIFFTEST_SRCS)) $(B)/tests/unit/tcg-link-x86_64.o $(TEST_LIBS)
	$(CC) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) $(call whole,$(B)/libblock.a) -Wl,--start-group $(TEST_LIBS) -Wl,--end-group $(LIBS_ALL)

# The MMX/SSE differential tester (tests/difftest/sse): the host CPU vs the translator.
SSE_DIFFTEST_SRCS := $(call srcs-in,tests/difftest/sse)
SSE_DIFFTEST := $(B)/tests/difftest/x86-sse-difftest
$(SSE_DIFFTEST): $(call objs,$(SSE_DIFFTEST_SRCS)) $(B)/tests/difftest/x86-flat.o $(B)/tests/unit/tcg-link-x86_64.o $(TEST_LIBS)
	$(CC) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) $(call whole,$(B)/libblock.a) -Wl,--start-group $(TEST_LIBS) -Wl,--end-group $(LIBS_ALL)

# The x86 guest tests run on the difftest's flat machine (not a helper of every unit test:
# it links the whole translator runtime).
$(B)/tests/unit/test-x86-guest: $(B)/tests/unit/test-x86-guest.o $(B)/tests/difftest/x86-flat.o $(UNIT_HELPER_OBJS) $(TEST_LIBS)
	$(CC) $(LDFLAGS_ALL) -o $@ $(filter %.o,$^) $(call whole,$(B)/libblock.a) -Wl,--start-group $(TEST_LIBS) -Wl,--end-group $(CMOCKA_LIBS) $(LIBS_ALL)

export MIMIC_BUILD_DIR := $(B)
export MIMIC_SRC_DIR := $(SRC_PATH)

check: all $(UNIT_TESTS) $(ARM_DIFF_ORACLE) $(DIFFTEST) $(DIFFTEST_UC) $(SSE_DIFFTEST)
	@$(SRC_PATH)/tests/run-suites.sh all

check-unit: $(UNIT_TESTS) $(ARM_DIFF_ORACLE)
	@$(SRC_PATH)/tests/run-suites.sh unit

check-system: all
	@$(SRC_PATH)/tests/run-suites.sh system

# ThreadSanitizer run of the translator runtime's threaded tests (not part of `check`):
# builds in build-tsan/ and runs the 4-vCPU stress for MIMIC_STRESS_SECONDS (default 5).
TSAN_TESTS := test-tcg-stress test-tcg-smp test-tcg-runtime test-tcg-tlb-lock
check-tsan:
	@$(MAKE) --no-print-directory SANITIZE=thread tsan-run

tsan-run: $(addprefix $(B)/tests/unit/,$(TSAN_TESTS))
	@for t in $(TSAN_TESTS); do \
	    echo "tsan: $$t"; \
	    TSAN_OPTIONS="halt_on_error=1 exitcode=66 suppressions=$(SRC_PATH)/tests/tsan.supp $$TSAN_OPTIONS" \
	    MIMIC_STRESS_SECONDS=$${MIMIC_STRESS_SECONDS:-5} $(B)/tests/unit/$$t >$(B)/$$t.tsan.log 2>&1 \
	        || { tail -40 $(B)/$$t.tsan.log; echo "tsan: $$t FAILED (log $(B)/$$t.tsan.log)"; exit 1; }; \
	    grep -E '^stress:|PASSED' $(B)/$$t.tsan.log; \
	done

# libFuzzer (clang) harness for the image drivers: make fuzz FUZZ_SECONDS=60 [FUZZ_FORMATS=qcow2]
FUZZ_SECONDS ?= 60
fuzz:
	@$(SRC_PATH)/tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_FORMATS)

bench: all
	@$(SRC_PATH)/tests/bench/run.sh

# --- install ----------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/doc/mimic
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(SRC_PATH)/README.md $(wildcard $(SRC_PATH)/docs/*.md) $(DESTDIR)$(PREFIX)/share/doc/mimic/

clean:
	rm -rf $(B)/*.a $(B)/*.o $(PROGS) $(B)/tests $(addprefix $(B)/,$(COMMON_DIRS) block tools target-i386 target-arm hw)

distclean:
	rm -rf $(SRC_PATH)/build $(SRC_PATH)/build-san

-include $(shell find $(B) -name '*.d' 2>/dev/null)
