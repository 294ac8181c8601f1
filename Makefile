# Builds every test kernel x86/<name>.elf from x86/<name>.c and the library, and the
# host-side unit tests. Run ./configure first.

ifeq ($(wildcard config.mak),)
$(error config.mak is missing: run ./configure first)
endif
include config.mak
SHELL := /bin/bash

TESTS := $(patsubst %.c,%.elf,$(wildcard x86/*.c))

LIB_C := $(filter-out lib/program-name.c,$(wildcard lib/*.c lib/x86/*.c))
LIB_S := $(filter-out lib/x86/multiboot-entry.S,$(wildcard lib/x86/*.S))
LIB_OBJS := $(LIB_C:.c=.o) $(LIB_S:.S=.o)
ENTRY_OBJ := lib/x86/multiboot-entry.o

COMPILER_INCLUDE := $(shell $(CC) -print-file-name=include)
CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(COMPILER_INCLUDE) \
	-fno-pic -fno-pie -fno-stack-protector -fno-strict-aliasing -fno-common \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables --param=min-pagesize=0 \
	-m64 -mno-red-zone -mgeneral-regs-only -mcmodel=small \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes \
	-Ilib -Ilib/x86 -MMD -MP
ASFLAGS := $(filter-out -std=gnu11,$(CFLAGS)) -D__ASSEMBLER__
LDFLAGS := -m elf_x86_64 -nostdlib -static -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
	-T lib/x86/kernel.lds

.PHONY: all check fuzz test clean distclean install
.SECONDARY:

all: $(TESTS)

%.o: %.c
	$(CC) $(CFLAGS) -c -o $@ $<

%.o: %.S
	$(CC) $(ASFLAGS) -c -o $@ $<

lib/libcflat.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# Each kernel's own name, argv[0] when the loader passes no file name (GRUB 2 passes none).
x86/%.name.o: lib/program-name.c
	$(CC) $(CFLAGS) -DPROGRAM_NAME='"$*"' -c -o $@ $<

x86/%.elf: x86/%.o x86/%.name.o $(ENTRY_OBJ) lib/libcflat.a lib/x86/kernel.lds
	$(LD) $(LDFLAGS) -o $@ $(ENTRY_OBJ) $< x86/$*.name.o lib/libcflat.a

include tests.mak

# The project's own tests: host unit tests and harness tests, a short fuzz run, then the suite.
test: check
	$(MAKE) fuzz FUZZ_SECONDS=15
	./run_tests.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/share/vic-tests/x86
	install -m 644 $(TESTS) $(DESTDIR)$(PREFIX)/share/vic-tests/x86/

clean: host-clean
	rm -f lib/*.o lib/x86/*.o x86/*.o lib/*.d lib/x86/*.d x86/*.d lib/libcflat.a $(TESTS)

distclean: clean
	rm -rf config.mak logs

-include $(wildcard lib/*.d lib/x86/*.d x86/*.d)
