/*
 * test-proto: line framing and message parsing (lib/proto.c).
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "proto.h"

static void
feed(int fd, const void *buf, size_t len)
{
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
}

static void
test_lines_split_across_reads(void **state)
{
	struct proto_buf	 b;
	int			 fds[2];
	char			*line;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	proto_buf_init(&b);
	feed(fds[1], "{\"a\":1}\n{\"b\"", 12);
	assert_true(proto_buf_fill(&b, fds[0]) > 0);
	assert_int_equal(proto_buf_line(&b, &line), 1);
	assert_string_equal(line, "{\"a\":1}");
	free(line);
	assert_int_equal(proto_buf_line(&b, &line), 0);
	feed(fds[1], ":2}\n", 4);
	assert_true(proto_buf_fill(&b, fds[0]) > 0);
	assert_int_equal(proto_buf_line(&b, &line), 1);
	assert_string_equal(line, "{\"b\":2}");
	free(line);
	close(fds[1]);
	assert_int_equal(proto_buf_fill(&b, fds[0]), 0);
	close(fds[0]);
	proto_buf_free(&b);
}

static void
test_oversized_line_is_refused(void **state)
{
	struct proto_buf	 b;
	char			*line;

	(void)state;
	proto_buf_init(&b);
	b.cap = PROTO_MAX_LINE + 2;
	b.data = malloc(b.cap);
	memset(b.data, 'x', PROTO_MAX_LINE + 1);
	b.len = PROTO_MAX_LINE + 1;
	/* No newline yet, but already past the limit: give up now. */
	assert_int_equal(proto_buf_line(&b, &line), -1);
	b.data[PROTO_MAX_LINE] = '\n';
	b.len = PROTO_MAX_LINE + 1;
	assert_int_equal(proto_buf_line(&b, &line), 1);
	free(line);
	proto_buf_free(&b);
}

static void
test_parse_rejects_non_objects(void **state)
{
	const char	*reason;
	cJSON		*obj;

	(void)state;
	assert_null(proto_parse("[1,2]", 5, &reason));
	assert_string_equal(reason, "message is not a JSON object");
	assert_null(proto_parse("{\"a\":", 5, &reason));
	assert_string_equal(reason, "message is not valid JSON");
	assert_null(proto_parse("{} {}", 5, &reason));
	assert_string_equal(reason, "message has data after the JSON object");
	assert_null(proto_parse("{\"a\":\"\0\"}", 9, &reason));
	obj = proto_parse("{\"v\":1} ", 8, &reason);
	assert_non_null(obj);
	cJSON_Delete(obj);
}

static void
test_encode_is_one_line(void **state)
{
	cJSON	*obj;
	char	*line;
	size_t	 len;

	(void)state;
	obj = proto_reply_error(7, "bad \"%s\"\nsecond", "x");
	line = proto_encode(obj, &len);
	assert_int_equal(len, strlen(line));
	assert_int_equal(line[len - 1], '\n');
	assert_null(memchr(line, '\n', len - 1));
	assert_non_null(strstr(line, "\"id\":7"));
	assert_non_null(strstr(line, "\"ok\":false"));
	free(line);
	cJSON_Delete(obj);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_split_across_reads),
		cmocka_unit_test(test_oversized_line_is_refused),
		cmocka_unit_test(test_parse_rejects_non_objects),
		cmocka_unit_test(test_encode_is_one_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
