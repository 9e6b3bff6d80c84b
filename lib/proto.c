/*
 * proto: newline-delimited JSON framing for the control socket.
 *
 * The size limit is enforced here, before cJSON ever sees the bytes: a
 * peer that sends a megabyte without a newline is cut off instead of
 * growing our buffer without bound.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "proto.h"
#include "xmalloc.h"

#define PROTO_READ_CHUNK	65536

void
proto_buf_init(struct proto_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
proto_buf_free(struct proto_buf *b)
{
	free(b->data);
	proto_buf_init(b);
}

ssize_t
proto_buf_fill(struct proto_buf *b, int fd)
{
	ssize_t	 n;

	if (b->cap - b->len < PROTO_READ_CHUNK) {
		b->cap = b->len + PROTO_READ_CHUNK;
		b->data = xreallocarray(b->data, 1, b->cap);
	}
	do
		n = read(fd, b->data + b->len, b->cap - b->len);
	while (n == -1 && errno == EINTR);
	if (n > 0)
		b->len += n;
	return n;
}

int
proto_buf_line(struct proto_buf *b, char **line)
{
	char	*nl;
	size_t	 n;

	*line = NULL;
	nl = b->len == 0 ? NULL : memchr(b->data, '\n', b->len);
	if (nl == NULL)
		return b->len > PROTO_MAX_LINE ? -1 : 0;
	n = nl - b->data;
	if (n > PROTO_MAX_LINE)
		return -1;
	*line = xstrndup(b->data, n);
	b->len -= n + 1;
	memmove(b->data, nl + 1, b->len);
	/* Give back what one large message grew the buffer to. */
	if (b->len == 0 && b->cap > 4 * PROTO_READ_CHUNK) {
		free(b->data);
		proto_buf_init(b);
	}
	return 1;
}

struct cJSON *
proto_parse(const char *line, size_t len, const char **reason)
{
	cJSON		*obj;
	const char	*end = NULL;

	if (memchr(line, '\0', len) != NULL) {
		*reason = "message contains a NUL byte";
		return NULL;
	}
	obj = cJSON_ParseWithLengthOpts(line, len, &end, 0);
	if (obj == NULL) {
		*reason = "message is not valid JSON";
		return NULL;
	}
	while (end != NULL && end < line + len &&
	    (*end == ' ' || *end == '\t' || *end == '\r'))
		end++;
	if (end != NULL && end < line + len) {
		cJSON_Delete(obj);
		*reason = "message has data after the JSON object";
		return NULL;
	}
	if (!cJSON_IsObject(obj)) {
		cJSON_Delete(obj);
		*reason = "message is not a JSON object";
		return NULL;
	}
	return obj;
}

char *
proto_encode(const struct cJSON *obj, size_t *len)
{
	char	*text, *line;
	size_t	 n;

	if ((text = cJSON_PrintUnformatted(obj)) == NULL) {
		static const char oom[] = "procman: out of memory\n";
		ssize_t unused = write(2, oom, sizeof oom - 1);
		(void)unused;
		_exit(1);
	}
	n = strlen(text);
	line = xmalloc(n + 2);
	memcpy(line, text, n);
	line[n] = '\n';
	line[n + 1] = '\0';
	cJSON_free(text);
	*len = n + 1;
	return line;
}

static struct cJSON *
proto_skeleton(long id)
{
	cJSON	*obj;

	obj = cJSON_CreateObject();
	cJSON_AddNumberToObject(obj, "v", PROTO_VERSION);
	cJSON_AddNumberToObject(obj, "id", id);
	return obj;
}

struct cJSON *
proto_request(const char *type, long id)
{
	cJSON	*obj;

	obj = proto_skeleton(id);
	cJSON_AddStringToObject(obj, "type", type);
	return obj;
}

struct cJSON *
proto_reply_ok(long id)
{
	cJSON	*obj;

	obj = proto_skeleton(id);
	cJSON_AddTrueToObject(obj, "ok");
	return obj;
}

struct cJSON *
proto_reply_error(long id, const char *fmt, ...)
{
	cJSON	*obj;
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvprintf(fmt, ap);
	va_end(ap);
	obj = proto_skeleton(id);
	cJSON_AddFalseToObject(obj, "ok");
	cJSON_AddStringToObject(obj, "error", msg);
	free(msg);
	return obj;
}
