/*
 * cron: 5-field cron expressions (minute hour day-of-month month
 * day-of-week) with "*", lists, ranges and steps, and the next time one
 * fires, in local time.
 */
#ifndef PROCMAN_CRON_H
#define PROCMAN_CRON_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct cron {
	uint64_t	 minutes;	/* bit n: minute n (0-59) */
	uint32_t	 hours;		/* 0-23 */
	uint32_t	 mdays;		/* 1-31 */
	uint16_t	 months;	/* 1-12 */
	uint8_t		 wdays;		/* 0-6, Sunday 0 (7 folds to 0) */
	bool		 mday_any;	/* the field was "*" */
	bool		 wday_any;
};

/* Returns 0, or -1 and *why (allocated, one line without the expression). */
int	 cron_parse(const char *expr, struct cron *, char **why);

/*
 * The first minute strictly after `after` that matches, as a unix time,
 * or (time_t)-1 if none within eight years (a "31 2 *" kind of
 * expression).  As with cron, when both day fields are restricted a day
 * matching either one fires.
 */
time_t	 cron_next(const struct cron *, time_t after);

#endif
