/*
 * monit: the daemon's side of `procman monit`.
 *
 * A `monit` request subscribes its connection to two topics: "monit",
 * the process table pushed once per sample tick (sample.c calls
 * monit_publish() at the end of each pass, so every push carries fresh
 * figures and the dashboard needs no timer of its own), and "logs", every
 * app's lines as logs.c publishes them.  The reply is the first table,
 * with each proc's sample history so that the sparklines are full at
 * once; the pushes after it carry only the newest sample, which the
 * client appends to its own copy.
 *
 * The table is written as text, like the `list` reply (procjson.c): with
 * a thousand procs, building and printing a cJSON tree every second would
 * cost the daemon more than the pass over /proc that measured them.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "daemon.h"
#include "proto.h"
#include "xmalloc.h"

/* The list object of p plus what the dashboard shows about it. */
static void
monit_append_proc(struct jbuf *b, const struct proc *p, bool history)
{
	cJSON	*h;
	char	*s;

	procjson_list_append(b, p);
	b->len--;		/* reopen the object: drop its '}' */
	jbuf_addf(b, ",\"processes\":%d,\"last_restart_reason\":",
	    p->tree_size);
	if (p->last_reason != NULL)
		jbuf_add_string(b, p->last_reason);
	else
		jbuf_add(b, "null", 4);
	jbuf_addf(b, ",\"last_restart_at\":%llu,\"spawn_error\":",
	    (unsigned long long)(p->last_reason != NULL ?
	    p->last_reason_at : 0));
	if (p->spawn_error != NULL)
		jbuf_add_string(b, p->spawn_error);
	else
		jbuf_add(b, "null", 4);
	if (history) {
		h = sample_history_json(p);
		s = cJSON_PrintUnformatted(h);
		cJSON_Delete(h);
		jbuf_add(b, ",\"history\":", 11);
		jbuf_add(b, s, strlen(s));
		cJSON_free(s);
	}
	jbuf_add(b, "}", 1);
}

/* "procs":[...] for every proc, in registry order. */
static void
monit_append_table(struct jbuf *b, bool history)
{
	struct app	*app;
	size_t		 i, j;
	bool		 first = true;

	jbuf_addf(b, ",\"interval_ms\":%llu,\"procs\":[",
	    (unsigned long long)sample_interval_ms());
	for (i = 0; i < registry_napps(); i++) {
		app = registry_app_at(i);
		for (j = 0; j < app->nprocs; j++) {
			if (!first)
				jbuf_add(b, ",", 1);
			first = false;
			monit_append_proc(b, app->procs[j], history);
		}
	}
	jbuf_add(b, "]}\n", 3);
}

/*
 * {"type":"monit"} -> interval_ms, procs (with history); then, on the
 * same connection until it closes, {"type":"procs"} and {"type":"log"}
 * events.  With "subscribe":false, only the table: the dashboard asks
 * for one after an action, so that the screen shows its outcome without
 * waiting for the next tick.
 */
void
dispatch_monit(struct conn *c, const cJSON *req, long id)
{
	struct jbuf	 b = { NULL, 0, 0 };
	const cJSON	*sub;

	sub = cJSON_GetObjectItemCaseSensitive(req, "subscribe");
	if (!cJSON_IsFalse(sub)) {
		control_subscribe(c, "monit", NULL, -1);
		control_subscribe(c, "logs", NULL, -1);
	}
	jbuf_addf(&b, "{\"v\":%d,\"id\":%ld,\"ok\":true", PROTO_VERSION, id);
	monit_append_table(&b, true);
	control_reply_line(c, b.s, b.len);
}

/* Push this tick's table to every dashboard; nothing when none runs. */
void
monit_publish(void)
{
	struct jbuf	 b = { NULL, 0, 0 };

	if (!control_subscribed("monit", NULL))
		return;
	jbuf_addf(&b, "{\"v\":%d,\"type\":\"procs\"", PROTO_VERSION);
	monit_append_table(&b, false);
	control_publish_line("monit", NULL, b.s, b.len);
}
