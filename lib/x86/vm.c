#include "vm.h"
#include "alloc_page.h"
#include "processor.h"

extern u64 boot_pml4[512], boot_pdpt[512], boot_pd[4 * 512];

static u64 *pd_for(u64 addr)
{
	u64 *pdpte = &boot_pdpt[addr >> 30];

	if (!(*pdpte & PTE_PRESENT)) {
		u64 *pd = alloc_page();

		if (!pd)
			return NULL;
		*pdpte = (u64)pd | PTE_PRESENT | PTE_WRITE;
	}
	return (u64 *)(*pdpte & ~0xfffull);
}

static u64 map_high_ram(const struct boot_info *boot)
{
	u64 mapped_end = 4ull << 30;

	for (int i = 0; i < boot->nr_mem; i++) {
		const struct mem_range *r = &boot->mem[i];
		bool ram = r->type == MEM_RAM;
		/*
		 * RAM is mapped in whole large pages, write-back. ACPI tables and UEFI runtime
		 * code may sit above 4 GiB too: their pages are mapped uncached, unless RAM
		 * shares the page.
		 */
		u64 start = ram ? ALIGN_UP(r->start, LARGE_PAGE_SIZE) :
				  ALIGN_DOWN(r->start, LARGE_PAGE_SIZE);
		u64 end = ram ? ALIGN_DOWN(r->end, LARGE_PAGE_SIZE) : ALIGN_UP(r->end, LARGE_PAGE_SIZE);

		start = MAX(start, 4ull << 30);
		end = MIN(end, VM_MAPPED_LIMIT);
		for (u64 a = start; a < end; a += LARGE_PAGE_SIZE) {
			u64 *pd = pd_for(a), *pde;

			if (!pd)
				return mapped_end;
			pde = &pd[(a >> 21) & 511];
			if (ram)
				*pde = a | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
			else if (!(*pde & PTE_PRESENT))
				*pde = a | PTE_PRESENT | PTE_WRITE | PTE_LARGE | PTE_PCD | PTE_PWT;
			if (ram)
				mapped_end = MAX(mapped_end, a + LARGE_PAGE_SIZE);
		}
	}
	return mapped_end;
}

/* Makes every 2 MiB page below 4 GiB that holds some RAM write-back; the rest stay uncached. */
static void cache_low_ram(const struct boot_info *boot)
{
	for (int i = 0; i < boot->nr_mem; i++) {
		const struct mem_range *r = &boot->mem[i];
		u64 end = MIN(r->end, 4ull << 30);

		if (r->type != MEM_RAM)
			continue;
		for (u64 a = ALIGN_DOWN(r->start, LARGE_PAGE_SIZE); a < end; a += LARGE_PAGE_SIZE)
			boot_pd[a / LARGE_PAGE_SIZE] &= ~(u64)(PTE_PCD | PTE_PWT);
	}
}

u64 vm_init(const struct boot_info *boot)
{
	u64 end;

	cache_low_ram(boot);
	end = map_high_ram(boot);
	write_cr3(read_cr3());
	return end;
}

void *vm_unmapped_address(void)
{
	/* PML4 entry 1 is never filled: 512 GiB is canonical and unmapped. */
	return (void *)VM_MAPPED_LIMIT;
}

bool vm_is_uncached(u64 addr)
{
	u64 pdpte = boot_pdpt[(addr >> 30) & 511], pde;

	if (addr >= VM_MAPPED_LIMIT || !(pdpte & PTE_PRESENT))
		return false;
	pde = ((u64 *)(pdpte & ~0xfffull))[(addr >> 21) & 511];
	return (pde & PTE_PRESENT) && (pde & PTE_PCD);
}
