# Host-side unit tests of the pure library code, built with the host compiler and run by
# 'make check' together with the tests of the test harness (tests/harness/run.sh) and shellcheck.

HOST_BUILD := build/host
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -DHOST_TEST \
	-Ilib -Ilib/x86 -Ilib/tests -fsanitize=address,undefined -fno-sanitize-recover=all
# The library's printf is built under another name, so libc's stays usable beside it.
HOST_LIB_DEFS := -Dvsnprintf=lib_vsnprintf -Dsnprintf=lib_snprintf

HOST_LIB_printf := lib/printf.c
HOST_LIB_argv := lib/argv.c lib/printf.c
HOST_LIB_options := lib/options.c lib/x86/common-options.c lib/argv.c lib/report.c lib/printf.c
HOST_LIB_alloc_page := lib/alloc_page.c lib/printf.c
HOST_LIB_report := lib/report.c lib/printf.c
HOST_LIB_report_status := lib/report.c lib/printf.c
HOST_LIB_acpi := lib/x86/acpi.c lib/printf.c
HOST_LIB_madt := lib/x86/madt.c lib/x86/acpi.c lib/printf.c
HOST_LIB_apic := lib/x86/apic-regs.c
HOST_LIB_msi := lib/x86/msi.c
HOST_LIB_ioapic := lib/x86/ioapic-rte.c
HOST_LIB_lazy_eoi :=
HOST_LIB_efi := lib/x86/efi/efi-parse.c

HOST_TESTS := $(patsubst lib/tests/test_%.c,$(HOST_BUILD)/test_%,$(wildcard lib/tests/test_*.c)) \
	$(patsubst lib/x86/tests/test_%.c,$(HOST_BUILD)/test_%,$(wildcard lib/x86/tests/test_*.c))

$(HOST_BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(call quiet,HOSTCC)$(HOST_CC) $(HOST_CFLAGS) $(HOST_LIB_DEFS) -c -o $@ $<

host_lib_objs = $(patsubst lib/%.c,$(HOST_BUILD)/lib/%.o,$(HOST_LIB_$(1)))

.SECONDEXPANSION:
$(HOST_BUILD)/test_%: $$(wildcard lib/tests/test_$$*.c lib/x86/tests/test_$$*.c) \
		$$(call host_lib_objs,$$*) lib/tests/check.h
	@mkdir -p $(dir $@)
	$(call quiet,HOSTCC)$(HOST_CC) $(HOST_CFLAGS) -o $@ $(filter %.c %.o,$^)

check: $(HOST_TESTS) all shellcheck
	scripts/check.sh $(HOST_TESTS)

host-clean:
	rm -rf $(HOST_BUILD) $(FUZZ_BUILD)

# Fuzz targets (libFuzzer, clang): each runs for FUZZ_SECONDS from a seed corpus and must
# finish without a crash, a sanitizer report or a leak.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD := build/fuzz
FUZZ_CFLAGS := -std=gnu11 -O1 -g -DHOST_TEST -Ilib -Ilib/x86 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all
FUZZ_TARGETS := $(patsubst lib/x86/tests/fuzz_%.c,$(FUZZ_BUILD)/fuzz_%,$(wildcard lib/x86/tests/fuzz_*.c))

$(FUZZ_BUILD)/fuzz_acpi: lib/x86/tests/fuzz_acpi.c lib/x86/acpi.c lib/printf.c
$(FUZZ_BUILD)/fuzz_madt: lib/x86/tests/fuzz_madt.c lib/x86/madt.c lib/x86/acpi.c lib/printf.c
$(FUZZ_BUILD)/fuzz_efi: lib/x86/tests/fuzz_efi.c lib/x86/efi/efi-parse.c
$(FUZZ_TARGETS):
	@mkdir -p $(dir $@)
	$(call quiet,FUZZCC)$(FUZZ_CC) $(FUZZ_CFLAGS) $(HOST_LIB_DEFS) -o $@ $^

fuzz: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
		corpus=$(FUZZ_BUILD)/corpus_$${t##*/fuzz_}; mkdir -p $$corpus; \
		cp lib/x86/tests/corpus/$${t##*/fuzz_}/* $$corpus/ 2>/dev/null; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/ \
			$$corpus 2>&1 | \
			grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done' ; \
		test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done
