/*
 * monit: the full-screen dashboard, `pm2 monit` made to feel like htop.
 *
 * One connection does everything.  A `monit` request subscribes it to
 * the process table, which the daemon pushes after each sample tick,
 * and to every app's log lines; the actions (restart, stop, start,
 * delete) are requests on the same connection, answered by id between
 * the pushed events, so the screen never waits for a stop to finish.
 * Nothing is polled and /proc is never read here: the daemon measured
 * everything once for all its clients.
 *
 * The screen is redrawn when something changed (a table, log lines, a
 * key, a resize), by ncurses, which sends only the cells that differ.
 *
 * The first connection starts procmand when it is not running, as every
 * other command does.  If it goes away later, the dashboard says so and
 * connects again once it is back, but does not start it: the user may
 * have stopped it on purpose (procman kill), and a dashboard should not
 * bring back what someone else ended.  The next command that needs the
 * daemon starts it, and the dashboard follows.
 *
 * The terminal is restored on every way out: q, Ctrl-C, SIGTERM and
 * SIGHUP end the loop; exit() runs an atexit hook; a fatal signal
 * restores the terminal, then goes on to the handler it replaced.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#define _GNU_SOURCE
#include <sys/stat.h>

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wchar.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "cmd.h"
#include "monit.h"
#include "output.h"
#include "paths.h"
#include "proto.h"
#include "util.h"
#include "xmalloc.h"

#define MONIT_RETRY_MS		1000	/* reconnect attempts */
#define MONIT_STATUS_MS		10000	/* a message stays this long */
#define MONIT_LOG_REDRAW_MS	100	/* log lines alone redraw at most
					   this often */
#define MONIT_SEND_MS		2000
#define MONIT_MAX_PENDING	16
#define MONIT_PAST_LINES	10	/* per log file, at start */
#define MONIT_PAST_BYTES	16384	/* read at most this much of each */
#define MONIT_ESC		27
#define MONIT_CTRL_L		12

static int	cmd_monit_exec(struct cmd_ctx *);

const struct cmd_entry cmd_monit_entry = {
	.name = "monit",
	.shortopts = "",
	.usage = "",
	.doc =
	    "A full-screen dashboard: every process with its status, cpu and\n"
	    "memory (bars against max_memory_restart when set), the selected\n"
	    "one's details with cpu and memory sparklines, and the log lines\n"
	    "of its app (or of all apps) as they are written.  Keys: up/down\n"
	    "or j/k select, PgUp/PgDn, r restart, s stop, S start, d delete,\n"
	    "l logs of the app or all, / filter by name, F6 or </> sort by\n"
	    "id, cpu, memory or restarts, ? help, q or Ctrl-C quit.\n"
	    "Needs a terminal; NO_COLOR turns colour off.",
	.flags = CMD_NEEDS_DAEMON,
	.exec = cmd_monit_exec,
};

/* An action sent and not yet answered. */
struct monit_pending {
	long		 id;		/* 0: free */
	const char	*done;		/* "restarted" */
	const char	*verb;		/* "restart" */
	char		 label[96];	/* "api-1 (id 3)" */
};

enum monit_mode {
	MONIT_NORMAL,
	MONIT_HELP,
	MONIT_CONFIRM,		/* delete? y/n */
	MONIT_FILTER,		/* typing a filter */
};

struct monit {
	SCREEN			*screen;
	struct client		*client;
	bool			 connected;
	long			 daemon_pid;
	long			 monit_id;	/* subscription in flight */
	long			 refresh_id;	/* a table asked for */
	long			 logs_id;	/* the log files, once */
	bool			 seeded;	/* past lines asked for */
	uint64_t		 retry_at;	/* mono ms */
	uint64_t		 last_event;	/* mono ms */
	struct monit_model	 model;
	struct monit_theme	 theme;
	struct monit_pending	 pending[MONIT_MAX_PENDING];
	char			 status[256];
	bool			 status_error;
	uint64_t		 status_at;	/* mono ms; 0: none */
	enum monit_mode		 mode;
	int			 confirm_id;
	char			 confirm_label[96];
	char			 prompt[160];
	size_t			 page;		/* list height */
	bool			 dirty;		/* draw now */
	bool			 soft;		/* draw soon: log lines */
	uint64_t		 drawn_at;
	bool			 quit;
	int			 exit_status;
};

/*
 * What the signal handlers need, and only that: they cannot be given a
 * context pointer.
 */
static volatile sig_atomic_t	 monit_signal;
static volatile sig_atomic_t	 monit_curses_on;
static const int		 monit_fatal[] = {
	SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT
};
static struct sigaction		 monit_fatal_old[sizeof monit_fatal /
				    sizeof monit_fatal[0]];

/* --- the terminal and signals ----------------------------------------- */

static void
monit_end_curses(void)
{
	if (monit_curses_on) {
		monit_curses_on = 0;
		endwin();
	}
}

static void
monit_on_signal(int sig)
{
	monit_signal = sig;
}

/*
 * A crash: give the user their terminal back, then let the handler we
 * replaced (the default, or a sanitizer's) do what it does.
 */
static void
monit_on_fatal(int sig)
{
	size_t	 i;

	monit_end_curses();
	for (i = 0; i < sizeof monit_fatal / sizeof monit_fatal[0]; i++)
		if (monit_fatal[i] == sig)
			sigaction(sig, &monit_fatal_old[i], NULL);
	raise(sig);
}

/*
 * Installed before ncurses starts, which then leaves SIGINT and SIGTERM
 * to us (it installs its own only over the default).  They stay blocked
 * except inside ppoll(), so a signal always wakes the loop.
 */
static void
monit_signals(sigset_t *waitmask)
{
	struct sigaction	 sa;
	sigset_t		 block;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = monit_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = monit_on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (i = 0; i < sizeof monit_fatal / sizeof monit_fatal[0]; i++)
		sigaction(monit_fatal[i], &sa, &monit_fatal_old[i]);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGHUP);
	sigdelset(waitmask, SIGWINCH);
	atexit(monit_end_curses);
}

static int
monit_start_curses(struct monit *mo)
{
	const char	*term = getenv("TERM");

	if ((mo->screen = newterm(NULL, stdout, stdin)) == NULL) {
		output_error("monit: cannot use the terminal type \"%s\"",
		    term != NULL ? term : "");
		return (-1);
	}
	monit_curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	monit_theme_init(&mo->theme);
	return (0);
}

/* --- status line ------------------------------------------------------ */

static void __attribute__((format(printf, 3, 4)))
monit_status(struct monit *mo, bool error, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(mo->status, sizeof mo->status, fmt, ap);
	va_end(ap);
	mo->status_error = error;
	mo->status_at = util_mono_ms();
	mo->dirty = true;
}

/* --- the connection ------------------------------------------------- */

static void
monit_disconnect(struct monit *mo, const char *why)
{
	client_close(mo->client);
	mo->connected = false;
	mo->monit_id = 0;
	mo->refresh_id = 0;
	mo->logs_id = 0;
	memset(mo->pending, 0, sizeof mo->pending);
	mo->retry_at = util_mono_ms() + MONIT_RETRY_MS;
	monit_status(mo, true, "lost procmand (%s); reconnecting when it is "
	    "back", why);
}

/* Send one request line; small, so a short bounded wait will do. */
static int
monit_send(struct monit *mo, cJSON *req)
{
	struct pollfd	 pfd;
	char		*line;
	size_t		 len, off = 0;
	ssize_t		 n;
	int		 r = 0;

	line = proto_encode(req, &len);
	while (off < len) {
		n = send(mo->client->fd, line + off, len - off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			pfd.fd = mo->client->fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, MONIT_SEND_MS) > 0)
				continue;
		}
		r = -1;
		break;
	}
	free(line);
	if (r == -1)
		monit_disconnect(mo, "cannot send to it");
	return (r);
}

static void
monit_subscribe(struct monit *mo)
{
	cJSON	*req;

	req = client_request(mo->client, "monit");
	mo->monit_id = (long)cJSON_GetObjectItemCaseSensitive(req,
	    "id")->valuedouble;
	mo->last_event = util_mono_ms();
	monit_send(mo, req);
	cJSON_Delete(req);
}

/*
 * The table now, not at the next tick: after an action, the screen and
 * the checks of s and S must see the state the action left.
 */
static void
monit_refresh(struct monit *mo)
{
	cJSON	*req;

	if (!mo->connected || mo->refresh_id != 0)
		return;
	req = client_request(mo->client, "monit");
	cJSON_AddFalseToObject(req, "subscribe");
	mo->refresh_id = (long)cJSON_GetObjectItemCaseSensitive(req,
	    "id")->valuedouble;
	monit_send(mo, req);
	cJSON_Delete(req);
}

/* Connected: learn the daemon's pid, then subscribe. */
static void
monit_attach(struct monit *mo)
{
	cJSON		*reply = NULL;
	const cJSON	*pid;
	char		*cause = NULL;

	/* Nothing is pushed before we subscribe: a plain call is safe. */
	if (client_simple(mo->client, "ping", &reply, &cause) != 0) {
		monit_status(mo, true, "%s", cause);
		free(cause);
		cJSON_Delete(reply);
		client_close(mo->client);
		mo->retry_at = util_mono_ms() + MONIT_RETRY_MS;
		return;
	}
	pid = cJSON_GetObjectItemCaseSensitive(reply, "pid");
	mo->daemon_pid = cJSON_IsNumber(pid) ? (long)pid->valuedouble : 0;
	cJSON_Delete(reply);
	mo->connected = true;
	mo->dirty = true;
	if (mo->status_error)
		monit_status(mo, false, "connected to procmand (pid %ld)",
		    mo->daemon_pid);
	monit_subscribe(mo);
}

/* Try again to reach the daemon; never starts it (see the top). */
static void
monit_reconnect(struct monit *mo)
{
	char	*cause = NULL;
	int	 r;

	mo->retry_at = util_mono_ms() + MONIT_RETRY_MS;
	if ((r = client_connect(mo->client, false, &cause)) != 0) {
		if (r == -1)
			monit_status(mo, true, "%s", cause);
		free(cause);
		return;
	}
	monit_attach(mo);
}

/*
 * The log pane starts with the last lines of each file, so that an app
 * that crashed before the dashboard opened shows why.  Their order
 * across files is unknown (a file has no times unless the app sets
 * log_date_format): they come file by file, dimmed, before the lines the
 * daemon pushes.
 */
static void
monit_ask_files(struct monit *mo)
{
	cJSON	*req;

	mo->seeded = true;
	req = client_request(mo->client, "logs");
	cJSON_AddStringToObject(req, "target", "all");
	mo->logs_id = (long)cJSON_GetObjectItemCaseSensitive(req,
	    "id")->valuedouble;
	monit_send(mo, req);
	cJSON_Delete(req);
}

/* Up to want last lines of a file, appended to *v; how many. */
static size_t
monit_tail(const char *path, size_t want, char ***v, size_t *n)
{
	struct stat	 sb;
	char		*buf, *p, *end, *nl;
	size_t		 got = 0, first = *n, i;
	off_t		 off;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (0);
	if (fstat(fd, &sb) == -1 || sb.st_size == 0) {
		close(fd);
		return (0);
	}
	off = sb.st_size > MONIT_PAST_BYTES ? sb.st_size - MONIT_PAST_BYTES : 0;
	buf = xmalloc(MONIT_PAST_BYTES + 1);
	while ((r = pread(fd, buf, (size_t)(sb.st_size - off), off)) == -1 &&
	    errno == EINTR)
		;
	close(fd);
	if (r <= 0) {
		free(buf);
		return (0);
	}
	end = buf + r;
	p = buf;
	if (off > 0 && (p = memchr(buf, '\n', (size_t)r)) != NULL)
		p++;		/* a cut line */
	for (; p != NULL && p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = xstrndup(p, (size_t)(nl - p));
		got++;
	}
	free(buf);
	/* Keep only the last want. */
	if (got > want) {
		for (i = 0; i < got - want; i++)
			free((*v)[first + i]);
		memmove(*v + first, *v + first + (got - want),
		    want * sizeof **v);
		*n = first + want;
		got = want;
	}
	return (got);
}

static void
monit_past(struct monit *mo, const cJSON *files)
{
	struct monit_log	*past = NULL;
	const cJSON		*f, *name, *inst, *stream, *path;
	char			**lines = NULL;
	size_t			 n = 0, nlines, i, k;

	cJSON_ArrayForEach(f, files) {
		name = cJSON_GetObjectItemCaseSensitive(f, "name");
		inst = cJSON_GetObjectItemCaseSensitive(f, "instance");
		stream = cJSON_GetObjectItemCaseSensitive(f, "stream");
		path = cJSON_GetObjectItemCaseSensitive(f, "path");
		if (!cJSON_IsString(name) || !cJSON_IsString(path) ||
		    !cJSON_IsString(stream) || n >= MONIT_LOG_LINES / 2)
			continue;
		nlines = 0;
		k = monit_tail(path->valuestring, MONIT_PAST_LINES, &lines,
		    &nlines);
		past = xreallocarray(past, n + k + 1, sizeof *past);
		for (i = 0; i < k; i++, n++) {
			memset(&past[n], 0, sizeof past[n]);
			past[n].proc = -1;
			past[n].name = xstrdup(name->valuestring);
			past[n].instance = cJSON_IsNumber(inst) ?
			    (int)inst->valuedouble : -1;
			past[n].err = strcmp(stream->valuestring, "err") == 0;
			past[n].line = lines[i];
		}
		free(lines);
		lines = NULL;
	}
	if (n > 0)
		monit_model_add_past(&mo->model, past, n);
	free(past);
	mo->dirty = true;
}

/* The reply to a monit request: a whole table, with history. */
static void
monit_on_table(struct monit *mo, const cJSON *obj, bool ok, const char *why)
{
	const cJSON	*procs, *iv;

	if (!ok) {
		monit_status(mo, true, "procmand refused the dashboard: %s",
		    why);
		return;
	}
	iv = cJSON_GetObjectItemCaseSensitive(obj, "interval_ms");
	if (cJSON_IsNumber(iv) && iv->valuedouble >= 1)
		mo->model.interval_ms = (uint64_t)iv->valuedouble;
	procs = cJSON_GetObjectItemCaseSensitive(obj, "procs");
	if (cJSON_IsArray(procs))
		monit_model_update(&mo->model, procs, true);
	mo->dirty = true;
	if (!mo->seeded)
		monit_ask_files(mo);
}

/* The answer to an action: say how it went, then show its outcome. */
static void
monit_on_action(struct monit *mo, struct monit_pending *p, bool ok,
    const char *why)
{
	if (ok)
		monit_status(mo, false, "%s %s", p->label, p->done);
	else
		monit_status(mo, true, "cannot %s %s: %s", p->verb, p->label,
		    why);
	p->id = 0;
	monit_refresh(mo);
}

static void
monit_on_reply(struct monit *mo, const cJSON *obj, long id)
{
	const cJSON	*err;
	const char	*why;
	bool		 ok;
	size_t		 i;

	ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, "ok"));
	err = cJSON_GetObjectItemCaseSensitive(obj, "error");
	why = cJSON_IsString(err) ? err->valuestring : "procmand said no";
	if (id != 0 && (id == mo->monit_id || id == mo->refresh_id)) {
		if (id == mo->refresh_id)
			mo->refresh_id = 0;
		else
			mo->monit_id = 0;
		monit_on_table(mo, obj, ok, why);
		return;
	}
	if (id != 0 && id == mo->logs_id) {
		mo->logs_id = 0;
		if (ok)
			monit_past(mo, cJSON_GetObjectItemCaseSensitive(obj,
			    "files"));
		return;
	}
	for (i = 0; i < MONIT_MAX_PENDING; i++) {
		if (id != 0 && mo->pending[i].id == id) {
			monit_on_action(mo, &mo->pending[i], ok, why);
			return;
		}
	}
	if (!ok)	/* id 0: a line the daemon could not read */
		monit_status(mo, true, "procmand: %s", why);
}

static void
monit_on_line(struct monit *mo, const char *line)
{
	cJSON		*obj;
	const cJSON	*id, *type, *procs, *count;
	const char	*reason;

	if ((obj = proto_parse(line, strlen(line), &reason)) == NULL) {
		monit_status(mo, true, "bad line from procmand: %s", reason);
		return;
	}
	id = cJSON_GetObjectItemCaseSensitive(obj, "id");
	type = cJSON_GetObjectItemCaseSensitive(obj, "type");
	if (cJSON_IsNumber(id))
		monit_on_reply(mo, obj, (long)id->valuedouble);
	else if (cJSON_IsString(type) && strcmp(type->valuestring,
	    "procs") == 0) {
		procs = cJSON_GetObjectItemCaseSensitive(obj, "procs");
		if (cJSON_IsArray(procs))
			monit_model_update(&mo->model, procs, false);
		mo->last_event = util_mono_ms();
		mo->dirty = true;
	} else if (cJSON_IsString(type) && strcmp(type->valuestring,
	    "log") == 0) {
		monit_model_add_log(&mo->model, obj);
		mo->soft = true;
	} else if (cJSON_IsString(type) && strcmp(type->valuestring,
	    "dropped") == 0) {
		count = cJSON_GetObjectItemCaseSensitive(obj, "count");
		monit_status(mo, true, "missed %.0f events: the screen could "
		    "not keep up", cJSON_IsNumber(count) ? count->valuedouble :
		    0);
	}
	cJSON_Delete(obj);
}

/* Take in whatever the daemon sent. */
static void
monit_read(struct monit *mo)
{
	char	*line;
	ssize_t	 n;
	int	 r;

	n = proto_buf_fill(&mo->client->in, mo->client->fd);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		monit_disconnect(mo, n == 0 ? "it closed the connection" :
		    strerror(errno));
		return;
	}
	while ((r = proto_buf_line(&mo->client->in, &line)) == 1) {
		monit_on_line(mo, line);
		free(line);
		if (!mo->connected)
			return;
	}
	if (r == -1)
		monit_disconnect(mo, "a line too long");
}

/* --- actions -------------------------------------------------------- */

static void
monit_send_action(struct monit *mo, const char *type, const char *verb,
    const char *done, const struct monit_row *r)
{
	struct monit_pending	*p;
	cJSON			*req;
	char			 target[16];
	size_t			 i, slot = 0;

	if (!mo->connected) {
		monit_status(mo, true, "cannot %s: not connected to procmand",
		    verb);
		return;
	}
	snprintf(target, sizeof target, "%d", r->id);
	req = client_request(mo->client, type);
	cJSON_AddStringToObject(req, "target", target);
	/* A free slot, else the oldest: its answer will just go unsaid. */
	for (i = 0; i < MONIT_MAX_PENDING; i++) {
		if (mo->pending[i].id == 0) {
			slot = i;
			break;
		}
		if (mo->pending[i].id < mo->pending[slot].id)
			slot = i;
	}
	p = &mo->pending[slot];
	p->id = (long)cJSON_GetObjectItemCaseSensitive(req, "id")->valuedouble;
	p->verb = verb;
	p->done = done;
	snprintf(p->label, sizeof p->label, "%s-%d (id %d)", r->name,
	    r->instance, r->id);
	monit_status(mo, false, "%s %s...", verb, p->label);
	if (monit_send(mo, req) == -1)
		p->id = 0;
	cJSON_Delete(req);
}

static void
monit_action(struct monit *mo, int key)
{
	const struct monit_row	*r = monit_model_selected(&mo->model);

	if (r == NULL) {
		monit_status(mo, true, "no process selected");
		return;
	}
	switch (key) {
	case 'r':
		monit_send_action(mo, "restart", "restart", "restarted", r);
		break;
	case 's':
		if (!monit_row_running(r))
			monit_status(mo, false, "%s-%d is already %s", r->name,
			    r->instance, r->status);
		else
			monit_send_action(mo, "stop", "stop", "stopped", r);
		break;
	case 'S':
		/* A restart of a stopped proc starts it. */
		if (monit_row_running(r))
			monit_status(mo, false, "%s-%d is already %s", r->name,
			    r->instance, r->status);
		else
			monit_send_action(mo, "restart", "start", "started",
			    r);
		break;
	case 'd':
		mo->mode = MONIT_CONFIRM;
		mo->confirm_id = r->id;
		snprintf(mo->confirm_label, sizeof mo->confirm_label,
		    "%s-%d (id %d)", r->name, r->instance, r->id);
		snprintf(mo->prompt, sizeof mo->prompt, "delete %s? y/n ",
		    mo->confirm_label);
		mo->dirty = true;
		break;
	}
}

/* y deletes the proc asked about (if it still exists), anything else
   does not. */
static void
monit_confirm(struct monit *mo, int key)
{
	struct monit_row	*r = NULL;
	size_t			 i;

	mo->mode = MONIT_NORMAL;
	mo->dirty = true;
	if (key != 'y' && key != 'Y') {
		monit_status(mo, false, "delete %s cancelled",
		    mo->confirm_label);
		return;
	}
	for (i = 0; i < mo->model.nrows; i++)
		if (mo->model.rows[i]->id == mo->confirm_id)
			r = mo->model.rows[i];
	if (r == NULL) {
		monit_status(mo, true, "%s is already gone",
		    mo->confirm_label);
		return;
	}
	monit_send_action(mo, "delete", "delete", "deleted", r);
}

/* --- keys ------------------------------------------------------------- */

static void
monit_filter_prompt(struct monit *mo)
{
	snprintf(mo->prompt, sizeof mo->prompt, "filter: %s",
	    mo->model.filter);
}

/* Typing a filter: the list follows every key. */
static void
monit_filter_key(struct monit *mo, wint_t wc, bool code)
{
	char		*f = mo->model.filter, mb[MB_LEN_MAX];
	size_t		 len = strlen(f), n;
	mbstate_t	 st;

	if ((!code && (wc == L'\r' || wc == L'\n')) ||
	    (code && wc == KEY_ENTER)) {
		mo->mode = MONIT_NORMAL;
	} else if (!code && wc == MONIT_ESC) {
		f[0] = '\0';
		mo->mode = MONIT_NORMAL;
	} else if ((code && wc == KEY_BACKSPACE) ||
	    (!code && (wc == 127 || wc == 8))) {
		/* Drop the last character, however many bytes it has. */
		while (len > 0 && ((unsigned char)f[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0)
			len--;
		f[len] = '\0';
	} else if (!code && wc >= 0x20) {
		memset(&st, 0, sizeof st);
		n = wcrtomb(mb, (wchar_t)wc, &st);
		if (n != (size_t)-1 && len + n < MONIT_FILTER_MAX) {
			memcpy(f + len, mb, n);
			f[len + n] = '\0';
		}
	}
	monit_model_refresh(&mo->model);
	monit_filter_prompt(mo);
	mo->dirty = true;
}

static void
monit_sort_by(struct monit *mo, int step)
{
	mo->model.sort = (enum monit_sort)(((int)mo->model.sort + step +
	    MONIT_SORT_COUNT) % MONIT_SORT_COUNT);
	monit_model_refresh(&mo->model);
	monit_status(mo, false, "sorted by %s",
	    monit_sort_name(mo->model.sort));
}

/* A key of the function-key kind (KEY_*), in the list. */
static void
monit_code_key(struct monit *mo, wint_t key)
{
	long	 page = mo->page > 1 ? (long)mo->page - 1 : 1;

	switch (key) {
	case KEY_UP:
		monit_model_move(&mo->model, -1);
		break;
	case KEY_DOWN:
		monit_model_move(&mo->model, 1);
		break;
	case KEY_PPAGE:
		monit_model_move(&mo->model, -page);
		break;
	case KEY_NPAGE:
		monit_model_move(&mo->model, page);
		break;
	case KEY_HOME:
		monit_model_move(&mo->model, -(long)mo->model.nview);
		break;
	case KEY_END:
		monit_model_move(&mo->model, (long)mo->model.nview);
		break;
	case KEY_F(6):
		monit_sort_by(mo, 1);
		break;
	case KEY_F(1):
		mo->mode = MONIT_HELP;
		break;
	case KEY_F(10):
		mo->quit = true;
		break;
	}
}

static void
monit_char_key(struct monit *mo, wint_t key)
{
	switch (key) {
	case 'k':
		monit_model_move(&mo->model, -1);
		break;
	case 'j':
		monit_model_move(&mo->model, 1);
		break;
	case 'g':
		monit_model_move(&mo->model, -(long)mo->model.nview);
		break;
	case 'G':
		monit_model_move(&mo->model, (long)mo->model.nview);
		break;
	case 'r':
	case 's':
	case 'S':
	case 'd':
		monit_action(mo, (int)key);
		break;
	case 'l':
		mo->model.log_all = !mo->model.log_all;
		break;
	case '/':
		mo->mode = MONIT_FILTER;
		monit_filter_prompt(mo);
		break;
	case '?':
	case 'h':
		mo->mode = MONIT_HELP;
		break;
	case '>':
		monit_sort_by(mo, 1);
		break;
	case '<':
		monit_sort_by(mo, -1);
		break;
	case MONIT_ESC:
		mo->model.filter[0] = '\0';
		monit_model_refresh(&mo->model);
		mo->status_at = 0;
		break;
	case MONIT_CTRL_L:
		clearok(curscr, TRUE);
		break;
	case 'q':
	case 'Q':
		mo->quit = true;
		break;
	}
}

static void
monit_key(struct monit *mo, wint_t wc, bool code)
{
	mo->dirty = true;
	if (code && wc == KEY_RESIZE)
		return;		/* just draw again, at the new size */
	switch (mo->mode) {
	case MONIT_HELP:
		mo->mode = MONIT_NORMAL;
		return;
	case MONIT_CONFIRM:
		monit_confirm(mo, code ? 0 : (int)wc);
		return;
	case MONIT_FILTER:
		monit_filter_key(mo, wc, code);
		return;
	case MONIT_NORMAL:
		break;
	}
	if (code)
		monit_code_key(mo, wc);
	else
		monit_char_key(mo, wc);
}

static void
monit_keys(struct monit *mo)
{
	wint_t	 wc;
	int	 r;

	while ((r = get_wch(&wc)) != ERR && !mo->quit)
		monit_key(mo, wc, r == KEY_CODE_YES);
}

/* --- the loop --------------------------------------------------------- */

static void
monit_draw_now(struct monit *mo)
{
	struct monit_screen	 sc;
	bool			 status;

	status = mo->status_at != 0 &&
	    util_mono_ms() - mo->status_at < MONIT_STATUS_MS;
	memset(&sc, 0, sizeof sc);
	sc.model = &mo->model;
	sc.theme = &mo->theme;
	sc.connected = mo->connected;
	sc.daemon_pid = mo->daemon_pid;
	sc.status = status ? mo->status : NULL;
	sc.status_error = mo->status_error;
	sc.prompt = mo->mode == MONIT_CONFIRM || mo->mode == MONIT_FILTER ?
	    mo->prompt : NULL;
	sc.help = mo->mode == MONIT_HELP;
	mo->page = monit_draw(&sc);
	mo->dirty = mo->soft = false;
	mo->drawn_at = util_mono_ms();
}

/* How long ppoll may sleep: until a reconnect, a soft redraw, or a
   status message expires. */
static int
monit_timeout(const struct monit *mo)
{
	uint64_t	 now = util_mono_ms();
	int64_t		 t = 1000;

	if (!mo->connected)
		t = (int64_t)mo->retry_at - (int64_t)now;
	if (mo->soft) {
		int64_t	 s = (int64_t)(mo->drawn_at + MONIT_LOG_REDRAW_MS) -
		    (int64_t)now;
		if (s < t)
			t = s;
	}
	return (t < 0 ? 0 : (int)t);
}

static void
monit_tick(struct monit *mo)
{
	uint64_t	 now = util_mono_ms();
	uint64_t	 quiet = 5 * mo->model.interval_ms;

	if (!mo->connected && now >= mo->retry_at)
		monit_reconnect(mo);
	/* A daemon that replaced itself (procman update) may have kept the
	   connection but not the subscription: ask again. */
	if (mo->connected && mo->monit_id == 0 && now - mo->last_event >
	    (quiet > 5000 ? quiet : 5000))
		monit_subscribe(mo);
	if (mo->status_at != 0 && now - mo->status_at >= MONIT_STATUS_MS) {
		mo->status_at = 0;
		mo->dirty = true;
	}
	if (mo->soft && now - mo->drawn_at >= MONIT_LOG_REDRAW_MS)
		mo->dirty = true;
}

static void
monit_run(struct monit *mo, const sigset_t *waitmask)
{
	struct pollfd	 pfd[2];
	struct timespec	 ts;
	int		 n, t;

	while (!mo->quit) {
		monit_tick(mo);
		if (mo->dirty)
			monit_draw_now(mo);
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = mo->connected ? mo->client->fd : -1;
		pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		t = monit_timeout(mo);
		ts.tv_sec = t / 1000;
		ts.tv_nsec = (long)(t % 1000) * 1000000L;
		n = ppoll(pfd, 2, &ts, waitmask);
		if (monit_signal != 0) {
			if (monit_signal != SIGINT)
				mo->exit_status = 128 + monit_signal;
			mo->quit = true;
			break;
		}
		if (n == -1 && errno != EINTR) {
			monit_status(mo, true, "poll: %s", strerror(errno));
			continue;
		}
		if (pfd[1].revents != 0 && mo->connected)
			monit_read(mo);
		/* Also after EINTR: SIGWINCH makes get_wch say KEY_RESIZE. */
		monit_keys(mo);
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			mo->exit_status = CMD_FAILED;
			mo->quit = true;
		}
	}
}

static int
cmd_monit_exec(struct cmd_ctx *ctx)
{
	struct monit	 mo;
	sigset_t	 waitmask;

	if (ctx->args->argc != 0)
		return (cmd_usage_error(ctx->entry,
		    "unexpected argument \"%s\"", ctx->args->argv[0]));
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		output_error("monit needs a terminal: standard %s is not one",
		    !isatty(STDOUT_FILENO) ? "output" : "input");
		return (CMD_FAILED);
	}
	/* Starts procmand if need be; errors still go to a plain stderr. */
	if (cmd_connect(ctx) != 0)
		return (CMD_FAILED);

	memset(&mo, 0, sizeof mo);
	mo.client = ctx->client;
	monit_model_init(&mo.model);
	setlocale(LC_ALL, "");
	monit_signals(&waitmask);
	if (monit_start_curses(&mo) == -1) {
		monit_model_free(&mo.model);
		return (CMD_FAILED);
	}
	monit_attach(&mo);
	mo.dirty = true;
	monit_run(&mo, &waitmask);
	monit_end_curses();
	delscreen(mo.screen);
	monit_model_free(&mo.model);
	return (mo.exit_status);
}
