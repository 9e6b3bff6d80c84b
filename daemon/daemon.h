/*
 * procmand: shared declarations, grouped by the file that defines them.
 */
#ifndef PROCMAN_DAEMON_H
#define PROCMAN_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <ev.h>

#include "ecosystem.h"

struct cJSON;

enum proc_status {
	PROC_LAUNCHING,
	PROC_ONLINE,
	PROC_STOPPING,
	PROC_STOPPED,
	PROC_WAITING_RESTART,
	PROC_ERRORED,
};

/* What a stopping proc does once its whole tree is gone. */
enum proc_after {
	AFTER_STOP,		/* stay stopped */
	AFTER_RESTART,		/* start again at once (a manual restart) */
	AFTER_DELETE,		/* forget it */
	AFTER_POLICY,		/* it exited by itself: ask restart.c */
};

struct app;

/* One running (or stoppable) instance of an app. */
struct proc {
	int		 id;		/* unique in the daemon */
	struct app	*app;		/* borrowed: the app owns us */
	int		 instance;	/* 0..N-1 */
	pid_t		 pid;		/* 0 when not running */
	enum proc_status status;
	enum proc_after	 after;		/* while PROC_STOPPING */
	int		 restarts;
	int		 unstable_restarts;
	int		 backoff_step;
	uint64_t	 created_at;	/* unix ms */
	uint64_t	 started_mono;	/* ms, monotonic; for uptime */
	uint64_t	 started_wall;	/* unix ms */
	uint64_t	 stop_mono;	/* when the stop began */
	int		 exit_code;	/* last run; -1 none */
	int		 exit_signal;	/* last run; 0 none */
	char		*last_reason;	/* last restart or stop reason */
	uint64_t	 last_reason_at;
	char		*spawn_error;	/* why the last start failed, or NULL */
	ev_child	 child_w;
	ev_timer	 restart_w;	/* PROC_WAITING_RESTART */
	ev_timer	 kill_w;	/* kill_timeout while stopping */
	ev_timer	 linger_w;	/* polls for leftover descendants */
	uint64_t	 policy_uptime;	/* AFTER_POLICY: how long it ran */

	/* sample.c: the last sample of the proc's whole tree. */
	double		 cpu;		/* % of one core; NAN: not yet */
	uint64_t	 memory;	/* RSS bytes */
	int		 tree_size;	/* processes in the tree */
	unsigned long long main_start;	/* starttime of pid when sampled */
	struct sample_ring *history;	/* NULL until the first sample */

	/* logs.c: the stdout/stderr pipes and files; NULL until started. */
	struct proc_logs *logs;
};

struct app {
	char			*name;		/* == config->name */
	struct app_config	*config;	/* owned */
	ev_periodic		 cron_w;	/* cron_restart, if any */
	struct proc	       **procs;		/* owned, by instance */
	size_t			 nprocs;
	uint64_t		 created_at;
};

/* procmand.c */
extern struct ev_loop *loop;
void	 daemon_shutdown(const char *why);
bool	 daemon_shutting_down(void);

/* registry.c: every app and proc; the only mutable global state. */
struct app *registry_app_add(struct app_config *);	/* takes config */
void	 registry_app_remove(struct app *);
struct app *registry_find_app(const char *name);
struct proc *registry_find_proc(int id);
struct proc *registry_find_pid(pid_t);
struct proc *registry_proc_new(struct app *, int instance);
void	 registry_proc_remove(struct proc *);
size_t	 registry_napps(void);
struct app *registry_app_at(size_t);
size_t	 registry_nprocs(void);
void	 registry_changed(void);
bool	 registry_take_changed(void);

/* app.c: the proc state machine. */
char	*proc_log_path(const struct proc *, const char *stream);
int	 proc_start(struct proc *, char **cause);
void	 proc_stop(struct proc *, enum proc_after, const char *reason);
void	 proc_restart(struct proc *, const char *reason);
void	 proc_free(struct proc *);
const char *proc_status_name(enum proc_status);
bool	 proc_running(const struct proc *);

/* spawn.c */
struct spawn_req {
	const char	 *path;		/* absolute */
	char *const	 *argv;
	char *const	 *envp;
	const char	 *cwd;
	int		  out_fd;
	int		  err_fd;
};
void	 spawn_init(void);
pid_t	 spawn_child(const struct spawn_req *, char **cause);

/* restart.c: the restart policy, pure. */
enum restart_action {
	RESTART_NONE,		/* autorestart off: stay stopped */
	RESTART_AFTER,		/* restart after delay_ms (0: now) */
	RESTART_GIVE_UP,	/* too many unstable runs: errored */
};
struct restart_decision {
	enum restart_action	 action;
	uint64_t		 delay_ms;
	bool			 unstable;
};
#define RESTART_UNSTABLE_FLOOR_MS	100
#define RESTART_BACKOFF_CAP_MS		15000
#define RESTART_BACKOFF_RESET_MS	30000
struct restart_decision restart_decide(const struct app_config *,
	    uint64_t uptime_ms, int *unstable_restarts, int *backoff_step);

/* proctree.c */
struct ptree_entry {
	pid_t			 pid;
	pid_t			 ppid;
	int			 proc_id;	/* whose tree it is in, -1 none */
	uint64_t		 ticks;		/* utime + stime */
	unsigned long long	 starttime;	/* ticks after boot */
	uint64_t		 rss_pages;
};
struct ptree {
	struct ptree_entry	*v;
	size_t			 n;
};
void	 ptree_scan(struct ptree *);
void	 ptree_free(struct ptree *);
const struct ptree *ptree_current(void);
int	 ptree_signal_proc(const struct ptree *, int proc_id, int sig);
int	 ptree_signal_all(const struct ptree *, int sig);
size_t	 ptree_count_proc(const struct ptree *, int proc_id);
bool	 ptree_has_orphans(void);

/* sample.c: one /proc pass per tick for every proc. */
#define SAMPLE_HISTORY		64	/* samples kept per proc */
#define SAMPLE_DEFAULT_MS	1000
struct sample {
	uint32_t	 cpu_milli;	/* % x 1000 of one core; UINT32_MAX: none */
	uint32_t	 rss_kib;
};
struct sample_ring {
	struct sample	 v[SAMPLE_HISTORY];
	unsigned	 head;		/* next slot to write */
	unsigned	 len;
};
void	 sample_init(uint64_t interval_ms);
uint64_t sample_interval_ms(void);
void	 sample_forget(struct proc *);
struct cJSON *sample_history_json(const struct proc *);

/* cronjob.c: cron_restart */
void	 cronjob_arm(struct app *);
void	 cronjob_disarm(struct app *);

/* procjson.c */
struct jbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};
void	 jbuf_add(struct jbuf *, const char *, size_t);
void	 jbuf_addf(struct jbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 jbuf_add_string(struct jbuf *, const char *);
void	 procjson_list_append(struct jbuf *, const struct proc *);
struct cJSON *procjson_list(const struct proc *);
struct cJSON *procjson_describe(const struct proc *);

/* control.c */
void	 control_init(int listen_fd);
void	 control_close(void);
void	 control_check_waits(void);
struct conn;
enum wait_kind {
	WAIT_STOPPED,		/* stopped, errored or gone */
	WAIT_STARTED,		/* online, or failed (errored / stopped) */
	WAIT_GONE,		/* deleted */
};
void	 control_wait(struct conn *, long id, enum wait_kind,
	    const int *ids, size_t n);
void	 control_reply(struct conn *, struct cJSON *);
void	 control_reply_line(struct conn *, char *, size_t);
void	 control_subscribe(struct conn *, const char *topic,
	    const char *app, int proc_id);
bool	 control_subscribed(const char *topic, const struct proc *);
void	 control_publish(const char *topic, const struct proc *,
	    struct cJSON *event);
void	 control_publish_line(const char *topic, const struct proc *,
	    char *line, size_t len);

/* dispatch.c */
void	 dispatch(struct conn *, struct cJSON *req);
/* The procs a request names by "target" or "names", by id. */
struct targets {
	int	*ids;
	size_t	 n;
};
int	 targets_resolve(const struct cJSON *req, struct targets *,
	    char **cause);

/* logs.c: stdout and stderr through pipes into rotated files. */
#define LOGS_OUT	0
#define LOGS_ERR	1
const char *logs_stream_name(int stream);
void	 logs_init(void);
int	 logs_attach(struct proc *, int *out_fd, int *err_fd, char **cause);
void	 logs_drain(struct proc *);
void	 logs_detach(struct proc *);
const char *logs_path(const struct proc *, int stream);
int	 logs_reopen_all(void);
int	 logs_flush(struct proc *, char **cause);

/* monit.c: the table pushed to `procman monit` once per sample tick. */
void	 dispatch_monit(struct conn *, const struct cJSON *, long);
void	 monit_publish(void);

/* logs-dispatch.c: the logs, logs-follow, flush, reload-logs requests. */
void	 dispatch_logs(struct conn *, const struct cJSON *, long);
void	 dispatch_logs_follow(struct conn *, const struct cJSON *, long);
void	 dispatch_flush(struct conn *, const struct cJSON *, long);
void	 dispatch_reload_logs(struct conn *, const struct cJSON *, long);

/*
 * Issue #7, persistence: state.c (state.json), recover.c (after a crash
 * of procmand), upgrade.c (procman update), sdnotify.c (Type=notify).
 */
const char *state_path(void);
unsigned long long state_pid_start(pid_t, char *st);
struct cJSON *state_to_json(bool upgrade);
int	 state_write(void);
void	 state_changed(void);
void	 state_flush(void);
void	 state_init(void);
int	 state_load(const char *path, struct cJSON **, char **cause);
size_t	 state_restore(const struct cJSON *, bool keep, struct proc ***start,
	    size_t *nstart);
void	 recover_run(void);
unsigned long upgrade_generation(void);
void	 upgrade_request(struct conn *, const struct cJSON *, long);
int	 upgrade_begin(const char *path, char **cause);
void	 upgrade_resume_proc(struct proc *, const struct cJSON *, int status,
	    int after);
void	 upgrade_resume(void);
void	 sdnotify_ready(void);
/* ... and their hooks in shared files. */
int	 registry_next_id(void);
void	 registry_reserve_id(int);
void	 registry_set_next_id(int);
void	 proc_resume(struct proc *, double restart_in, double kill_in,
	    bool linger);
int	 control_listen_fd(void);
int	 control_conn_fd(const struct conn *);
struct cJSON *logs_upgrade_save(struct proc *);
void	 logs_upgrade_restore(struct proc *, const struct cJSON *);
void	 logs_upgrade_cloexec(struct proc *, bool on);

/* Issue #6, optimize.c: the "optimize" request (procman optimize). */
void	 optimize_request(struct conn *, const struct cJSON *, long);

#endif
