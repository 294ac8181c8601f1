/*
 * Spinlocks and atomics on the compiler's __atomic builtins, so host unit tests can use them.
 * In the kernel a spinlock is held with interrupts off, and the holder's interrupt flag comes
 * back at the unlock: an interrupt handler that takes the same lock (printing, reporting, an
 * IOAPIC access) can then never spin on a lock its own CPU holds.
 */
#ifndef LIB_SPINLOCK_H
#define LIB_SPINLOCK_H

struct spinlock {
	int locked;
	unsigned long irq_flags; /* the holder's RFLAGS before the lock */
};

#define RFLAGS_IF (1ul << 9)

/* Turns interrupts off; returns RFLAGS as they were. */
static inline unsigned long irq_save(void)
{
#if defined(__x86_64__) && !defined(HOST_TEST)
	unsigned long flags;

	__asm__ volatile("pushf; pop %0; cli" : "=r"(flags)::"memory");
	return flags;
#else
	return 0;
#endif
}

static inline void irq_restore(unsigned long flags)
{
#if defined(__x86_64__) && !defined(HOST_TEST)
	if (flags & RFLAGS_IF)
		__asm__ volatile("sti" ::: "memory");
#else
	(void)flags;
#endif
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__)
	__asm__ volatile("pause" ::: "memory");
#endif
}

static inline void spin_lock(struct spinlock *l)
{
	unsigned long flags = irq_save();

	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
	l->irq_flags = flags;
}

static inline void spin_unlock(struct spinlock *l)
{
	unsigned long flags = l->irq_flags;

	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	irq_restore(flags);
}

static inline int atomic_read(const int *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void atomic_set(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Returns the new value. */
static inline int atomic_add_return(int *p, int v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}

static inline int atomic_inc(int *p)
{
	return atomic_add_return(p, 1);
}

static inline int atomic_dec(int *p)
{
	return atomic_add_return(p, -1);
}

static inline bool atomic_cmpxchg(int *p, int old, int new_value)
{
	return __atomic_compare_exchange_n(p, &old, new_value, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

#endif
