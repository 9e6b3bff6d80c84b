/*
 * test-util: the clocks, shell-like word splitting, integer parsing and
 * fd helpers of lib/util.c.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* Split s and compare with the expected words (NULL-terminated). */
static void
check_split(const char *s, ...)
{
	va_list		 ap;
	char		**argv;
	const char	*want, *reason = NULL;
	size_t		 n, i = 0;

	argv = util_split_words(s, &n, &reason);
	assert_non_null(argv);
	va_start(ap, s);
	while ((want = va_arg(ap, const char *)) != NULL) {
		assert_true(i < n);
		assert_string_equal(argv[i], want);
		i++;
	}
	va_end(ap);
	assert_int_equal(n, i);
	assert_null(argv[n]);
	util_argv_free(argv);
}

static void
check_split_fails(const char *s, const char *why)
{
	const char	*reason = NULL;
	size_t		 n = 99;

	assert_null(util_split_words(s, &n, &reason));
	assert_non_null(reason);
	assert_string_equal(reason, why);
	assert_int_equal(n, 0);
}

static void
test_split_plain(void **state)
{
	(void)state;
	check_split("", NULL);
	check_split("   \t ", NULL);
	check_split("a", "a", NULL);
	check_split("  --port   8080\t-v ", "--port", "8080", "-v", NULL);
	check_split("a\nb", "a", "b", NULL);
}

static void
test_split_quotes(void **state)
{
	(void)state;
	check_split("'a b' c", "a b", "c", NULL);
	check_split("'a \"b\" \\n'", "a \"b\" \\n", NULL);
	check_split("\"a 'b' c\"", "a 'b' c", NULL);
	check_split("\"\\\"q\\\" \\\\ \\$x \\`y\\` \\n\"",
	    "\"q\" \\ $x `y` \\n", NULL);
	check_split("'' \"\" x", "", "", "x", NULL);
	check_split("a'b'\"c\"d", "abcd", NULL);
	check_split("--title='my app'", "--title=my app", NULL);
}

static void
test_split_escapes(void **state)
{
	(void)state;
	check_split("a\\ b c", "a b", "c", NULL);
	check_split("\\'x\\'", "'x'", NULL);
	check_split("a\\\nb", "ab", NULL);
	check_split("\\\\", "\\", NULL);
}

static void
test_split_errors(void **state)
{
	(void)state;
	check_split_fails("'abc", "unterminated quote");
	check_split_fails("a \"b c", "unterminated quote");
	check_split_fails("\"a\\\"", "unterminated quote");
	check_split_fails("abc\\", "trailing backslash");
}

static void
test_parse_ll(void **state)
{
	long long	 v = -1;

	(void)state;
	assert_true(util_parse_ll("0", &v));
	assert_int_equal(v, 0);
	assert_true(util_parse_ll("9223372036854775807", &v));
	assert_true(v == 9223372036854775807LL);
	assert_false(util_parse_ll("9223372036854775808", &v));
	assert_false(util_parse_ll("", &v));
	assert_false(util_parse_ll("-1", &v));
	assert_false(util_parse_ll("+1", &v));
	assert_false(util_parse_ll(" 1", &v));
	assert_false(util_parse_ll("1x", &v));
}

static void
test_clocks(void **state)
{
	uint64_t	 a, b;

	(void)state;
	a = util_mono_ms();
	usleep(20 * 1000);
	b = util_mono_ms();
	assert_true(b >= a + 15);
	/* After 2020-01-01 and before 2100. */
	assert_true(util_wall_ms() > 1577836800000ULL);
	assert_true(util_wall_ms() < 4102444800000ULL);
}

static void
test_fd_helpers(void **state)
{
	int	 p[2];
	char	 buf[16];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(util_set_nonblock(p[0]), 0);
	assert_true(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	assert_int_equal(util_set_cloexec(p[1]), 0);
	assert_true(fcntl(p[1], F_GETFD) & FD_CLOEXEC);
	assert_int_equal(util_write_all(p[1], "hello", 5), 0);
	assert_int_equal(read(p[0], buf, sizeof buf), 5);
	assert_memory_equal(buf, "hello", 5);
	/* Nothing left: non-blocking read fails instead of hanging. */
	assert_int_equal(read(p[0], buf, sizeof buf), -1);
	close(p[0]);
	close(p[1]);
	assert_int_equal(util_set_nonblock(p[0]), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_plain),
		cmocka_unit_test(test_split_quotes),
		cmocka_unit_test(test_split_escapes),
		cmocka_unit_test(test_split_errors),
		cmocka_unit_test(test_parse_ll),
		cmocka_unit_test(test_clocks),
		cmocka_unit_test(test_fd_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
