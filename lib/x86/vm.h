/*
 * Paging: physical memory identity-mapped. The boot page tables map the first 4 GiB with
 * 2 MiB pages; after vm_init() every 2 MiB page there that holds no RAM is uncached (the
 * local APIC, IOAPIC, HPET and PCI windows), the others write-back, and the RAM the memory
 * map reports above 4 GiB is mapped too, up to 512 GiB.
 */
#ifndef LIB_X86_VM_H
#define LIB_X86_VM_H

#include "boot.h"

#define PTE_PRESENT BIT(0)
#define PTE_WRITE BIT(1)
#define PTE_PWT BIT(3)
#define PTE_PCD BIT(4)
#define PTE_LARGE BIT(7)
#define LARGE_PAGE_SIZE (2ul << 20)
#define VM_MAPPED_LIMIT (512ull << 30)

/* Returns the highest RAM address mapped (exclusive). */
u64 vm_init(const struct boot_info *boot);
/* An address that is canonical but never mapped: reads and writes raise #PF. */
void *vm_unmapped_address(void);
/* True when the 2 MiB page holding addr is mapped uncached. */
bool vm_is_uncached(u64 addr);

#endif
