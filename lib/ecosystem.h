/*
 * ecosystem: the configuration of an app, and the ecosystem files that
 * declare apps (YAML through libyaml, or PM2-style JSON with the same keys).
 *
 * Every key is one row of the key table in ecosystem-keys.c; the parser,
 * `procman describe` and procman-ecosystem(5) all follow that table.
 *
 * The same keys are also the wire form: the CLI loads a file, resolves
 * paths (eco_resolve) and sends each app to the daemon as the JSON object
 * eco_config_to_json() builds; the daemon reads it back with
 * eco_config_from_json(), which re-validates every key, so the daemon
 * never trusts the client.  In that form sizes are integer bytes and
 * durations integer milliseconds, which the parser accepts anyway.
 */
#ifndef PROCMAN_ECOSYSTEM_H
#define PROCMAN_ECOSYSTEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cJSON;

#define ECO_NAME_MAX	128	/* longest app name */

struct eco_env {
	char	*key;
	char	*value;
};

/*
 * One app, as declared.  Owns every string and array in it; free with
 * eco_config_free().  Defaults are those of the contract (PM2's).
 */
struct app_config {
	char		*name;		/* [A-Za-z0-9._-]+, not "." or ".." */
	char		*script;	/* as written; absolute after eco_resolve */
	char		*interpreter;	/* NULL, or as written; absolute after
					   eco_resolve */
	char	       **args;		/* NULL-terminated; never NULL itself */
	size_t		 nargs;
	char		*cwd;		/* absolute; default: the file's dir */
	int		 instances;	/* >= 1; "max" is resolved at load */
	char		*instance_var;	/* default "PROCMAN_INSTANCE" */
	struct eco_env	*env;		/* env merged with env_<name> */
	size_t		 nenv;
	uint64_t	 max_memory_restart;	/* bytes, 0 = none */
	bool		 autorestart;		/* default true */
	int		 max_restarts;		/* default 16 */
	uint64_t	 min_uptime_ms;		/* default 1000 */
	uint64_t	 restart_delay_ms;	/* default 0 */
	uint64_t	 exp_backoff_ms;	/* 0 = no exponential backoff */
	uint64_t	 kill_timeout_ms;	/* default 1600 */
	int		 stop_signal;		/* default SIGTERM */
	char		*cron_restart;		/* NULL, or a 5-field expression */
	char		*out_file;		/* NULL = logs/<name>-<i>-out.log */
	char		*error_file;		/* NULL = logs/<name>-<i>-err.log */
	bool		 merge_logs;
	char		*log_date_format;	/* NULL = no prefix */
	uint64_t	 log_max_size;		/* bytes, default 10M */
	int		 log_retain;		/* default 5 */
	bool		 optimize;		/* default true */
	char		*source;	/* the ecosystem file's absolute path,
					   or NULL for an ad-hoc app */
};

/* An ecosystem file: its apps in file order.  Free with eco_file_free(). */
struct eco_file {
	char			*path;	/* absolute */
	struct app_config      **apps;
	size_t			 napps;
};

/*
 * Load an ecosystem file (".json" is parsed as JSON, anything else as
 * YAML).  env_name selects env_<env_name> to merge over env; NULL for none.
 * Returns 0 and a new *out, or -1 and *cause: every error found, one per
 * line as "file:line:col: message" (at most about 20, then "... and N
 * more errors"), no trailing newline; free *cause.  Paths are not checked
 * for existence here (see eco_resolve).
 */
int	 eco_load(const char *path, const char *env_name,
	    struct eco_file **out, char **cause);
void	 eco_file_free(struct eco_file *);

/* A config with every default set and the given name; free with
   eco_config_free().  Used for ad-hoc apps (`procman start CMD`). */
struct app_config *eco_config_new(const char *name);
void	 eco_config_free(struct app_config *);
struct app_config *eco_config_dup(const struct app_config *);

/*
 * Make script (and interpreter) absolute and check they can run: a script
 * with a '/' is taken relative to cwd, one without is looked up in PATH
 * (then relative to cwd).  A script that is not executable and has no
 * interpreter gets one by its extension (.py python3, .js node, .sh sh,
 * .rb ruby, .pl perl).  Returns 0, or -1 and *cause like
 * "script \"./srv\" not found in /srv/api: No such file or directory".
 */
int	 eco_resolve(struct app_config *, char **cause);

/*
 * The wire form.  eco_config_to_json returns a new object (caller owns,
 * cJSON_Delete).  eco_config_from_json returns a new config, or NULL and
 * *cause (one line) when any key is unknown, has the wrong type or a bad
 * value.
 */
struct cJSON *eco_config_to_json(const struct app_config *);
struct app_config *eco_config_from_json(const struct cJSON *, char **cause);

/* Is this a valid app name? ([A-Za-z0-9._-]{1,128}, not "." or "..") */
bool	 eco_name_valid(const char *);

/* "SIGTERM", "TERM" or "15" -> 15; -1 when unknown.  And back. */
int	 eco_signal_parse(const char *);
const char *eco_signal_name(int);

/*
 * The key table, exported for describe and for the man-page sync test.
 * Keys ending in '*' are prefixes ("env_*").
 */
enum eco_key_type {
	ECO_T_STRING,
	ECO_T_STRLIST,		/* list of strings, or one shell-split string */
	ECO_T_INT,
	ECO_T_INSTANCES,	/* integer >= 1 or "max" */
	ECO_T_BOOL,
	ECO_T_SIZE,		/* bytes, or with K/M/G suffix */
	ECO_T_DURATION,		/* integer ms, or 250ms / 2s / 1m / 1h */
	ECO_T_SIGNAL,
	ECO_T_ENV,		/* mapping of string to scalar */
	ECO_T_CRON,
};

struct eco_key {
	const char		*name;
	enum eco_key_type	 type;
	bool			 required;
	const char		*default_text;	/* for docs; NULL if none */
	long long		 min, max;	/* for ECO_T_INT */
	const char		*doc;
	size_t			 offset;	/* of the field in struct
						   app_config (internal) */
};

extern const struct eco_key eco_keys[];	/* terminated by name == NULL */

/*
 * ---- Internal to lib/ecosystem*.c; the daemon and the CLI must not use
 * what follows. ----
 *
 * Both loaders turn their input into the same tree of eco_node, so that
 * one validator (ecosystem-keys.c) gives YAML and JSON the same rules and
 * the same messages.
 */
#define ECO_ERRORS_MAX	20	/* messages kept; the rest counted */
#define ECO_FILE_MAX	(1024 * 1024)	/* larger files are refused */
#define ECO_DEPTH_MAX	64	/* deeper nesting is refused */

enum eco_node_kind {
	ECO_N_NULL,		/* YAML ~, null or nothing; JSON null */
	ECO_N_SCALAR,
	ECO_N_SEQ,
	ECO_N_MAP,
	ECO_N_BAD,		/* already reported (an alias): skip */
};

/*
 * text: scalars' bytes, NUL-terminated; len may count a NUL inside ("\0"
 * in YAML).  line, col: from 1, 0 when unknown (JSON).  kids: a
 * sequence's items, or a mapping's key, value, key, value...
 */
struct eco_node {
	enum eco_node_kind	  kind;
	char			 *text;
	size_t			  len;
	int			  line, col;
	struct eco_node		**kids;
	size_t			  nkids;
};

/* Errors collected while loading; eco_errors_take() joins them. */
struct eco_errors {
	const char	*file;	/* as the caller wrote it; NULL: no
				   prefix (the wire form) */
	char		*lines[ECO_ERRORS_MAX];
	size_t		 nlines;
	size_t		 total;
};

/* ecosystem.c */
void	 eco_error(struct eco_errors *, int line, int col,
	    const char *, ...) __attribute__((format(printf, 4, 5)));
char	*eco_errors_take(struct eco_errors *);
void	 eco_errors_clear(struct eco_errors *);
struct eco_node *eco_node_new(enum eco_node_kind, int line, int col);
void	 eco_node_add(struct eco_node *, struct eco_node *);
void	 eco_node_free(struct eco_node *);
const char *eco_node_what(const struct eco_node *, char *, size_t);
const struct eco_node *eco_node_get(const struct eco_node *, const char *);
const char *eco_map_key(struct eco_errors *, const char *prefix,
	    const struct eco_node *map, size_t i);
void	 eco_env_merge(struct app_config *, const struct eco_env *, size_t);
int	 eco_build_file(struct eco_errors *, const struct eco_node *root,
	    const char *dir, const char *env_name, struct eco_file *);

/* ecosystem-keys.c: one app from a mapping node; NULL after errors.
   prefix is "apps[N]" (or "" in the wire form), dir the file's directory
   (NULL in the wire form: paths must then be absolute). */
struct app_config *eco_app_build(struct eco_errors *,
	    const struct eco_node *, const char *prefix, const char *dir,
	    const char *env_name);
char	*eco_path_join(const char *dir, const char *path);

/* ecosystem-yaml.c, ecosystem-json.c: parse a whole buffer (NUL
   terminated at buf[len]) into a new tree; NULL after errors. */
struct eco_node *eco_yaml_parse(struct eco_errors *, const char *buf,
	    size_t len);
struct eco_node *eco_json_parse(struct eco_errors *, const char *buf,
	    size_t len);
struct eco_node *eco_json_to_node(const struct cJSON *);

#endif
