#include "rtc.h"
#include "processor.h"

#define RTC_INDEX 0x70
#define RTC_DATA 0x71
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_REG_C 0x0c
#define RTC_REG_D 0x0d
#define RTC_A_RATE_MASK 0x0f
#define RTC_B_PIE 0x40
#define RTC_D_VRT 0x80 /* valid RAM and time */

static u8 rtc_read(u8 reg)
{
	outb(reg, RTC_INDEX); /* bit 7 clear: NMIs stay enabled */
	return inb(RTC_DATA);
}

static void rtc_write(u8 reg, u8 value)
{
	outb(reg, RTC_INDEX);
	outb(value, RTC_DATA);
}

bool rtc_present(void)
{
	/* Register D reads 0x80 on a working clock; an absent one reads all ones. */
	return rtc_read(RTC_REG_D) == RTC_D_VRT;
}

void rtc_periodic_start(u8 rate)
{
	rtc_write(RTC_REG_A, (rtc_read(RTC_REG_A) & ~RTC_A_RATE_MASK) | (rate & RTC_A_RATE_MASK));
	rtc_read(RTC_REG_C);
	rtc_write(RTC_REG_B, rtc_read(RTC_REG_B) | RTC_B_PIE);
}

void rtc_periodic_stop(void)
{
	rtc_write(RTC_REG_B, rtc_read(RTC_REG_B) & ~RTC_B_PIE);
	rtc_read(RTC_REG_C);
}
