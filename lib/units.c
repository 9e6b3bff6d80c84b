/*
 * units: sizes and durations as users write them ("200M", "1.5s") and as
 * the list and monit print them ("55.8mb", "3m").
 *
 * Values are capped at 2^53 - 1 so that they survive a trip through JSON
 * (cJSON keeps numbers as doubles) without losing a unit.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "units.h"

#define UNITS_MAX	((1ULL << 53) - 1)

struct units_suffix {
	const char	*name;
	uint64_t	 mult;
};

static const struct units_suffix units_sizes[] = {
	{ "", 1 }, { "b", 1 },
	{ "k", 1ULL << 10 }, { "kb", 1ULL << 10 },
	{ "m", 1ULL << 20 }, { "mb", 1ULL << 20 },
	{ "g", 1ULL << 30 }, { "gb", 1ULL << 30 },
	{ NULL, 0 }
};

static const struct units_suffix units_durations[] = {
	{ "", 1 }, { "ms", 1 },
	{ "s", 1000 }, { "m", 60 * 1000 }, { "h", 60 * 60 * 1000 },
	{ NULL, 0 }
};

/*
 * Parse "<digits>[.<digits>]<suffix>" exactly, in integers: a double would
 * turn 0.1s into 99ms.  Fractions round to the nearest unit; a fraction
 * without a suffix (1.5 bytes) is refused since the plain unit is the
 * smallest one.
 */
static int
units_parse(const char *s, const struct units_suffix *tab, bool icase,
    uint64_t *out, const char **reason)
{
	uint64_t	 ip = 0, frac = 0, scale = 1, mult = 0;
	size_t		 i;
	int		 ndig = 0;
	const char	*p = s;

	if (*p == '-') {
		*reason = "must not be negative";
		return -1;
	}
	if (*p == '+')
		p++;
	for (; *p >= '0' && *p <= '9'; p++, ndig++) {
		if (ip > (UNITS_MAX - (uint64_t)(*p - '0')) / 10) {
			*reason = "too large";
			return -1;
		}
		ip = ip * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		/* Nine digits are more precision than any unit needs. */
		for (p++; *p >= '0' && *p <= '9'; p++, ndig++) {
			if (scale < 1000000000ULL) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				scale *= 10;
			}
		}
	}
	if (ndig == 0) {
		*reason = "not a number";
		return -1;
	}
	for (i = 0; tab[i].name != NULL; i++) {
		if ((icase ? strcasecmp(p, tab[i].name) :
		    strcmp(p, tab[i].name)) == 0) {
			mult = tab[i].mult;
			break;
		}
	}
	if (mult == 0) {
		*reason = "unknown unit";
		return -1;
	}
	if (mult == 1 && scale > 1 && frac != 0) {
		*reason = "a fraction needs a unit";
		return -1;
	}
	if (ip > UNITS_MAX / mult) {
		*reason = "too large";
		return -1;
	}
	ip *= mult;
	ip += (frac * mult + scale / 2) / scale;
	if (ip > UNITS_MAX) {
		*reason = "too large";
		return -1;
	}
	*out = ip;
	return 0;
}

int
units_parse_size(const char *s, uint64_t *out, const char **reason)
{
	return units_parse(s, units_sizes, true, out, reason);
}

int
units_parse_duration(const char *s, uint64_t *ms, const char **reason)
{
	/* Case matters: "1M" is a month to some and a minute to others. */
	return units_parse(s, units_durations, false, ms, reason);
}

char *
units_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char	*names[] = { "kb", "mb", "gb" };
	double			 v = (double)bytes;
	size_t			 i;

	if (bytes < 1024) {
		snprintf(buf, len, "%llub", (unsigned long long)bytes);
		return buf;
	}
	/* Move up a unit before printf would round to "1024.0". */
	for (i = 0; i < 3; i++) {
		v /= 1024;
		if (v < 1023.95 || i == 2)
			break;
	}
	snprintf(buf, len, "%.1f%s", v, names[i]);
	return buf;
}

char *
units_format_uptime(uint64_t ms, char *buf, size_t len)
{
	uint64_t	 s = ms / 1000;

	if (s < 60)
		snprintf(buf, len, "%llus", (unsigned long long)s);
	else if (s < 60 * 60)
		snprintf(buf, len, "%llum", (unsigned long long)(s / 60));
	else if (s < 24 * 60 * 60)
		snprintf(buf, len, "%lluh", (unsigned long long)(s / 3600));
	else
		snprintf(buf, len, "%lluD",
		    (unsigned long long)(s / 86400));
	return buf;
}
