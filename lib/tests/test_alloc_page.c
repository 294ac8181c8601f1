/*
 * The page allocator's range logic: adding and reserving memory, aligned first-fit
 * allocation, merging on free, a full range list, and a random workload checked against
 * a page-by-page model.
 */
#include <stdlib.h>
#include <string.h>
#include "alloc_page.h"
#include "check.h"

#define MiB (1ull << 20)
#define PAGES(n) ((u64)(n) << PAGE_SHIFT)

static bool ranges_sorted_disjoint(struct page_alloc *pa)
{
	for (int i = 0; i < pa->nr; i++) {
		if (pa->free[i].start >= pa->free[i].end)
			return false;
		if (i && pa->free[i - 1].end >= pa->free[i].start)
			return false; /* touching ranges must have been merged */
	}
	return true;
}

static void test_basics(void)
{
	static struct page_alloc pa;
	u64 a, b, c;

	page_alloc_init(&pa);
	CHECK(page_alloc_take(&pa, 1, 0) == 0);
	/* Unaligned ends shrink inward to whole pages. */
	CHECK(page_alloc_add(&pa, 1 * MiB + 1, 2 * MiB + 100));
	CHECK(pa.nr == 1 && pa.free[0].start == 1 * MiB + PAGE_SIZE && pa.free[0].end == 2 * MiB);
	CHECK(page_alloc_free_pages(&pa) == 255);
	/* Adding the same memory again does not create a second owner. */
	CHECK(page_alloc_add(&pa, 1 * MiB, 2 * MiB));
	CHECK(pa.nr == 1 && page_alloc_free_pages(&pa) == 256);

	/* Reserving widens outward and splits. */
	CHECK(page_alloc_reserve(&pa, 1 * MiB + 0x1800, 1 * MiB + 0x2001));
	CHECK(pa.nr == 2 && pa.free[0].end == 1 * MiB + 0x1000 &&
	      pa.free[1].start == 1 * MiB + 0x3000);

	a = page_alloc_take(&pa, 1, 0);
	CHECK(a == 1 * MiB);
	b = page_alloc_take(&pa, 4, 64 * 1024);
	CHECK(b && b % (64 * 1024) == 0);
	c = page_alloc_take(&pa, 1000, 0);
	CHECK(c == 0); /* more than is free */
	CHECK(page_alloc_give(&pa, a, 1));
	CHECK(page_alloc_give(&pa, b, 4));
	CHECK(page_alloc_free_pages(&pa) == 254 && ranges_sorted_disjoint(&pa));
	CHECK(page_alloc_take(&pa, 3, 3 * PAGE_SIZE) == 0); /* alignment must be a power of two */
	CHECK(page_alloc_take(&pa, 0, 0) == 0);
}

static void test_full_list(void)
{
	static struct page_alloc pa;
	u64 before;

	page_alloc_init(&pa);
	/* Fill the list with one-page holes between free pages. */
	for (int i = 0; i < PAGE_ALLOC_MAX_RANGES; i++)
		CHECK(page_alloc_add(&pa, PAGES(2 * i), PAGES(2 * i + 1)));
	CHECK(pa.nr == PAGE_ALLOC_MAX_RANGES);
	CHECK(!page_alloc_add(&pa, PAGES(1000), PAGES(1001)));
	/* A free that fills a hole merges and needs no new slot. */
	CHECK(page_alloc_give(&pa, PAGES(1), 1));
	CHECK(pa.nr == PAGE_ALLOC_MAX_RANGES - 1);
	before = page_alloc_free_pages(&pa);
	/* A split with no slot left must change nothing. */
	CHECK(page_alloc_add(&pa, PAGES(5000), PAGES(5004)));
	CHECK(!page_alloc_reserve(&pa, PAGES(5001), PAGES(5002)));
	CHECK(page_alloc_free_pages(&pa) == before + 4);
	CHECK(ranges_sorted_disjoint(&pa));
}

/* Random allocations and frees, checked against a map of which pages are taken. */
static void test_random_against_model(void)
{
	enum { SPAN = 4096, ROUNDS = 20000, LIVE = 64 };
	static struct page_alloc pa;
	static unsigned char owner[SPAN]; /* 0 free, else 1 + slot */
	struct {
		u64 addr, n;
	} live[LIVE] = { { 0 } };
	bool model_ok = true, aligned_ok = true;

	srand(1);
	page_alloc_init(&pa);
	page_alloc_add(&pa, PAGES(16), PAGES(SPAN));
	for (int round = 0; round < ROUNDS; round++) {
		int slot = rand() % LIVE;

		if (live[slot].addr) {
			for (u64 p = 0; p < live[slot].n; p++)
				owner[(live[slot].addr >> PAGE_SHIFT) + p] = 0;
			page_alloc_give(&pa, live[slot].addr, live[slot].n);
			live[slot].addr = 0;
		} else {
			u64 n = 1 + rand() % 40, align = PAGE_SIZE << (rand() % 5);
			u64 addr = page_alloc_take(&pa, n, align);

			if (!addr)
				continue;
			aligned_ok &= addr % align == 0 && addr >= PAGES(16) &&
				      addr + PAGES(n) <= PAGES(SPAN);
			for (u64 p = 0; p < n; p++) {
				model_ok &= owner[(addr >> PAGE_SHIFT) + p] == 0;
				owner[(addr >> PAGE_SHIFT) + p] = 1 + slot;
			}
			live[slot].addr = addr;
			live[slot].n = n;
		}
	}
	CHECK(model_ok);
	CHECK(aligned_ok);
	CHECK(ranges_sorted_disjoint(&pa));
	for (int slot = 0; slot < LIVE; slot++)
		if (live[slot].addr)
			page_alloc_give(&pa, live[slot].addr, live[slot].n);
	CHECK(pa.nr == 1 && page_alloc_free_pages(&pa) == SPAN - 16);
}

int main(void)
{
	test_basics();
	test_full_list();
	test_random_against_model();
	return check_done("alloc_page");
}
