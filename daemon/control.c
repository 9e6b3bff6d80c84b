/*
 * control: the control socket.  Accepts clients, checks that they are our
 * uid (or root), splits their bytes into requests, queues replies, and
 * keeps the replies that must wait for procs to settle (stop, restart,
 * delete) until they have.
 *
 * Nothing here blocks: a client that stops reading only grows its own
 * output queue, and a client that sends garbage is answered and dropped
 * while every other client and app carries on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "daemon.h"
#include "log.h"
#include "proto.h"
#include "util.h"
#include "xmalloc.h"

#define CONTROL_MAX_CONNS	512
#define CONTROL_ACCEPT_PAUSE	1.0	/* s, after EMFILE */
/* A subscriber whose queue is this long misses events until it reads. */
#define CONTROL_MAX_QUEUE	(16 * 1024 * 1024)

struct wait {
	long		 id;		/* the request's id */
	enum wait_kind	 kind;
	int		*ids;		/* procs */
	size_t		 n;
	LIST_ENTRY(wait) entry;
};

/* Pushed events a client asked for: a topic, for one app or proc or all. */
struct sub {
	char		*topic;
	char		*app;		/* NULL: every app */
	int		 proc_id;	/* -1: every proc */
	LIST_ENTRY(sub)	 entry;
};

struct conn {
	int		 fd;
	ev_io		 read_w;
	ev_io		 write_w;
	struct proto_buf in;
	char		*out;		/* queued reply bytes */
	size_t		 outlen;
	size_t		 outoff;
	bool		 closing;	/* close once out is flushed */
	bool		 dead;		/* free at the end of the callback */
	LIST_HEAD(, wait) waits;
	LIST_HEAD(, sub) subs;
	uint64_t	 dropped;	/* events it was too slow for */
	TAILQ_ENTRY(conn) entry;
};

static TAILQ_HEAD(, conn) conns = TAILQ_HEAD_INITIALIZER(conns);
static size_t	nconns;
static int	listen_fd = -1;
static ev_io	accept_w;
static ev_timer	accept_pause_w;

static void	control_on_read(struct ev_loop *, ev_io *, int);
static void	control_on_write(struct ev_loop *, ev_io *, int);

static void
control_free(struct conn *c)
{
	struct wait	*w;
	struct sub	*s;

	while ((w = LIST_FIRST(&c->waits)) != NULL) {
		LIST_REMOVE(w, entry);
		free(w->ids);
		free(w);
	}
	while ((s = LIST_FIRST(&c->subs)) != NULL) {
		LIST_REMOVE(s, entry);
		free(s->topic);
		free(s->app);
		free(s);
	}
	ev_io_stop(loop, &c->read_w);
	ev_io_stop(loop, &c->write_w);
	close(c->fd);
	proto_buf_free(&c->in);
	free(c->out);
	TAILQ_REMOVE(&conns, c, entry);
	nconns--;
	free(c);
}

/* Write what we can; arm the write watcher only while bytes remain. */
static void
control_flush(struct conn *c)
{
	ssize_t	 n;

	while (c->outoff < c->outlen) {
		n = write(c->fd, c->out + c->outoff, c->outlen - c->outoff);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n <= 0) {
			c->dead = true;
			return;
		}
		c->outoff += n;
	}
	if (c->outoff == c->outlen) {
		free(c->out);
		c->out = NULL;
		c->outlen = c->outoff = 0;
		ev_io_stop(loop, &c->write_w);
		if (c->closing)
			c->dead = true;
	} else
		ev_io_start(loop, &c->write_w);
}

/* Queue an encoded line; we take it. */
static void
control_queue(struct conn *c, char *line, size_t len)
{
	if (c->out == NULL) {
		c->out = line;
		c->outlen = len;
		c->outoff = 0;
	} else {
		c->out = xreallocarray(c->out, 1, c->outlen + len);
		memcpy(c->out + c->outlen, line, len);
		c->outlen += len;
		free(line);
	}
	control_flush(c);
}

/* Queue a reply and delete it (we take the tree). */
void
control_reply(struct conn *c, struct cJSON *reply)
{
	char	*line;
	size_t	 len;

	line = proto_encode(reply, &len);
	cJSON_Delete(reply);
	control_queue(c, line, len);
}

/* Queue a reply already encoded as one line with its newline; we take
   it.  For replies too large to build as a cJSON tree cheaply. */
void
control_reply_line(struct conn *c, char *line, size_t len)
{
	control_queue(c, line, len);
}

/* Answer, then drop the client: it broke the protocol. */
static void
control_reject(struct conn *c, long id, const char *why)
{
	control_reply(c, proto_reply_error(id, "%s", why));
	c->closing = true;
	ev_io_stop(loop, &c->read_w);
	if (c->outlen == 0)
		c->dead = true;
}

static void
control_handle_line(struct conn *c, const char *line, size_t len)
{
	cJSON		*req, *v, *id, *type;
	const char	*reason;
	long		 rid = 0;

	if ((req = proto_parse(line, len, &reason)) == NULL) {
		control_reject(c, 0, reason);
		return;
	}
	id = cJSON_GetObjectItemCaseSensitive(req, "id");
	if (cJSON_IsNumber(id))
		rid = (long)id->valuedouble;
	v = cJSON_GetObjectItemCaseSensitive(req, "v");
	type = cJSON_GetObjectItemCaseSensitive(req, "type");
	if (!cJSON_IsNumber(v))
		control_reject(c, rid, "message has no protocol version "
		    "\"v\"");
	else if (v->valuedouble != PROTO_VERSION) {
		char *msg = xprintf("protocol %g but daemon speaks %d; run "
		    "procman kill", v->valuedouble, PROTO_VERSION);
		control_reject(c, rid, msg);
		free(msg);
	} else if (!cJSON_IsString(type))
		control_reject(c, rid, "message has no \"type\"");
	else
		dispatch(c, req);
	cJSON_Delete(req);
}

static void
control_on_read(struct ev_loop *l, ev_io *w, int revents)
{
	struct conn	*c = w->data;
	ssize_t		 n;
	char		*line;
	int		 r;

	(void)l;
	(void)revents;
	n = proto_buf_fill(&c->in, c->fd);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		c->dead = true;
		goto out;
	}
	while (!c->closing && (r = proto_buf_line(&c->in, &line)) != 0) {
		if (r == -1) {
			control_reject(c, 0, "message too long (limit 1 MiB)");
			break;
		}
		control_handle_line(c, line, strlen(line));
		free(line);
	}
out:
	if (c->dead)
		control_free(c);
}

static void
control_on_write(struct ev_loop *l, ev_io *w, int revents)
{
	struct conn	*c = w->data;

	(void)l;
	(void)revents;
	control_flush(c);
	if (c->dead)
		control_free(c);
}

static bool
control_peer_allowed(int fd)
{
	struct ucred	 cred;
	socklen_t	 len = sizeof cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1)
		return false;
	return cred.uid == getuid() || cred.uid == 0;
}

static void
control_on_accept_pause(struct ev_loop *l, ev_timer *w, int revents)
{
	(void)w;
	(void)revents;
	ev_io_start(l, &accept_w);
}

static void
control_on_accept(struct ev_loop *l, ev_io *w, int revents)
{
	struct conn	*c;
	int		 fd;

	(void)w;
	(void)revents;
	if ((fd = accept4(listen_fd, NULL, NULL,
	    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
		if (errno == EMFILE || errno == ENFILE) {
			/* Out of fds: pause, or the loop spins on us. */
			log_warn("accept");
			ev_io_stop(l, &accept_w);
			ev_timer_start(l, &accept_pause_w);
		}
		return;
	}
	if (!control_peer_allowed(fd)) {
		log_warnx("refused a client of another user");
		close(fd);
		return;
	}
	if (nconns >= CONTROL_MAX_CONNS) {
		log_warnx("refused a client: %d connections open",
		    CONTROL_MAX_CONNS);
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	proto_buf_init(&c->in);
	LIST_INIT(&c->waits);
	LIST_INIT(&c->subs);
	ev_io_init(&c->read_w, control_on_read, fd, EV_READ);
	ev_io_init(&c->write_w, control_on_write, fd, EV_WRITE);
	c->read_w.data = c->write_w.data = c;
	ev_io_start(l, &c->read_w);
	TAILQ_INSERT_TAIL(&conns, c, entry);
	nconns++;
}

void
control_init(int fd)
{
	listen_fd = fd;
	ev_io_init(&accept_w, control_on_accept, fd, EV_READ);
	ev_io_start(loop, &accept_w);
	ev_timer_init(&accept_pause_w, control_on_accept_pause,
	    CONTROL_ACCEPT_PAUSE, 0.);
}

/* For procman update (upgrade.c): the fds that outlive the exec. */
int
control_listen_fd(void)
{
	return listen_fd;
}

int
control_conn_fd(const struct conn *c)
{
	return c->fd;
}

/* Stop listening; clients already connected are answered until exit. */
void
control_close(void)
{
	if (listen_fd == -1)
		return;
	ev_io_stop(loop, &accept_w);
	ev_timer_stop(loop, &accept_pause_w);
	close(listen_fd);
	listen_fd = -1;
}

/* Hold the reply to request id until every proc in ids has settled. */
void
control_wait(struct conn *c, long id, enum wait_kind kind, const int *ids,
    size_t n)
{
	struct wait	*w;

	w = xcalloc(1, sizeof *w);
	w->id = id;
	w->kind = kind;
	w->n = n;
	w->ids = xreallocarray(NULL, n, sizeof *ids);
	memcpy(w->ids, ids, n * sizeof *ids);
	LIST_INSERT_HEAD(&c->waits, w, entry);
	registry_changed();
}

static bool
control_settled(const struct wait *w, size_t i)
{
	struct proc	*p = registry_find_proc(w->ids[i]);

	if (p == NULL)
		return true;
	switch (w->kind) {
	case WAIT_STOPPED:
		return p->status == PROC_STOPPED ||
		    p->status == PROC_ERRORED;
	case WAIT_STARTED:
		return p->status != PROC_STOPPING &&
		    p->status != PROC_LAUNCHING;
	case WAIT_GONE:
		return false;
	}
	return true;
}

static struct cJSON *
control_wait_reply(const struct wait *w)
{
	cJSON		*reply = NULL, *ids;
	struct proc	*p;
	size_t		 i;

	for (i = 0; i < w->n; i++) {
		p = registry_find_proc(w->ids[i]);
		if (w->kind == WAIT_STARTED && p != NULL &&
		    p->spawn_error != NULL) {
			reply = proto_reply_error(w->id, "app \"%s\": %s",
			    p->app->name, p->spawn_error);
			break;
		}
	}
	if (reply == NULL)
		reply = proto_reply_ok(w->id);
	ids = cJSON_AddArrayToObject(reply, "procs");
	for (i = 0; i < w->n; i++)
		cJSON_AddItemToArray(ids, cJSON_CreateNumber(w->ids[i]));
	return reply;
}

/* Called before the loop blocks: answer every wait that has settled. */
void
control_check_waits(void)
{
	struct conn	*c, *next;
	struct wait	*w, *wnext;
	size_t		 i;

	if (!registry_take_changed())
		return;
	for (c = TAILQ_FIRST(&conns); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		for (w = LIST_FIRST(&c->waits); w != NULL; w = wnext) {
			wnext = LIST_NEXT(w, entry);
			for (i = 0; i < w->n; i++)
				if (!control_settled(w, i))
					break;
			if (i < w->n)
				continue;
			LIST_REMOVE(w, entry);
			control_reply(c, control_wait_reply(w));
			free(w->ids);
			free(w);
		}
		if (c->dead)
			control_free(c);
	}
}

/*
 * Push the events of topic to this client from now on: those of one app
 * (app), one proc (proc_id), or all (NULL, -1).  An app subscription
 * also covers instances that start later (scale up).  The client keeps
 * the subscription until it disconnects.
 */
void
control_subscribe(struct conn *c, const char *topic, const char *app,
    int proc_id)
{
	struct sub	*s;

	s = xcalloc(1, sizeof *s);
	s->topic = xstrdup(topic);
	s->app = app != NULL ? xstrdup(app) : NULL;
	s->proc_id = proc_id;
	LIST_INSERT_HEAD(&c->subs, s, entry);
}

static bool
control_sub_matches(const struct conn *c, const char *topic,
    const struct proc *p)
{
	const struct sub	*s;

	if (c->dead || c->closing)
		return false;
	LIST_FOREACH(s, &c->subs, entry) {
		if (strcmp(s->topic, topic) != 0)
			continue;
		if (p == NULL || ((s->app == NULL ||
		    strcmp(s->app, p->app->name) == 0) &&
		    (s->proc_id == -1 || s->proc_id == p->id)))
			return true;
	}
	return false;
}

/* Does any client want the events of topic about p?  (Cheap: ask first
   and build the event only when someone does.) */
bool
control_subscribed(const char *topic, const struct proc *p)
{
	const struct conn	*c;

	TAILQ_FOREACH(c, &conns, entry)
		if (control_sub_matches(c, topic, p))
			return true;
	return false;
}

/*
 * Send an event about p (NULL: about no proc in particular) to every
 * client subscribed to it; we take the tree.  A client too slow to read
 * loses events rather than growing our memory without bound: past
 * CONTROL_MAX_QUEUE queued bytes they are counted, and once it has read
 * enough it is told how many with {"type":"dropped","topic":..,"count":N}.
 */
void
control_publish(const char *topic, const struct proc *p, struct cJSON *ev)
{
	char	*line;
	size_t	 len;

	line = proto_encode(ev, &len);
	cJSON_Delete(ev);
	control_publish_line(topic, p, line, len);
}

/* As control_publish, for an event already encoded as one line with its
   newline (monit.c writes its table as text); we take line. */
void
control_publish_line(const char *topic, const struct proc *p, char *line,
    size_t len)
{
	struct conn	*c;
	cJSON		*note;
	char		*copy;
	size_t		 nlen;

	TAILQ_FOREACH(c, &conns, entry) {
		if (!control_sub_matches(c, topic, p))
			continue;
		if (c->outlen - c->outoff + len > CONTROL_MAX_QUEUE) {
			c->dropped++;
			continue;
		}
		if (c->dropped > 0) {
			note = cJSON_CreateObject();
			cJSON_AddNumberToObject(note, "v", PROTO_VERSION);
			cJSON_AddStringToObject(note, "type", "dropped");
			cJSON_AddStringToObject(note, "topic", topic);
			cJSON_AddNumberToObject(note, "count",
			    (double)c->dropped);
			copy = proto_encode(note, &nlen);
			cJSON_Delete(note);
			c->dropped = 0;
			control_queue(c, copy, nlen);
		}
		copy = xmalloc(len);
		memcpy(copy, line, len);
		/* A write error marks it dead; its read callback frees it
		   (we may be inside another callback of that very conn). */
		control_queue(c, copy, len);
	}
	free(line);
}
