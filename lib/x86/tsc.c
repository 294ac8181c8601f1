#include "tsc.h"
#include "acpi.h"
#include "hypervisor.h"
#include "processor.h"
#include "spinlock.h"

#define KVM_FEATURE_CLOCKSOURCE2 BIT(3)
#define PM_TIMER_HZ 3579545ull
#define PM_TIMER_CALIBRATION_TICKS (PM_TIMER_HZ / 50) /* 20 ms */
#define ACPI_FADT_TMR_VAL_EXT BIT(8)

struct pvclock_vcpu_time_info {
	u32 version;
	u32 pad0;
	u64 tsc_timestamp;
	u64 system_time;
	u32 tsc_to_system_mul;
	s8 tsc_shift;
	u8 flags;
	u8 pad[2];
} __attribute__((packed));

static u64 hz;
static const char *source = "none";

static u64 from_cpuid_15(void)
{
	struct cpuid r;

	if (cpuid(0).a < 0x15)
		return 0;
	r = cpuid(0x15); /* TSC = crystal (ECX Hz) * EBX / EAX */
	if (!r.a || !r.b || !r.c)
		return 0;
	return (u64)r.c * r.b / r.a;
}

static u64 from_kvm_clock(void)
{
	static struct pvclock_vcpu_time_info ti __attribute__((aligned(32)));
	struct hypervisor_leaves kvm = hypervisor_find(HV_SIGNATURE_KVM);
	u64 f;

	if (!kvm.base || !(cpuid(kvm.base + 1).a & KVM_FEATURE_CLOCKSOURCE2))
		return 0;
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (u64)&ti | 1);
	/* nanoseconds = ((cycles << shift) * mul) >> 32, so Hz = 1e9 * 2^32 / mul / 2^shift */
	f = ti.tsc_to_system_mul ? (1000000000ull << 32) / ti.tsc_to_system_mul : 0;
	f = ti.tsc_shift >= 0 ? f >> ti.tsc_shift : f << -ti.tsc_shift;
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, 0);
	return f;
}

static u64 from_pm_timer(void)
{
	const struct acpi_fadt *fadt = (const void *)acpi_find_table("FACP", NULL, 0);
	u32 mask, start, now = 0;
	u16 port;
	u64 tsc0, tsc1;

	if (!fadt || !fadt->pm_tmr_blk)
		return 0;
	port = fadt->pm_tmr_blk;
	mask = fadt->flags & ACPI_FADT_TMR_VAL_EXT ? 0xffffffff : 0xffffff;
	start = inl(port) & mask;
	tsc0 = rdtsc();
	/* Bounded: a timer that does not move gives up after as many reads as 20 ms takes. */
	for (u32 i = 0; i < 10000000; i++) {
		now = inl(port) & mask;
		if (((now - start) & mask) >= PM_TIMER_CALIBRATION_TICKS)
			break;
	}
	tsc1 = rdtsc();
	if (((now - start) & mask) < PM_TIMER_CALIBRATION_TICKS)
		return 0;
	return (tsc1 - tsc0) * PM_TIMER_HZ / ((now - start) & mask);
}

void tsc_calibrate(void)
{
	if ((hz = from_cpuid_15()))
		source = "CPUID 0x15";
	else if ((hz = from_kvm_clock()))
		source = "KVM clock";
	else if ((hz = from_pm_timer()))
		source = "ACPI PM timer";
	else
		source = "none";
}

u64 tsc_hz(void)
{
	return hz;
}

const char *tsc_source(void)
{
	return source;
}

u64 tsc_to_us(u64 cycles)
{
	return hz ? cycles / (hz / 1000000) : 0;
}

u64 tsc_deadline_us(u64 us)
{
	return rdtsc() + us * ((hz ? hz : TSC_ASSUMED_MAX_HZ) / 1000000);
}

bool tsc_passed(u64 deadline)
{
	return (s64)(rdtsc() - deadline) >= 0;
}

void udelay(u64 us)
{
	u64 deadline = tsc_deadline_us(us);

	while (!tsc_passed(deadline))
		cpu_relax();
}

bool wait_count(int *counter, int n, u64 us)
{
	u64 deadline = tsc_deadline_us(us);

	while (atomic_read(counter) < n)
		if (tsc_passed(deadline))
			return atomic_read(counter) >= n;
		else
			cpu_relax();
	return true;
}
