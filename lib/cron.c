/*
 * cron: parse 5-field cron expressions into bit sets, and find the next
 * minute that matches.  The ecosystem parser uses cron_parse to validate
 * cron_restart; the daemon uses cron_next to schedule the restart.
 */
#include <stdlib.h>
#include <string.h>

#include "cron.h"
#include "xmalloc.h"

static const struct {
	const char	*name;
	int		 min, max;
} cron_fields[5] = {
	{ "minute", 0, 59 }, { "hour", 0, 23 }, { "day of month", 1, 31 },
	{ "month", 1, 12 }, { "day of week", 0, 7 },
};

/* One list item: "*", "N" or "A-B", each optionally "/STEP". */
static char *
cron_item(const char *item, size_t len, int f, uint64_t *bits, bool *any)
{
	const char	*name = cron_fields[f].name;
	int		 min = cron_fields[f].min;
	int		 max = cron_fields[f].max;
	long		 a, b, step = 1, v;
	char		 buf[64], *p, *end;

	if (len == 0 || len >= sizeof buf)
		return xprintf("bad %s field", name);
	memcpy(buf, item, len);
	buf[len] = '\0';
	p = buf;
	if (*p == '*') {
		a = min;
		b = max;
		p++;
		if (*p == '\0')
			*any = true;
	} else {
		if (*p < '0' || *p > '9')
			return xprintf("bad %s \"%s\"", name, buf);
		a = b = strtol(p, &end, 10);
		p = end;
		if (*p == '-') {
			if (p[1] < '0' || p[1] > '9')
				return xprintf("bad %s \"%s\"", name, buf);
			b = strtol(p + 1, &end, 10);
			p = end;
		}
		if (a < min || a > max || b < min || b > max)
			return xprintf("%s %ld is out of range %d-%d", name,
			    a < min || a > max ? a : b, min, max);
		if (a > b)
			return xprintf("%s range %ld-%ld is backwards", name,
			    a, b);
	}
	if (*p == '/') {
		if (p[1] < '0' || p[1] > '9')
			return xprintf("bad %s \"%s\"", name, buf);
		step = strtol(p + 1, &end, 10);
		p = end;
		if (step < 1 || step > max)
			return xprintf("%s step %ld is out of range 1-%d",
			    name, step, max);
	}
	if (*p != '\0')
		return xprintf("bad %s \"%s\"", name, buf);
	for (v = a; v <= b; v += step)
		*bits |= (uint64_t)1 << v;
	return NULL;
}

int
cron_parse(const char *expr, struct cron *c, char **why)
{
	const char	*p = expr, *field, *item, *comma;
	uint64_t	 bits[5] = { 0, 0, 0, 0, 0 };
	bool		 any[5] = { false, false, false, false, false };
	int		 f = 0;

	*why = NULL;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (f == 5) {
			*why = xstrdup("expected 5 fields (minute hour "
			    "day-of-month month day-of-week), got more");
			return -1;
		}
		for (field = p; *p != '\0' && *p != ' ' && *p != '\t'; p++)
			;
		for (item = field; item <= p; item = comma + 1) {
			for (comma = item; comma < p && *comma != ','; comma++)
				;
			*why = cron_item(item, (size_t)(comma - item), f,
			    &bits[f], &any[f]);
			if (*why != NULL)
				return -1;
		}
		f++;
	}
	if (f != 5) {
		*why = xprintf("expected 5 fields (minute hour day-of-month "
		    "month day-of-week), got %d", f);
		return -1;
	}
	c->minutes = bits[0];
	c->hours = (uint32_t)bits[1];
	c->mdays = (uint32_t)bits[2];
	c->months = (uint16_t)bits[3];
	c->wdays = (uint8_t)((bits[4] | (bits[4] >> 7)) & 0x7f);
	c->mday_any = any[2];
	c->wday_any = any[4];
	return 0;
}

static bool
cron_day_matches(const struct cron *c, const struct tm *tm)
{
	bool	 mday = (c->mdays >> tm->tm_mday) & 1;
	bool	 wday = (c->wdays >> tm->tm_wday) & 1;

	if (c->mday_any || c->wday_any)
		return mday && wday;
	return mday || wday;
}

time_t
cron_next(const struct cron *c, time_t after)
{
	struct tm	 tm;
	time_t		 t = after - after % 60 + 60;
	int		 guard;

	localtime_r(&t, &tm);
	tm.tm_sec = 0;
	/* Each step moves to the start of the next candidate unit. */
	for (guard = 0; guard < 8 * 366 * 24 * 2; guard++) {
		tm.tm_isdst = -1;
		if (!((c->months >> (tm.tm_mon + 1)) & 1)) {
			tm.tm_mon++;
			tm.tm_mday = 1;
			tm.tm_hour = tm.tm_min = 0;
		} else if (!cron_day_matches(c, &tm)) {
			tm.tm_mday++;
			tm.tm_hour = tm.tm_min = 0;
		} else if (!((c->hours >> tm.tm_hour) & 1)) {
			tm.tm_hour++;
			tm.tm_min = 0;
		} else if (!((c->minutes >> tm.tm_min) & 1)) {
			tm.tm_min++;
		} else
			return mktime(&tm);
		/* Normalise (and learn the weekday of) the new date. */
		if ((t = mktime(&tm)) == (time_t)-1)
			return (time_t)-1;
		localtime_r(&t, &tm);
	}
	return (time_t)-1;
}
