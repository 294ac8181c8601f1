#include "alloc_page.h"

void page_alloc_init(struct page_alloc *pa)
{
	memset(pa, 0, sizeof(*pa));
}

static void remove_at(struct page_alloc *pa, int i)
{
	memmove(&pa->free[i], &pa->free[i + 1], (pa->nr - i - 1) * sizeof(pa->free[0]));
	pa->nr--;
}

static bool insert_at(struct page_alloc *pa, int i, u64 start, u64 end)
{
	if (pa->nr == PAGE_ALLOC_MAX_RANGES)
		return false;
	memmove(&pa->free[i + 1], &pa->free[i], (pa->nr - i) * sizeof(pa->free[0]));
	pa->free[i] = (struct page_range){ start, end };
	pa->nr++;
	return true;
}

/* Inserts a page-aligned range that overlaps nothing free, merging with its neighbours. */
static bool insert_merged(struct page_alloc *pa, u64 start, u64 end)
{
	int i = 0;

	while (i < pa->nr && pa->free[i].end < start)
		i++;
	if (i < pa->nr && pa->free[i].end == start) {
		pa->free[i].end = end;
		if (i + 1 < pa->nr && pa->free[i + 1].start == end) {
			pa->free[i].end = pa->free[i + 1].end;
			remove_at(pa, i + 1);
		}
		return true;
	}
	if (i < pa->nr && pa->free[i].start == end) {
		pa->free[i].start = start;
		return true;
	}
	return insert_at(pa, i, start, end);
}

/* Cuts [start, end) out of every free range; false if a split found the list full. */
static bool cut(struct page_alloc *pa, u64 start, u64 end)
{
	for (int i = 0; i < pa->nr; i++) {
		struct page_range *r = &pa->free[i];

		if (r->end <= start || r->start >= end)
			continue;
		if (r->start < start && r->end > end) {
			u64 old_end = r->end;

			if (pa->nr == PAGE_ALLOC_MAX_RANGES)
				return false;

			r->end = start;
			return insert_at(pa, i + 1, end, old_end);
		}
		if (r->start >= start && r->end <= end) {
			remove_at(pa, i--);
			continue;
		}
		if (r->start < start)
			r->end = start;
		else
			r->start = end;
	}
	return true;
}

bool page_alloc_add(struct page_alloc *pa, u64 start, u64 end)
{
	bool ok;

	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (start >= end)
		return true;
	spin_lock(&pa->lock);
	/* Adding memory twice must not make two owners of one page. */
	ok = cut(pa, start, end) && insert_merged(pa, start, end);
	spin_unlock(&pa->lock);
	return ok;
}

bool page_alloc_reserve(struct page_alloc *pa, u64 start, u64 end)
{
	bool ok;

	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	if (start >= end)
		return true;
	spin_lock(&pa->lock);
	ok = cut(pa, start, end);
	spin_unlock(&pa->lock);
	return ok;
}

u64 page_alloc_take(struct page_alloc *pa, u64 npages, u64 align)
{
	u64 size = npages << PAGE_SHIFT, addr = 0;

	if (!npages || (align & (align - 1)) || npages > (~0ull >> PAGE_SHIFT))
		return 0;
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	spin_lock(&pa->lock);
	for (int i = 0; i < pa->nr; i++) {
		u64 start = ALIGN_UP(pa->free[i].start, align);

		if (start < pa->free[i].start || start >= pa->free[i].end ||
		    pa->free[i].end - start < size)
			continue;
		/* Taking from inside a range splits it; skip it if the list has no room left. */
		if (cut(pa, start, start + size)) {
			addr = start;
			break;
		}
	}
	spin_unlock(&pa->lock);
	return addr;
}

bool page_alloc_give(struct page_alloc *pa, u64 addr, u64 npages)
{
	return page_alloc_add(pa, addr, addr + (npages << PAGE_SHIFT));
}

u64 page_alloc_free_pages(struct page_alloc *pa)
{
	u64 n = 0;

	spin_lock(&pa->lock);
	for (int i = 0; i < pa->nr; i++)
		n += (pa->free[i].end - pa->free[i].start) >> PAGE_SHIFT;
	spin_unlock(&pa->lock);
	return n;
}

#ifndef HOST_TEST
static struct page_alloc kernel_pages;

struct page_alloc *kernel_page_alloc(void)
{
	return &kernel_pages;
}

void *alloc_pages(unsigned long npages)
{
	return (void *)page_alloc_take(&kernel_pages, npages, PAGE_SIZE);
}

void *alloc_pages_zeroed(unsigned long npages)
{
	void *p = alloc_pages(npages);

	if (p)
		memset(p, 0, npages << PAGE_SHIFT);
	return p;
}

void *alloc_page(void)
{
	return alloc_pages_zeroed(1);
}

void free_pages(void *p, unsigned long npages)
{
	page_alloc_give(&kernel_pages, (u64)p, npages);
}

void free_page(void *p)
{
	free_pages(p, 1);
}
#endif
