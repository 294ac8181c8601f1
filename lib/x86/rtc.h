/*
 * The PC's MC146818 real-time clock as an interrupt source any PC-like hypervisor has: its
 * periodic interrupt on ISA IRQ 8 (the line rises with each period and falls when register C
 * is read). Registers through index port 0x70 and data port 0x71.
 */
#ifndef LIB_X86_RTC_H
#define LIB_X86_RTC_H

#include "libcflat.h"

#define RTC_ISA_IRQ 8
#define RTC_RATE_1024HZ 6

bool rtc_present(void);
/* Starts the periodic interrupt at 32768 >> (rate - 1) Hz (rate 3-15). */
void rtc_periodic_start(u8 rate);
/* Stops it and clears the pending flags, which lowers the line. */
void rtc_periodic_stop(void);

#endif
