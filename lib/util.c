/*
 * util: clocks, shell-like word splitting and fd helpers shared by the
 * daemon and the CLI.  Nothing here prints or keeps state.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "xmalloc.h"

static uint64_t
util_clock_ms(clockid_t id)
{
	struct timespec	 ts;

	/* Only fails for a bad clock id, which would be our bug. */
	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t
util_mono_ms(void)
{
	return util_clock_ms(CLOCK_MONOTONIC);
}

uint64_t
util_wall_ms(void)
{
	return util_clock_ms(CLOCK_REALTIME);
}

/* A growing word: the splitter appends one byte at a time. */
struct util_word {
	char	*buf;
	size_t	 len;
	size_t	 size;
};

static void
util_word_add(struct util_word *w, char c)
{
	if (w->len + 1 >= w->size) {
		w->size = w->size == 0 ? 32 : w->size * 2;
		w->buf = xreallocarray(w->buf, w->size, 1);
	}
	w->buf[w->len++] = c;
	w->buf[w->len] = '\0';
}

static void
util_argv_add(char ***argv, size_t *n, struct util_word *w)
{
	*argv = xreallocarray(*argv, *n + 2, sizeof **argv);
	/* An empty quoted word ('' or "") has no buffer but is a word. */
	(*argv)[(*n)++] = w->buf != NULL ? w->buf : xstrdup("");
	(*argv)[*n] = NULL;
	memset(w, 0, sizeof *w);
}

/*
 * Scan one word starting at *sp (not at a blank).  Returns 0 and advances
 * *sp past the word, or -1 and a static reason.
 */
static int
util_split_one(const char **sp, struct util_word *w, const char **reason)
{
	const char	*s = *sp;

	while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\n') {
		if (*s == '\\') {
			if (s[1] == '\0') {
				*reason = "trailing backslash";
				return -1;
			}
			/* sh drops a backslash-newline entirely. */
			if (s[1] != '\n')
				util_word_add(w, s[1]);
			s += 2;
		} else if (*s == '\'') {
			for (s++; *s != '\'' && *s != '\0'; s++)
				util_word_add(w, *s);
			if (*s == '\0') {
				*reason = "unterminated quote";
				return -1;
			}
			s++;
		} else if (*s == '"') {
			for (s++; *s != '"' && *s != '\0'; s++) {
				if (*s == '\\' && s[1] != '\0' &&
				    strchr("\"\\$`", s[1]) != NULL)
					s++;
				util_word_add(w, *s);
			}
			if (*s == '\0') {
				*reason = "unterminated quote";
				return -1;
			}
			s++;
		} else
			util_word_add(w, *s++);
	}
	*sp = s;
	return 0;
}

char **
util_split_words(const char *s, size_t *n, const char **reason)
{
	char			**argv;
	struct util_word	  w;

	memset(&w, 0, sizeof w);
	*n = 0;
	argv = xcalloc(1, sizeof *argv);
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (*s == '\0')
			break;
		if (util_split_one(&s, &w, reason) != 0)
			goto fail;
		util_argv_add(&argv, n, &w);
	}
	return argv;

fail:
	free(w.buf);
	util_argv_free(argv);
	*n = 0;
	return NULL;
}

void
util_argv_free(char **argv)
{
	size_t	 i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

bool
util_parse_ll(const char *s, long long *out)
{
	long long	 v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (LLONG_MAX - (*s - '0')) / 10)
			return false;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return true;
}

int
util_set_nonblock(int fd)
{
	int	 flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1)
		return -1;
	if (flags & O_NONBLOCK)
		return 0;
	return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

int
util_set_cloexec(int fd)
{
	int	 flags;

	if ((flags = fcntl(fd, F_GETFD)) == -1)
		return -1;
	if (flags & FD_CLOEXEC)
		return 0;
	return fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

int
util_write_all(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Replace path with buf so that a reader (or a crash at any moment) sees
 * either the old file or the whole new one: write a temporary file next
 * to it, fsync it, rename it over path, then fsync the directory so the
 * rename itself is durable.  Returns 0, or -1 with errno (the temporary
 * file is removed).
 */
int
util_write_file_atomic(const char *path, const void *buf, size_t len,
    int mode)
{
	char	*tmp, *dir, *slash;
	int	 fd, dfd, saved;

	tmp = xprintf("%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd == -1)
		goto fail;
	if (util_write_all(fd, buf, len) == -1 || fsync(fd) == -1) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		goto fail;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		goto fail;
	}
	free(tmp);
	/* Best effort: the data is in place whether or not this works. */
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) !=
		    -1) {
			(void)fsync(dfd);
			close(dfd);
		}
	}
	free(dir);
	return 0;

fail:
	free(tmp);
	return -1;
}
