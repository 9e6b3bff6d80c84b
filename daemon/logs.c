/*
 * logs: the standard output and error of every proc, through pipes that
 * procmand reads, into the log files, rotated by size.
 *
 * As s6-svscan does, each proc gets one pipe per stream at its first
 * start, and the pipe lives as long as the proc: its restarts reuse it,
 * and the daemon keeps the write end open too (close-on-exec), so the
 * pipe never reports EOF and nothing written by a dying run, or by the
 * grandchildren it leaves behind, is lost between runs.
 *
 * Reading is bounded: at most LOGS_CHUNK bytes per stream per loop
 * turn, so a child that floods its stdout gets its share of the loop and
 * no more, while the control socket and the other apps get theirs.  The
 * files are written with blocking writes, so a disk slower than the child
 * slows our reads, the pipe fills and the child blocks in write(2): it is
 * back-pressured, and nothing is ever dropped.
 *
 * Only whole lines are written (one write(2) per chunk of whole lines on
 * an O_APPEND fd), so a log_date_format prefix always starts a line,
 * instances sharing a merge_logs file never interleave mid-line, and a
 * rotation never splits a line.  The bytes after the last newline wait
 * in the stream's buffer until the rest of their line arrives, or until
 * the run ends (then they are written with a newline).  A line longer
 * than LOGS_LINE_MAX is written in pieces of that size.
 *
 * Files are shared by path and counted: the instances of a merge_logs
 * app all write through one struct logfile, so its size, and therefore
 * its rotation, is known exactly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "daemon.h"
#include "log.h"
#include "util.h"
#include "xmalloc.h"

#define LOGS_CHUNK	65536		/* bytes read per stream per turn */
#define LOGS_LINE_MAX	65536		/* longer lines are cut in pieces */
#define LOGS_BUF	(LOGS_CHUNK + LOGS_LINE_MAX)
#define LOGS_TURN_CHUNKS 8		/* chunks per stream per loop turn */
#define LOGS_PIPE_SIZE	(1024 * 1024)	/* asked for; the default is 64 KiB */
#define LOGS_DRAIN_MAX	(64 * LOGS_CHUNK) /* bound a drain: a leftover
					   grandchild may still be writing */

/* One open log file, shared by every stream whose path it is. */
struct logfile {
	char		*path;
	int		 fd;		/* O_APPEND; -1 if it cannot be opened */
	uint64_t	 size;
	int		 refs;
	TAILQ_ENTRY(logfile) entry;
};

/* One stream of one proc: its pipe, its file and its partial line. */
struct logstream {
	struct proc	*proc;		/* borrowed: the proc owns us */
	int		 stream;	/* LOGS_OUT or LOGS_ERR */
	int		 rfd;		/* ours: non-blocking, close-on-exec */
	int		 wfd;		/* the child's fd 1 or 2 */
	ev_io		 read_w;
	struct logfile	*file;
	char		*buf;		/* LOGS_BUF bytes */
	size_t		 len;
	time_t		 prefix_sec;	/* prefix was formatted for this */
	char		 prefix[128];
	size_t		 prefix_len;
};

struct proc_logs {
	struct logstream s[2];
};

static TAILQ_HEAD(, logfile) logfiles = TAILQ_HEAD_INITIALIZER(logfiles);
static ev_signal sigusr2_w;
static char	*scratch;		/* prefixed lines, grown as needed */
static size_t	 scratch_cap;

static const char *const logs_stream_names[] = { "out", "err" };

static void	logs_on_read(struct ev_loop *, ev_io *, int);

const char *
logs_stream_name(int stream)
{
	return logs_stream_names[stream];
}

static int
logs_open_fd(struct logfile *f, char **cause)
{
	struct stat	 sb;

	f->fd = open(f->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0640);
	if (f->fd == -1) {
		*cause = xprintf("cannot open %s: %s", f->path,
		    strerror(errno));
		return -1;
	}
	f->size = fstat(f->fd, &sb) == 0 ? (uint64_t)sb.st_size : 0;
	return 0;
}

/* A reference to the file at path, opened when it is new. */
static struct logfile *
logs_file_get(const char *path, char **cause)
{
	struct logfile	*f;

	TAILQ_FOREACH(f, &logfiles, entry) {
		if (strcmp(f->path, path) == 0) {
			if (f->fd == -1 && logs_open_fd(f, cause) == -1)
				return NULL;
			f->refs++;
			return f;
		}
	}
	f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	if (logs_open_fd(f, cause) == -1) {
		free(f->path);
		free(f);
		return NULL;
	}
	f->refs = 1;
	TAILQ_INSERT_TAIL(&logfiles, f, entry);
	return f;
}

static void
logs_file_put(struct logfile *f)
{
	if (f == NULL || --f->refs > 0)
		return;
	TAILQ_REMOVE(&logfiles, f, entry);
	if (f->fd != -1)
		close(f->fd);
	free(f->path);
	free(f);
}

/*
 * file -> file.1 -> ... -> file.N (N = log_retain; the oldest is
 * replaced by the rename), then a new file.  Called between whole lines.
 */
static void
logs_rotate(struct logfile *f, int retain)
{
	char	*from, *to;
	int	 i;
	char	*cause;

	if (retain <= 0) {
		if (unlink(f->path) == -1 && errno != ENOENT)
			log_warn("cannot remove %s", f->path);
	} else {
		for (i = retain - 1; i >= 1; i--) {
			from = xprintf("%s.%d", f->path, i);
			to = xprintf("%s.%d", f->path, i + 1);
			if (rename(from, to) == -1 && errno != ENOENT)
				log_warn("cannot rename %s", from);
			free(from);
			free(to);
		}
		to = xprintf("%s.1", f->path);
		if (rename(f->path, to) == -1)
			log_warn("cannot rename %s", f->path);
		free(to);
	}
	log_info("rotated %s at %llu bytes (keeping %d)", f->path,
	    (unsigned long long)f->size, retain > 0 ? retain : 0);
	close(f->fd);
	if (logs_open_fd(f, &cause) == -1) {
		log_warnx("%s", cause);
		free(cause);
	}
}

/* Append bytes that end at a line boundary; rotate when past the size. */
static void
logs_file_write(struct logfile *f, const struct app_config *cfg,
    const char *data, size_t len)
{
	if (f->fd == -1 || len == 0)
		return;
	if (util_write_all(f->fd, data, len) == -1) {
		/* ENOSPC and the like: say so, keep reading the pipe. */
		log_warn("cannot write %s", f->path);
		return;
	}
	f->size += len;
	if (cfg->log_max_size > 0 && f->size >= cfg->log_max_size)
		logs_rotate(f, cfg->log_retain);
}

static void *
logs_scratch(size_t need)
{
	if (need > scratch_cap) {
		scratch_cap = need + need / 2;
		scratch = xreallocarray(scratch, 1, scratch_cap);
	}
	return scratch;
}

/* The strftime prefix of lines read now ("<time>: ", as PM2 writes). */
static void
logs_prefix(struct logstream *s, const char *fmt, time_t now)
{
	struct tm	 tm;
	size_t		 n;

	if (s->prefix_len > 0 && s->prefix_sec == now)
		return;
	localtime_r(&now, &tm);
	/* The format is the user's on purpose (log_date_format). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	n = strftime(s->prefix, sizeof s->prefix - 2, fmt, &tm);
#pragma GCC diagnostic pop
	s->prefix[n++] = ':';
	s->prefix[n++] = ' ';
	s->prefix_len = n;
	s->prefix_sec = now;
}

/* Send each line to the clients following this proc's logs. */
static void
logs_publish(struct logstream *s, const char *data, size_t len,
    uint64_t now_ms)
{
	const char	*p = data, *end = data + len, *nl;
	cJSON		*ev;
	char		*line;

	while (p < end) {
		nl = memchr(p, '\n', end - p);
		if (nl == NULL)
			nl = end;
		ev = cJSON_CreateObject();
		cJSON_AddNumberToObject(ev, "v", 1);
		cJSON_AddStringToObject(ev, "type", "log");
		cJSON_AddNumberToObject(ev, "proc", s->proc->id);
		cJSON_AddStringToObject(ev, "name", s->proc->app->name);
		cJSON_AddNumberToObject(ev, "instance", s->proc->instance);
		cJSON_AddStringToObject(ev, "stream",
		    logs_stream_names[s->stream]);
		cJSON_AddNumberToObject(ev, "time", (double)now_ms);
		line = xstrndup(p, nl - p);
		cJSON_AddStringToObject(ev, "line", line);
		free(line);
		control_publish("logs", s->proc, ev);
		p = nl + 1;
	}
}

/*
 * Write out len bytes of whole lines from the front of the buffer (and,
 * with nl, a newline after them: the last line of a run), prefixed when
 * the app asks for it, then drop them from the buffer.
 */
static void
logs_emit(struct logstream *s, size_t len, bool nl)
{
	const struct app_config	*cfg = s->proc->app->config;
	const char		*p, *end, *eol;
	char			*out, *o;
	uint64_t		 now_ms = util_wall_ms();

	if (len == 0 && !nl)
		return;
	end = s->buf + len;
	if (cfg->log_date_format == NULL) {
		if (nl) {
			s->buf[len] = '\n';	/* LOGS_BUF has room */
			end++;
		}
		logs_file_write(s->file, cfg, s->buf, end - s->buf);
	} else {
		logs_prefix(s, cfg->log_date_format, now_ms / 1000);
		/* Room for the worst case, a line per byte: one pass. */
		out = o = logs_scratch((len + 1) * (s->prefix_len + 1));
		for (p = s->buf; p < end; p = eol + 1) {
			if ((eol = memchr(p, '\n', end - p)) == NULL)
				eol = end;	/* the unterminated last one */
			memcpy(o, s->prefix, s->prefix_len);
			o += s->prefix_len;
			memcpy(o, p, eol - p);
			o += eol - p;
			if (eol < end || nl)
				*o++ = '\n';
		}
		logs_file_write(s->file, cfg, out, o - out);
	}
	if (control_subscribed("logs", s->proc))
		logs_publish(s, s->buf, len, now_ms);
	s->len -= len;
	memmove(s->buf, s->buf + len, s->len);
}

/* Write every whole line buffered; with final, the partial one too. */
static void
logs_emit_lines(struct logstream *s, bool final)
{
	char	*last;
	size_t	 whole;

	last = s->len > 0 ? memrchr(s->buf, '\n', s->len) : NULL;
	whole = last != NULL ? (size_t)(last - s->buf) + 1 : 0;
	if (whole > 0)
		logs_emit(s, whole, false);
	if (s->len >= LOGS_LINE_MAX || (final && s->len > 0))
		logs_emit(s, s->len, final);
}

/*
 * Read one chunk.  Returns bytes read, 0 when the pipe is empty.
 *
 * The buffer exists only while a stream has something in flight: a
 * thousand idle apps must not hold 256 KiB each (the daemon's RSS is
 * counted per page touched, and each buffer is its own mapping).  An app
 * that floods keeps its buffer, since every read fills a whole chunk.
 */
static ssize_t
logs_read(struct logstream *s)
{
	ssize_t	 n;
	size_t	 room = LOGS_BUF - 1 - s->len;	/* 1 for a final newline */

	if (room > LOGS_CHUNK)
		room = LOGS_CHUNK;
	if (s->buf == NULL)
		s->buf = xmalloc(LOGS_BUF);
	do
		n = read(s->rfd, s->buf + s->len, room);
	while (n == -1 && errno == EINTR);
	if (n > 0) {
		s->len += n;
		logs_emit_lines(s, false);
	}
	if (s->len == 0 && (n <= 0 || (size_t)n < room)) {
		free(s->buf);
		s->buf = NULL;
	}
	return n > 0 ? n : 0;
}

static void
logs_on_read(struct ev_loop *l, ev_io *w, int revents)
{
	int	 i;

	(void)l;
	(void)revents;
	/*
	 * A stream that fills whole chunks is flooding: take a few more
	 * before going back to the loop, as each trip through epoll costs
	 * about as much as a read.  LOGS_TURN_CHUNKS bounds the turn, so
	 * the other apps and clients still get theirs.
	 */
	for (i = 0; i < LOGS_TURN_CHUNKS; i++)
		if (logs_read(w->data) < LOGS_CHUNK)
			break;
}

static int
logs_stream_open(struct proc *p, struct logstream *s, int stream,
    char **cause)
{
	int	 fds[2];

	s->proc = p;
	s->stream = stream;
	s->buf = NULL;		/* allocated by logs_read when needed */
	if (pipe2(fds, O_CLOEXEC) == -1) {
		*cause = xprintf("pipe: %s", strerror(errno));
		return -1;
	}
	s->rfd = fds[0];
	s->wfd = fds[1];
	if (util_set_nonblock(s->rfd) == -1) {
		*cause = xprintf("pipe: %s", strerror(errno));
		return -1;
	}
	/*
	 * A bigger pipe lets a chatty child run on while we write, instead
	 * of the two taking turns every 64 KiB.  Pages are only used when
	 * filled; past the user's pipe quota this fails, and the default
	 * is fine.
	 */
	(void)fcntl(s->rfd, F_SETPIPE_SZ, LOGS_PIPE_SIZE);
	ev_io_init(&s->read_w, logs_on_read, s->rfd, EV_READ);
	s->read_w.data = s;
	ev_io_start(loop, &s->read_w);
	return 0;
}

/* Point the stream at the file its proc's config names now. */
static int
logs_stream_file(struct logstream *s, char **cause)
{
	struct logfile	*f;
	char		*path;

	path = proc_log_path(s->proc, logs_stream_names[s->stream]);
	if (s->file != NULL && strcmp(s->file->path, path) == 0 &&
	    s->file->fd != -1) {
		free(path);
		return 0;
	}
	f = logs_file_get(path, cause);
	free(path);
	if (f == NULL)
		return -1;
	logs_file_put(s->file);
	s->file = f;
	return 0;
}

/*
 * Before a start: the pipes (made at the first start, kept after) and
 * the files the config names now.  Returns 0 and the write ends for the
 * child's fd 1 and 2 (still ours: do not close them), or -1 and *cause.
 */
int
logs_attach(struct proc *p, int *out_fd, int *err_fd, char **cause)
{
	int	 i;

	if (p->logs == NULL) {
		p->logs = xcalloc(1, sizeof *p->logs);
		for (i = 0; i < 2; i++)
			p->logs->s[i].rfd = p->logs->s[i].wfd = -1;
		for (i = 0; i < 2; i++)
			if (logs_stream_open(p, &p->logs->s[i], i,
			    cause) == -1)
				goto fail;
	}
	for (i = 0; i < 2; i++)
		if (logs_stream_file(&p->logs->s[i], cause) == -1)
			return -1;
	*out_fd = p->logs->s[0].wfd;
	*err_fd = p->logs->s[1].wfd;
	return 0;
fail:
	logs_detach(p);
	return -1;
}

/*
 * The main pid has exited: take everything left in the pipes (bounded:
 * a grandchild may still write), and write the unterminated last line
 * with a newline, so the file holds all the run wrote before its exit is
 * logged or it starts again.
 */
void
logs_drain(struct proc *p)
{
	struct logstream	*s;
	size_t			 total;
	ssize_t			 n;
	int			 i;

	if (p->logs == NULL)
		return;
	for (i = 0; i < 2; i++) {
		s = &p->logs->s[i];
		if (s->rfd == -1)
			continue;
		total = 0;
		while (total < LOGS_DRAIN_MAX && (n = logs_read(s)) > 0)
			total += n;
		logs_emit_lines(s, true);
	}
}

/* The proc is going away: drain, stop the watchers, close, free. */
void
logs_detach(struct proc *p)
{
	struct logstream	*s;
	int			 i;

	if (p->logs == NULL)
		return;
	logs_drain(p);
	for (i = 0; i < 2; i++) {
		s = &p->logs->s[i];
		if (s->rfd != -1) {
			ev_io_stop(loop, &s->read_w);
			close(s->rfd);
		}
		if (s->wfd != -1)
			close(s->wfd);
		logs_file_put(s->file);
		free(s->buf);
	}
	free(p->logs);
	p->logs = NULL;
}

/* The path a stream of the proc writes to now, or NULL (not started). */
const char *
logs_path(const struct proc *p, int stream)
{
	if (p->logs == NULL || p->logs->s[stream].file == NULL)
		return NULL;
	return p->logs->s[stream].file->path;
}

/*
 * Reopen every file by its path (procman reload-logs, SIGUSR2), for an
 * external logrotate that has renamed them.  Returns how many failed.
 */
int
logs_reopen_all(void)
{
	struct logfile	*f;
	char		*cause;
	int		 failed = 0, n = 0;

	TAILQ_FOREACH(f, &logfiles, entry) {
		if (f->fd != -1)
			close(f->fd);
		if (logs_open_fd(f, &cause) == -1) {
			log_warnx("reopening logs: %s", cause);
			free(cause);
			failed++;
		}
		n++;
	}
	log_info("reopened %d log files", n - failed);
	return failed;
}

/*
 * Empty a proc's log files (procman flush).  Truncated through our own
 * fd when it is open: with O_APPEND the next line goes to offset 0.
 * Returns 0, or -1 and *cause.
 */
int
logs_flush(struct proc *p, char **cause)
{
	struct logfile	*f;
	char		*path;
	int		 i, r;

	for (i = 0; i < 2; i++) {
		path = proc_log_path(p, logs_stream_names[i]);
		f = NULL;
		if (p->logs != NULL && p->logs->s[i].file != NULL &&
		    p->logs->s[i].file->fd != -1)
			f = p->logs->s[i].file;
		if (f != NULL) {
			r = ftruncate(f->fd, 0);
			if (r == 0)
				f->size = 0;
		} else if ((r = truncate(path, 0)) == -1 && errno == ENOENT)
			r = 0;		/* never written: empty already */
		if (r == -1) {
			*cause = xprintf("cannot empty %s: %s", path,
			    strerror(errno));
			free(path);
			return -1;
		}
		free(path);
	}
	log_info("%s-%d: log files emptied", p->app->name, p->instance);
	return 0;
}

static void
logs_on_sigusr2(struct ev_loop *l, ev_signal *w, int revents)
{
	(void)l;
	(void)w;
	(void)revents;
	log_info("SIGUSR2: reopening log files");
	logs_reopen_all();
}

/* SIGUSR2 reopens the files, as for reload-logs. */
void
logs_init(void)
{
	ev_signal_init(&sigusr2_w, logs_on_sigusr2, SIGUSR2);
	ev_signal_start(loop, &sigusr2_w);
}

/*
 * procman update (upgrade.c): the pipes outlive procmand's exec, so the
 * apps never see them close.  Save returns both ends of both pipes and
 * the partial line not written yet (hex: it may hold any byte), as
 * {"out":{"r":N,"w":N,"partial":"..."},"err":...}; NULL when the proc
 * has never started.  Restore takes them back in the new image.
 */
cJSON *
logs_upgrade_save(struct proc *p)
{
	static const char	 hex[] = "0123456789abcdef";
	struct logstream	*s;
	cJSON			*o, *so;
	char			*text;
	size_t			 k;
	int			 i;

	if (p->logs == NULL)
		return NULL;
	o = cJSON_CreateObject();
	for (i = 0; i < 2; i++) {
		s = &p->logs->s[i];
		so = cJSON_AddObjectToObject(o, logs_stream_names[i]);
		cJSON_AddNumberToObject(so, "r", s->rfd);
		cJSON_AddNumberToObject(so, "w", s->wfd);
		text = xmalloc(s->len * 2 + 1);
		for (k = 0; k < s->len; k++) {
			text[2 * k] = hex[(unsigned char)s->buf[k] >> 4];
			text[2 * k + 1] = hex[(unsigned char)s->buf[k] & 15];
		}
		text[2 * s->len] = '\0';
		cJSON_AddStringToObject(so, "partial", text);
		free(text);
	}
	return o;
}

/* Close-on-exec off just before the exec, on again if it failed. */
void
logs_upgrade_cloexec(struct proc *p, bool on)
{
	int	 i, j, fd, fl;

	if (p->logs == NULL)
		return;
	for (i = 0; i < 2; i++)
		for (j = 0; j < 2; j++) {
			fd = j == 0 ? p->logs->s[i].rfd : p->logs->s[i].wfd;
			if (fd == -1 || (fl = fcntl(fd, F_GETFD)) == -1)
				continue;
			fcntl(fd, F_SETFD, on ? fl | FD_CLOEXEC :
			    fl & ~FD_CLOEXEC);
		}
}

static int
logs_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

void
logs_upgrade_restore(struct proc *p, const cJSON *o)
{
	struct logstream	*s;
	const cJSON		*so, *v;
	const char		*h;
	char			*cause;
	int			 i, hi, lo;

	if (p->logs != NULL || !cJSON_IsObject(o))
		return;
	p->logs = xcalloc(1, sizeof *p->logs);
	for (i = 0; i < 2; i++) {
		s = &p->logs->s[i];
		s->proc = p;
		s->stream = i;
		s->buf = xmalloc(LOGS_BUF);
		s->rfd = s->wfd = -1;
		so = cJSON_GetObjectItemCaseSensitive(o, logs_stream_names[i]);
		if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(so,
		    "r")) && fcntl((int)v->valuedouble, F_GETFD) != -1)
			s->rfd = (int)v->valuedouble;
		if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(so,
		    "w")) && fcntl((int)v->valuedouble, F_GETFD) != -1)
			s->wfd = (int)v->valuedouble;
		h = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(so,
		    "partial"));
		for (; h != NULL && h[0] != '\0' && h[1] != '\0' &&
		    s->len < LOGS_BUF; h += 2) {
			if ((hi = logs_hexval(h[0])) == -1 ||
			    (lo = logs_hexval(h[1])) == -1)
				break;
			s->buf[s->len++] = (char)(hi << 4 | lo);
		}
		if (s->rfd != -1) {
			util_set_cloexec(s->rfd);
			util_set_nonblock(s->rfd);
			ev_io_init(&s->read_w, logs_on_read, s->rfd, EV_READ);
			s->read_w.data = s;
			ev_io_start(loop, &s->read_w);
		}
		if (s->wfd != -1)
			util_set_cloexec(s->wfd);
		if (logs_stream_file(s, &cause) == -1) {
			log_warnx("%s-%d: %s", p->app->name, p->instance,
			    cause);
			free(cause);
		}
	}
}
