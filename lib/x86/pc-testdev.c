#include "pc-testdev.h"
#include "processor.h"

bool pc_testdev_present(void)
{
	/* Its scratch port reads back what was written; an unclaimed port reads all ones. */
	outl(0x5a5aa5a5, PC_TESTDEV_IOPORT);
	return inl(PC_TESTDEV_IOPORT) == 0x5a5aa5a5;
}

void pc_testdev_set_line(u8 line, bool high)
{
	outb(high, PC_TESTDEV_IRQ_PORT + line);
}

void pc_testdev_pulse(void *unused)
{
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, true);
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, false);
}

void pc_testdev_raise(void *unused)
{
	pc_testdev_set_line(PC_TESTDEV_FREE_LINE, true);
}
