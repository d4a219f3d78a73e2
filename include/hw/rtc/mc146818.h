/* Motorola MC146818A real-time clock and its CMOS RAM at ports 0x70/0x71, IRQ 8; the board
 * fills the PC's CMOS fields (memory sizes, boot order, CPU count). */
#ifndef HW_RTC_MC146818_H
#define HW_RTC_MC146818_H

#include <stdint.h>
#include "hw/irq.h"
#include "hw/qdev.h"
#include "system/timer.h"
#include "util/error.h"

#define TYPE_MC146818 "mc146818rtc"
#define RTC_CMOS_SIZE 128
#define RTC_CENTURY 0x32

typedef struct RTCState {
    DeviceState parent_obj;
    MemoryRegion io;
    uint8_t cmos[RTC_CMOS_SIZE];
    uint8_t index;
    int64_t offset_ns;          /* guest time = clock + offset_ns (ns since the epoch) */
    int64_t last_update_sec;    /* second last reported through UF / the alarm check */
    Timer *periodic, *update;
    int64_t next_periodic;
    IRQ irq;
    /* properties */
    uint32_t iobase;
    uint8_t isairq;
    char *base;                 /* -rtc base=utc|localtime|YYYY-MM-DDTHH:MM:SS */
    char *clock;                /* -rtc clock=host|vm */
    uint8_t clock_type;         /* ClockType the time runs on */
} RTCState;

RTCState *mc146818_create(BusState *bus, IRQ irq, const char *base, const char *clock,
                          Error **errp);
/* Checks the -rtc base= and clock= values; 0 or -1 with *errp. */
int mc146818_check_options(const char *base, const char *clock, Error **errp);
/* Splits an -rtc spec into its base= and clock= values (new strings, may be NULL) and checks
 * them; driftfix= is accepted and ignored. 0, or -1 with *errp. base/clock may be NULL. */
int mc146818_parse_rtc_option(const char *spec, char **base, char **clock, Error **errp);
void rtc_set_memory(RTCState *s, int addr, uint8_t val);
uint8_t rtc_get_memory(RTCState *s, int addr);
/* Guest time now, seconds since the epoch (UTC as the guest sees it). */
int64_t rtc_guest_time(RTCState *s);

#endif
