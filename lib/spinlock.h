/* Spinlocks and atomics on the compiler's __atomic builtins, so host unit tests can use them. */
#ifndef LIB_SPINLOCK_H
#define LIB_SPINLOCK_H

struct spinlock {
	int locked;
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__)
	__asm__ volatile("pause" ::: "memory");
#endif
}

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
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
