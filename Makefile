# Builds every test kernel x86/<name>.elf from x86/<name>.c and the library, the same kernel
# as a UEFI application x86/<name>.efi, and the host-side unit tests. Run ./configure first.

ifeq ($(wildcard config.mak),)
ifneq ($(MAKECMDGOALS),help)
$(error config.mak is missing: run ./configure first)
endif
endif
-include config.mak
SHELL := /bin/bash

# One short line per build step ("  CC      x86/smp.o"); V=1 prints the whole commands instead.
# Warnings and errors show in full either way.
V ?= 0
ifeq ($(V),1)
quiet =
else
quiet = @printf '  %-7s %s\n' '$(1)' '$@';
endif

TESTS := $(patsubst %.c,%.elf,$(wildcard x86/*.c))
EFI_TESTS := $(TESTS:.elf=.efi)

LIB_C := $(filter-out lib/program-name.c,$(wildcard lib/*.c lib/x86/*.c))
LIB_S := $(filter-out lib/x86/multiboot-entry.S lib/x86/efi-entry.S,$(wildcard lib/x86/*.S))
LIB_OBJS := $(LIB_C:.c=.o) $(LIB_S:.S=.o)
ENTRY_OBJS := lib/x86/multiboot-entry.o lib/x86/efi-entry.o

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

.PHONY: all check fuzz test clean distclean install images check-images shellcheck help \
	compile_commands.json
.SECONDARY:

all: $(TESTS) $(EFI_TESTS) lib/x86/efi/launcher.efi

%.o: %.c
	$(call quiet,CC)$(CC) $(CFLAGS) -c -o $@ $<

%.o: %.S
	$(call quiet,AS)$(CC) $(ASFLAGS) -c -o $@ $<

lib/libcflat.a: $(LIB_OBJS)
	$(call quiet,AR)rm -f $@ && $(AR) rcs $@ $^

# Each kernel's own name, argv[0] when the loader passes no file name (GRUB 2 passes none).
x86/%.name.o: lib/program-name.c
	$(call quiet,CC)$(CC) $(CFLAGS) -DPROGRAM_NAME='"$*"' -c -o $@ $<

x86/%.elf: x86/%.o x86/%.name.o $(ENTRY_OBJS) lib/libcflat.a lib/x86/kernel.lds
	$(call quiet,LD)$(LD) $(LDFLAGS) -o $@ $(filter %.o,$^) lib/libcflat.a

# Check bodies shared by several programs live in x86/common/ and are linked into those.
x86/pv_eoi.elf x86/hyperv_apic.elf: x86/common/lazy-eoi-checks.o

# UEFI (lib/x86/efi-handover.h): the kernel image, as a flat binary, inside a gnu-efi loader.
EFI_CFLAGS := -std=gnu11 -O2 -ffreestanding -fpic -fshort-wchar -fno-stack-protector \
	-fno-strict-aliasing -mno-red-zone -mno-mmx -mno-sse -maccumulate-outgoing-args \
	-DGNU_EFI_USE_MS_ABI -isystem $(EFI_INCLUDE) -isystem $(EFI_INCLUDE)/x86_64 \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes -Ilib/x86 -Ilib/x86/efi -MMD -MP
EFI_LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic -T $(EFI_LIB)/elf_x86_64_efi.lds
EFI_LOADER_OBJS := lib/x86/efi/efi-fw.o lib/x86/efi/efi-parse.o
EFI_SECTIONS := -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela -j .reloc

lib/x86/efi/%.o: lib/x86/efi/%.c
	$(call quiet,CC)$(CC) $(EFI_CFLAGS) -c -o $@ $<

x86/%.bin: x86/%.elf
	$(call quiet,OBJCOPY)$(OBJCOPY) -O binary $< $@

x86/%.payload.o: lib/x86/efi/payload.S x86/%.bin
	$(call quiet,AS)$(CC) $(EFI_CFLAGS) -D__ASSEMBLER__ -DPAYLOAD='"x86/$*.bin"' -DPROGRAM='"$*"' -c -o $@ $<

x86/%.so: x86/%.payload.o lib/x86/efi/stub.o $(EFI_LOADER_OBJS)
	$(call quiet,LD)$(LD) $(EFI_LDFLAGS) -o $@ $(EFI_LIB)/crt0-efi-x86_64.o $^ -L$(EFI_LIB) -lefi -lgnuefi

lib/x86/efi/launcher.so: lib/x86/efi/launcher.o $(EFI_LOADER_OBJS)
	$(call quiet,LD)$(LD) $(EFI_LDFLAGS) -o $@ $(EFI_LIB)/crt0-efi-x86_64.o $^ -L$(EFI_LIB) -lefi -lgnuefi

%.efi: %.so
	$(call quiet,OBJCOPY)$(OBJCOPY) $(EFI_SECTIONS) --target=efi-app-x86_64 --subsystem=10 $< $@

include tests.mak

# Bootable images for machines without QEMU's -kernel (scripts/make-images.sh): a GPT disk and
# its VHDX with the UEFI programs and their launcher, and a GRUB ISO with the .elf kernels.
IMAGES_DIR := build/images
IMAGES := $(addprefix $(IMAGES_DIR)/vic-tests.,img vhdx iso)
IMAGES_EFI := $(EFI_TESTS) lib/x86/efi/launcher.efi

images: $(IMAGES)

$(IMAGES) &: $(TESTS) $(IMAGES_EFI) scripts/make-images.sh
	scripts/make-images.sh -o $(IMAGES_DIR) x86

# Boots each image under QEMU (SeaBIOS and OVMF, with and without isa-debug-exit).
check-images: images
	tests/images/run.sh

# QEMU 10.0 beside Debian 12's 7.2, when scripts/install-deps.sh unpacked it there.
SECOND_QEMU := build/qemu-backports/qemu-system-x86_64

# The project's own tests: host unit tests and harness tests, the images' boots, a short fuzz
# run, then the suite on the system's QEMU and on the second one where there is one.
test: check
	$(MAKE) check-images
	$(MAKE) fuzz FUZZ_SECONDS=15
	./run_tests.sh
	if [ -x $(SECOND_QEMU) ]; then QEMU=$(SECOND_QEMU) LOGDIR=logs-qemu-backports ./run_tests.sh; fi

# Every shell script of the tree; .shellcheckrc has the settings and the exceptions.
SHELL_SCRIPTS := run_tests.sh configure x86/run .ci/run tests/harness/fake-qemu \
	$(wildcard scripts/*.sh tests/harness/*.sh tests/images/*.sh)

shellcheck:
	shellcheck $(SHELL_SCRIPTS)

# The compile database for clangd and other tools: the kernels, the UEFI loader and launcher, the
# host tests and the fuzz targets, with the flags of their commands here. "+": the script's dry
# run of make shares this make's job slots.
compile_commands.json:
	+scripts/compile-commands.sh all $(HOST_TESTS) $(FUZZ_TARGETS) >$@.tmp && mv $@.tmp $@ || \
		{ rm -f $@.tmp; exit 1; }

install: all
	install -d $(DESTDIR)$(PREFIX)/share/vic-tests/x86
	install -m 644 $(TESTS) $(EFI_TESTS) $(DESTDIR)$(PREFIX)/share/vic-tests/x86/

clean: host-clean
	rm -f lib/*.o lib/x86/*.o x86/*.o lib/*.d lib/x86/*.d x86/*.d lib/libcflat.a $(TESTS)
	rm -f x86/common/*.[od]
	rm -f lib/x86/efi/*.[od] lib/x86/efi/*.so lib/x86/efi/*.efi x86/*.bin x86/*.so $(EFI_TESTS)
	rm -rf $(IMAGES_DIR)

distclean: clean
	rm -rf config.mak logs compile_commands.json

help:
	@echo 'Targets (default: all):'
	@echo '  all                    x86/<name>.elf and .efi for each x86/<name>.c, the launcher'
	@echo '  check                  host unit tests, harness tests, shellcheck: "N passed, ..."'
	@echo '  fuzz                   the fuzz targets, FUZZ_SECONDS each (clang, libFuzzer)'
	@echo '  test                   check, check-images, a short fuzz, then ./run_tests.sh'
	@echo '  images                 bootable disk, VHDX and ISO in $(IMAGES_DIR)/'
	@echo '  check-images           boot the images under QEMU (SeaBIOS and OVMF)'
	@echo '  shellcheck             shellcheck every shell script (.shellcheckrc)'
	@echo '  compile_commands.json  the compile database for clangd and other tools'
	@echo '  install                the kernels into $$(DESTDIR)$$(PREFIX)/share/vic-tests/x86'
	@echo '  clean                  remove what the build made'
	@echo '  distclean              clean, and remove config.mak, logs/, compile_commands.json'
	@echo '  help                   this list'
	@echo 'Variables (make VAR=value):'
	@echo '  V=1                    print the whole build commands, not "  CC      x86/smp.o"'
	@echo '  FUZZ_SECONDS=60        how long each fuzz target runs'
	@echo '  FUZZ_CC=clang          the compiler of the fuzz targets'
	@echo '  PREFIX, DESTDIR        where install puts the kernels (PREFIX from ./configure)'
	@echo '  CC, LD, OBJCOPY, ...   the tools ./configure chose (config.mak)'

-include $(wildcard lib/*.d lib/x86/*.d lib/x86/efi/*.d x86/*.d x86/common/*.d)
