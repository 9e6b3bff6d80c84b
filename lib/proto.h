/*
 * proto: the control protocol between procman and procmand.
 *
 * Newline-delimited JSON over the Unix socket $PROCMAN_HOME/procman.sock,
 * one object per line in each direction.  cJSON escapes control
 * characters, so a printed object never holds a raw newline.
 *
 * Request:  {"v":1,"id":N,"type":"<type>", ...fields}
 * Reply:    {"v":1,"id":N,"ok":true, ...fields}
 *       or  {"v":1,"id":N,"ok":false,"error":"one line for the user"}
 *
 * A line longer than PROTO_MAX_LINE, one that is not a JSON object, one
 * without a numeric "v" equal to PROTO_VERSION or without a string "type"
 * gets an error reply (id 0 when it had none) and the connection is
 * closed.  An unknown type gets an error reply and the connection stays.
 *
 * Bump PROTO_VERSION when a field changes meaning or a type is removed;
 * adding a field or a type does not need a bump.  A removed type name is
 * never reused.
 *
 * Types (request fields -> reply fields):
 *
 *   ping      -> pid, version, home
 *   start     apps: [app config objects, see eco_config_to_json]
 *             -> started: [names], already: [names]  (apps whose every
 *             instance was already running are left alone).  Replies once
 *             every started instance has exec'd; an app whose exec failed
 *             makes ok false with error "app \"x\": exec failed: ...".
 *   stop      target: "name" | "id" | "all", or names: ["a","b"]
 *             -> procs: [ids].  Replies once each is stopped.
 *   restart   target / names as stop -> procs: [ids].  Replies once each
 *             is online again (or has failed to start).
 *   delete    target / names as stop -> procs: [ids].  Replies once each
 *             is stopped and forgotten.
 *   list      -> procs: [proc objects, the jlist fields of the contract]
 *   describe  target -> procs: [proc objects with every detail: config,
 *             last exit, restart reasons, env]
 *   scale     name, instances: N -> procs: [ids started or stopped]
 *   optimize  apply: bool (false: only plan), window_ms: N (60000),
 *             cpu_threshold: % of one core (50)
 *             -> apply, window_ms, cpu_threshold, interval_ms,
 *             actions: [{kind: "duplicate-app" | "dead-leftover" |
 *             "collapse-instances", app, keep (the copy kept), whole_app,
 *             ids, pids, instances (of the procs removed), instances_after,
 *             processes, memory (RSS freed, bytes), reason, status:
 *             "planned" | "applied"}], skipped: [{app, reason}],
 *             suggestions: [{app, kind: "max_memory_restart" |
 *             "instances" | "ecosystem", value, text}], table: {before,
 *             after: {processes, entries, memory}, saved: {processes,
 *             memory, percent}}.  With apply and actions, the reply also
 *             has settling: true, and a second reply with the same id,
 *             procs: [ids removed], follows once every one of them is
 *             gone.
 *   kill      -> {} then the daemon stops every app and exits.
 *   logs      target / names as stop -> files: [{name, instance (null
 *             for a merge_logs file), stream: "out"|"err", path,
 *             procs: [ids writing it]}], one entry per distinct file.
 *   logs-follow  target / names as stop -> procs: [ids]; from then on
 *             the connection also gets "log" events (below) for the
 *             target ("all", an app name or a proc id: an app's or all
 *             apps' instances started later are included).
 *   flush     target / names as stop -> procs: [ids]; their log files
 *             are truncated.
 *   reload-logs  -> {}; every log file is closed and reopened by name.
 *   monit     -> interval_ms, procs: [list objects plus processes (the
 *             tree's process count), last_restart_reason (or null),
 *             last_restart_at (unix ms, 0 none), spawn_error (or null)
 *             and history: {interval_ms, cpu: [%|null], memory:
 *             [bytes]}, oldest first]; from then on the connection gets
 *             "procs" events once per sample tick and "log" events for
 *             every app.  With subscribe: false, only the reply.
 *
 * Events: lines the daemon pushes to a connection that subscribed,
 * between replies, without "id" or "ok" (a client matching replies by
 * id must skip them):
 *
 *   {"v":1,"type":"log","proc":ID,"name":"api","instance":0,
 *    "stream":"out"|"err","time":unix_ms,"line":"text, no newline"}
 *   {"v":1,"type":"dropped","topic":"logs","count":N}  the client read
 *             too slowly and missed N events (its queue is capped; the
 *             log files never miss anything).
 *   {"v":1,"type":"procs","interval_ms":N,"procs":[...]}  the monit
 *             table after each sample tick: the objects of the monit
 *             reply without history (the client appends each tick's cpu
 *             and memory to its own copy).
 *
 * Targets: "all"; a string of digits is a proc id; anything else an app
 * name.  Errors: "app \"x\" not found", "no process with id 7".
 */
#ifndef PROCMAN_PROTO_H
#define PROCMAN_PROTO_H

#include <stddef.h>
#include <sys/types.h>

struct cJSON;

#define PROTO_VERSION	1
#define PROTO_MAX_LINE	(1024 * 1024)	/* bytes, without the newline */

/*
 * A growable input buffer that splits a byte stream into lines.  Embed it
 * in its owner; proto_buf_free() releases the storage.
 */
struct proto_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 proto_buf_init(struct proto_buf *);
void	 proto_buf_free(struct proto_buf *);

/*
 * Read what is available from a non-blocking fd into the buffer.
 * Returns bytes read (> 0), 0 at EOF, -1 with errno (EAGAIN included).
 */
ssize_t	 proto_buf_fill(struct proto_buf *, int fd);

/*
 * Take the next complete line out of the buffer.  Returns 1 and a new
 * NUL-terminated string in *line (caller frees; the newline is removed),
 * 0 when no complete line is buffered yet, or -1 when the pending line is
 * already longer than PROTO_MAX_LINE (the caller should give up on the
 * peer).
 */
int	 proto_buf_line(struct proto_buf *, char **line);

/*
 * Parse one line into a JSON object.  Returns a new tree (cJSON_Delete),
 * or NULL and a static reason.
 */
struct cJSON *proto_parse(const char *line, size_t len, const char **reason);

/*
 * Serialise an object as one line with its trailing newline.  Returns a
 * new string (free()) and its length in *len.
 */
char	*proto_encode(const struct cJSON *, size_t *len);

/* Build a request / a reply skeleton: {"v":1,"id":id,...}.  Caller owns. */
struct cJSON *proto_request(const char *type, long id);
struct cJSON *proto_reply_ok(long id);
struct cJSON *proto_reply_error(long id, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
