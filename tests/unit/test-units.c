/*
 * test-units: sizes and durations, parsed as users write them and
 * formatted as the list prints them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "units.h"

static void
size_ok(const char *s, uint64_t want)
{
	uint64_t	 v = 0;
	const char	*reason = NULL;

	assert_int_equal(units_parse_size(s, &v, &reason), 0);
	assert_true(v == want);
}

static void
size_bad(const char *s, const char *why)
{
	uint64_t	 v = 0;
	const char	*reason = NULL;

	assert_int_equal(units_parse_size(s, &v, &reason), -1);
	assert_string_equal(reason, why);
}

static void
dur_ok(const char *s, uint64_t want)
{
	uint64_t	 v = 0;
	const char	*reason = NULL;

	assert_int_equal(units_parse_duration(s, &v, &reason), 0);
	assert_true(v == want);
}

static void
dur_bad(const char *s, const char *why)
{
	uint64_t	 v = 0;
	const char	*reason = NULL;

	assert_int_equal(units_parse_duration(s, &v, &reason), -1);
	assert_string_equal(reason, why);
}

static void
test_parse_size(void **state)
{
	(void)state;
	size_ok("0", 0);
	size_ok("812", 812);
	size_ok("10b", 10);
	size_ok("1K", 1024);
	size_ok("1.5k", 1536);
	size_ok("200M", 200ULL << 20);
	size_ok("200MB", 200ULL << 20);
	size_ok("200mb", 200ULL << 20);
	size_ok("1.5G", 3ULL << 29);
	size_ok("2gb", 2ULL << 30);
	size_ok("1.0", 1);
	size_ok("9007199254740991", 9007199254740991ULL);
	size_bad("", "not a number");
	size_bad("M", "not a number");
	size_bad("-1", "must not be negative");
	size_bad("-5M", "must not be negative");
	size_bad("12Q", "unknown unit");
	size_bad("12 M", "unknown unit");
	size_bad("1T", "unknown unit");
	size_bad("1.5", "a fraction needs a unit");
	size_bad("9007199254740992", "too large");
	size_bad("99999999999999999999999", "too large");
	size_bad("9000000000G", "too large");
}

static void
test_parse_duration(void **state)
{
	(void)state;
	dur_ok("0", 0);
	dur_ok("250", 250);
	dur_ok("250ms", 250);
	dur_ok("2s", 2000);
	dur_ok("1.5s", 1500);
	dur_ok("0.1s", 100);
	dur_ok("1m", 60000);
	dur_ok("1h", 3600000);
	dur_ok("0.5h", 1800000);
	dur_bad("", "not a number");
	dur_bad("s", "not a number");
	dur_bad("-1", "must not be negative");
	dur_bad("5x", "unknown unit");
	dur_bad("1M", "unknown unit");
	dur_bad("1S", "unknown unit");
	dur_bad("1d", "unknown unit");
	dur_bad("1.5", "a fraction needs a unit");
}

static void
size_fmt(uint64_t v, const char *want)
{
	char	 buf[32];

	assert_string_equal(units_format_size(v, buf, sizeof buf), want);
}

static void
test_format_size(void **state)
{
	(void)state;
	size_fmt(0, "0b");
	size_fmt(812, "812b");
	size_fmt(1023, "1023b");
	size_fmt(1024, "1.0kb");
	size_fmt(12595, "12.3kb");
	size_fmt(58510540, "55.8mb");
	size_fmt(1048575, "1.0mb");
	size_fmt(1288490189, "1.2gb");
	size_fmt(5ULL << 40, "5120.0gb");
}

static void
up_fmt(uint64_t ms, const char *want)
{
	char	 buf[32];

	assert_string_equal(units_format_uptime(ms, buf, sizeof buf), want);
}

static void
test_format_uptime(void **state)
{
	(void)state;
	up_fmt(0, "0s");
	up_fmt(59999, "59s");
	up_fmt(60000, "1m");
	up_fmt(3599999, "59m");
	up_fmt(3600000, "1h");
	up_fmt(86399999, "23h");
	up_fmt(86400000, "1D");
	up_fmt(10ULL * 86400000, "10D");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_parse_duration),
		cmocka_unit_test(test_format_size),
		cmocka_unit_test(test_format_uptime),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
