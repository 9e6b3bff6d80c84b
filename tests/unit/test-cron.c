/*
 * test-cron: cron expressions and their next fire time (lib/cron.c).
 * Times are computed in UTC (TZ is set in main) so the expected values
 * are plain calendar arithmetic.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cron.h"

static time_t
utc(int y, int mon, int d, int h, int m)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = m;
	return timegm(&tm);
}

static time_t
next(const char *expr, time_t after)
{
	struct cron	 c;
	char		*why = NULL;

	assert_int_equal(cron_parse(expr, &c, &why), 0);
	assert_null(why);
	return cron_next(&c, after);
}

static void
test_every_minute_is_strictly_after(void **state)
{
	(void)state;
	assert_int_equal(next("* * * * *", utc(2026, 5, 1, 10, 0)),
	    utc(2026, 5, 1, 10, 1));
	assert_int_equal(next("* * * * *", utc(2026, 5, 1, 10, 0) + 59),
	    utc(2026, 5, 1, 10, 1));
}

static void
test_daily_crosses_month_end(void **state)
{
	(void)state;
	assert_int_equal(next("0 3 * * *", utc(2026, 4, 30, 4, 0)),
	    utc(2026, 5, 1, 3, 0));
	assert_int_equal(next("0 3 * * *", utc(2026, 2, 28, 3, 0)),
	    utc(2026, 3, 1, 3, 0));
}

static void
test_crosses_year_end(void **state)
{
	(void)state;
	assert_int_equal(next("30 0 1 1 *", utc(2026, 12, 31, 23, 59)),
	    utc(2027, 1, 1, 0, 30));
	assert_int_equal(next("*/15 * * * *", utc(2026, 12, 31, 23, 50)),
	    utc(2027, 1, 1, 0, 0));
}

static void
test_leap_day(void **state)
{
	(void)state;
	assert_int_equal(next("0 0 29 2 *", utc(2026, 3, 1, 0, 0)),
	    utc(2028, 2, 29, 0, 0));
}

static void
test_lists_ranges_steps(void **state)
{
	(void)state;
	assert_int_equal(next("5,35 9-17/4 * * *", utc(2026, 6, 1, 9, 5)),
	    utc(2026, 6, 1, 9, 35));
	assert_int_equal(next("5,35 9-17/4 * * *", utc(2026, 6, 1, 9, 35)),
	    utc(2026, 6, 1, 13, 5));
	assert_int_equal(next("5,35 9-17/4 * * *", utc(2026, 6, 1, 17, 35)),
	    utc(2026, 6, 2, 9, 5));
}

static void
test_weekday_and_either_day_rule(void **state)
{
	(void)state;
	/* 2026-11-22 is a Sunday; the next Monday is the 23rd. */
	assert_int_equal(next("0 12 * * 1", utc(2026, 11, 22, 12, 0)),
	    utc(2026, 11, 23, 12, 0));
	/* 7 is Sunday too. */
	assert_int_equal(next("0 12 * * 7", utc(2026, 11, 21, 0, 0)),
	    utc(2026, 11, 22, 12, 0));
	/* Both restricted: the 1st of the month OR a Friday. */
	assert_int_equal(next("0 0 1 * 5", utc(2026, 11, 22, 0, 0)),
	    utc(2026, 11, 27, 0, 0));
	assert_int_equal(next("0 0 1 * 5", utc(2026, 11, 27, 0, 0)),
	    utc(2026, 12, 1, 0, 0));
}

static void
test_impossible_date_never_fires(void **state)
{
	(void)state;
	assert_int_equal(next("0 0 31 2 *", utc(2026, 1, 1, 0, 0)),
	    (time_t)-1);
}

static void
test_errors(void **state)
{
	static const struct {
		const char	*expr;
		const char	*why;
	} bad[] = {
		{ "61 * * * *", "minute 61 is out of range 0-59" },
		{ "* 24 * * *", "hour 24 is out of range 0-23" },
		{ "* * 0 * *", "day of month 0 is out of range 1-31" },
		{ "* * * 5-2 *", "month range 5-2 is backwards" },
		{ "*/0 * * * *", "minute step 0 is out of range 1-59" },
		{ "* * * * MON", "bad day of week \"MON\"" },
		{ "* * * *", "expected 5 fields (minute hour day-of-month "
		    "month day-of-week), got 4" },
		{ "1,,2 * * * *", "bad minute field" },
	};
	struct cron	 c;
	char		*why;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(cron_parse(bad[i].expr, &c, &why), -1);
		assert_string_equal(why, bad[i].why);
		free(why);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_minute_is_strictly_after),
		cmocka_unit_test(test_daily_crosses_month_end),
		cmocka_unit_test(test_crosses_year_end),
		cmocka_unit_test(test_leap_day),
		cmocka_unit_test(test_lists_ranges_steps),
		cmocka_unit_test(test_weekday_and_either_day_rule),
		cmocka_unit_test(test_impossible_date_never_fires),
		cmocka_unit_test(test_errors),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
