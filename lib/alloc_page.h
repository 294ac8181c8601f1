/*
 * Page allocator over the free ranges of physical memory. Free memory is a sorted list of
 * disjoint page ranges; allocation is first fit with a power-of-two alignment, and freeing
 * merges neighbours back. The range logic is pure, so host unit tests pin it down.
 */
#ifndef LIB_ALLOC_PAGE_H
#define LIB_ALLOC_PAGE_H

#include "libcflat.h"
#include "spinlock.h"

#define PAGE_SIZE 4096ul
#define PAGE_SHIFT 12
#define PAGE_ALLOC_MAX_RANGES 128

struct page_range {
	u64 start, end; /* [start, end), page-aligned */
};

struct page_alloc {
	struct spinlock lock;
	int nr;
	struct page_range free[PAGE_ALLOC_MAX_RANGES];
};

void page_alloc_init(struct page_alloc *pa);
/* Adds [start, end) as free memory (shrunk inward to whole pages); false if it cannot be kept. */
bool page_alloc_add(struct page_alloc *pa, u64 start, u64 end);
/* Removes [start, end) (widened outward to whole pages) from free memory. */
bool page_alloc_reserve(struct page_alloc *pa, u64 start, u64 end);
/* Returns the address of npages free pages aligned to align bytes (a power of two), or 0. */
u64 page_alloc_take(struct page_alloc *pa, u64 npages, u64 align);
/* Gives pages back; false if the free list is full (the pages then stay allocated). */
bool page_alloc_give(struct page_alloc *pa, u64 addr, u64 npages);
u64 page_alloc_free_pages(struct page_alloc *pa);

#ifndef HOST_TEST
/*
 * The kernel's allocator, over the memory the boot loader reported. alloc_pages() leaves the
 * contents as they were (stacks and buffers need no clearing, and clearing costs time where
 * guest code is emulated); alloc_pages_zeroed() and alloc_page() clear them.
 */
void *alloc_pages(unsigned long npages);
void *alloc_pages_zeroed(unsigned long npages);
void *alloc_page(void);
void free_pages(void *p, unsigned long npages);
void free_page(void *p);
struct page_alloc *kernel_page_alloc(void);
#endif

#endif
