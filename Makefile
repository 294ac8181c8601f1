# Builds every test kernel x86/<name>.elf from x86/<name>.c and the library, and the
# host-side unit tests. Run ./configure first.

ifeq ($(wildcard config.mak),)
$(error config.mak is missing: run ./configure first)
endif
include config.mak
SHELL := /bin/bash

TESTS := $(patsubst %.c,%.elf,$(wildcard x86/*.c))

LIB_C := $(wildcard lib/*.c lib/x86/*.c)
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

.PHONY: all check fuzz test clean distclean install images images-files check-images
.SECONDARY:

all: $(TESTS)

%.o: %.c
	$(CC) $(CFLAGS) -c -o $@ $<

%.o: %.S
	$(CC) $(ASFLAGS) -c -o $@ $<

lib/libcflat.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

x86/%.elf: x86/%.o $(ENTRY_OBJ) lib/libcflat.a lib/x86/kernel.lds
	$(LD) $(LDFLAGS) -o $@ $(ENTRY_OBJ) $< lib/libcflat.a

include tests.mak

# Bootable images for machines without QEMU's -kernel (scripts/make-images.sh): a GPT disk and
# its VHDX with the UEFI programs and their launcher, and a GRUB ISO with the .elf kernels.
IMAGES_DIR := build/images
IMAGES := $(addprefix $(IMAGES_DIR)/vic-tests.,img vhdx iso)
IMAGES_EFI := $(TESTS:.elf=.efi) lib/x86/efi/launcher.efi

# The UEFI programs come from the UEFI build: when make has no rule for them, say that, rather
# than make's bare "No rule to make target".
images:
	@$(MAKE) --no-print-directory -n $(IMAGES_EFI) >/dev/null 2>&1 || { \
		echo "images: the disk images need the UEFI build (x86/<name>.efi and" \
			"lib/x86/efi/launcher.efi), and make has no rule for them in this tree" \
			"(scripts/make-images.sh -f iso builds the ISO alone)" >&2; exit 1; }
	@$(MAKE) --no-print-directory images-files

# One goal for the three files, so that make does not call each of them "up to date".
images-files: $(IMAGES)
	@:

$(IMAGES) &: $(TESTS) $(IMAGES_EFI) scripts/make-images.sh
	scripts/make-images.sh -o $(IMAGES_DIR) x86

# Boots each image under QEMU (SeaBIOS and OVMF, with and without isa-debug-exit).
check-images: images
	tests/images/run.sh

# The project's own tests: host unit tests and harness tests, a short fuzz run, then the suite.
test: check
	$(MAKE) check-images
	$(MAKE) fuzz FUZZ_SECONDS=15
	./run_tests.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/share/vic-tests/x86
	install -m 644 $(TESTS) $(DESTDIR)$(PREFIX)/share/vic-tests/x86/

clean: host-clean
	rm -f lib/*.o lib/x86/*.o x86/*.o lib/*.d lib/x86/*.d x86/*.d lib/libcflat.a $(TESTS)
	rm -rf $(IMAGES_DIR)

distclean: clean
	rm -rf config.mak logs

-include $(wildcard lib/*.d lib/x86/*.d x86/*.d)
