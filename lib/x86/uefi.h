/* The kernel's side of the UEFI boot path (efi-handover.h): entry and power-off. */
#ifndef LIB_X86_UEFI_H
#define LIB_X86_UEFI_H

/* Powers off through the firmware's ResetSystem when UEFI booted us; returns otherwise. */
void efi_poweroff(void);

#endif
