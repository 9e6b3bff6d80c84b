/*
 * units: sizes and durations as users write them, and as we print them.
 *
 * Sizes: plain bytes, or a number with K, M or G (1024-based; a trailing
 * "B" or "b" is allowed: 200M, 200MB, 1.5G).  Durations: an integer
 * number of milliseconds, or a number with ms, s, m or h (250ms, 2s, 1m).
 */
#ifndef PROCMAN_UNITS_H
#define PROCMAN_UNITS_H

#include <stddef.h>
#include <stdint.h>

/* Return 0 and the value, or -1 and a static reason ("bad size suffix"). */
int	 units_parse_size(const char *, uint64_t *, const char **reason);
int	 units_parse_duration(const char *, uint64_t *ms,
	    const char **reason);

/* PM2-style figures into buf: "55.8mb", "1.2gb", "812kb", "0b". */
char	*units_format_size(uint64_t bytes, char *buf, size_t len);
/* Uptime: "3s", "5m", "2h", "4D". */
char	*units_format_uptime(uint64_t ms, char *buf, size_t len);

#endif
