/*
 * ecosystem: app configs (new, free, dup), names and signals, eco_load()
 * which reads a file and hands it to the YAML or JSON loader, the
 * top-level checks both loaders share, and eco_resolve() which turns a
 * script into an absolute path that can run.
 *
 * Messages name the file as the caller wrote it (eco_load's path
 * argument), not its absolute path: that is what the user typed, and it
 * keeps test expectations independent of where the tree lives.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecosystem.h"
#include "xmalloc.h"

static const struct {
	int		 sig;
	const char	*name;
} eco_signals[] = {
	{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
	{ SIGILL, "SIGILL" }, { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
	{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" },
	{ SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" },
	{ SIGUSR2, "SIGUSR2" }, { SIGPIPE, "SIGPIPE" },
	{ SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
	{ SIGCHLD, "SIGCHLD" }, { SIGCONT, "SIGCONT" },
	{ SIGSTOP, "SIGSTOP" }, { SIGTSTP, "SIGTSTP" },
	{ SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" }, { SIGURG, "SIGURG" },
	{ SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" },
	{ SIGVTALRM, "SIGVTALRM" }, { SIGPROF, "SIGPROF" },
	{ SIGWINCH, "SIGWINCH" }, { SIGIO, "SIGIO" }, { SIGPWR, "SIGPWR" },
	{ SIGSYS, "SIGSYS" },
};
#define ECO_NSIGNALS (sizeof eco_signals / sizeof eco_signals[0])

/* ---- errors ---------------------------------------------------------- */

/*
 * Messages quote what the user wrote, which may hold a newline or a
 * terminal escape; each message must stay one harmless line.
 */
static char *
eco_error_escape(char *msg)
{
	char		*out, *o;
	const char	*p;

	o = out = xmalloc(strlen(msg) * 4 + 1);
	for (p = msg; *p != '\0'; p++) {
		if (*p == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			o += sprintf(o, "\\x%02x", (unsigned char)*p);
		else
			*o++ = *p;
	}
	*o = '\0';
	free(msg);
	return out;
}

void
eco_error(struct eco_errors *errs, int line, int col, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	errs->total++;
	if (errs->nlines == ECO_ERRORS_MAX)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		msg = xstrdup("out of memory");
	msg = eco_error_escape(msg);
	if (errs->file == NULL)
		errs->lines[errs->nlines++] = msg;
	else if (line > 0)
		errs->lines[errs->nlines++] = xprintf("%s:%d:%d: %s",
		    errs->file, line, col, msg);
	else
		errs->lines[errs->nlines++] = xprintf("%s: %s", errs->file,
		    msg);
	if (errs->file != NULL)
		free(msg);
}

/* Join the messages, one per line; returns NULL when there were none. */
char *
eco_errors_take(struct eco_errors *errs)
{
	char	*out = NULL, *tmp;
	size_t	 i;

	for (i = 0; i < errs->nlines; i++) {
		if (out == NULL)
			out = xstrdup(errs->lines[i]);
		else {
			tmp = xprintf("%s\n%s", out, errs->lines[i]);
			free(out);
			out = tmp;
		}
	}
	if (errs->total > errs->nlines) {
		tmp = xprintf("%s\n... and %zu more error%s", out,
		    errs->total - errs->nlines,
		    errs->total - errs->nlines == 1 ? "" : "s");
		free(out);
		out = tmp;
	}
	eco_errors_clear(errs);
	return out;
}

void
eco_errors_clear(struct eco_errors *errs)
{
	size_t	 i;

	for (i = 0; i < errs->nlines; i++)
		free(errs->lines[i]);
	errs->nlines = errs->total = 0;
}

/* ---- nodes ----------------------------------------------------------- */

struct eco_node *
eco_node_new(enum eco_node_kind kind, int line, int col)
{
	struct eco_node	*n;

	n = xcalloc(1, sizeof *n);
	n->kind = kind;
	n->line = line;
	n->col = col;
	return n;
}

/* Append a child; the parent owns it from now on. */
void
eco_node_add(struct eco_node *parent, struct eco_node *kid)
{
	parent->kids = xreallocarray(parent->kids, parent->nkids + 1,
	    sizeof *parent->kids);
	parent->kids[parent->nkids++] = kid;
}

void
eco_node_free(struct eco_node *n)
{
	size_t	 i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		eco_node_free(n->kids[i]);
	free(n->kids);
	free(n->text);
	free(n);
}

/*
 * For "expected X, got Y" messages: a scalar is shown quoted (cut at 40
 * bytes), anything else by its kind.  Returns buf or a static string.
 */
const char *
eco_node_what(const struct eco_node *n, char *buf, size_t len)
{
	switch (n->kind) {
	case ECO_N_NULL:
		return "nothing (null)";
	case ECO_N_SCALAR:
		snprintf(buf, len, "\"%.40s%s\"", n->text,
		    strlen(n->text) > 40 ? "..." : "");
		return buf;
	case ECO_N_SEQ:
		return "a sequence";
	case ECO_N_MAP:
		return "a mapping";
	case ECO_N_BAD:
		break;
	}
	return "an invalid value";
}

/* The first value under a scalar key in a mapping, or NULL. */
const struct eco_node *
eco_node_get(const struct eco_node *map, const char *key)
{
	size_t	 i;

	if (map->kind != ECO_N_MAP)
		return NULL;
	for (i = 0; i + 1 < map->nkids; i += 2) {
		if (map->kids[i]->kind == ECO_N_SCALAR &&
		    strcmp(map->kids[i]->text, key) == 0)
			return map->kids[i + 1];
	}
	return NULL;
}

/*
 * The key of pair i of a mapping, or NULL when the pair must be skipped
 * because its key is not a plain string, is a YAML merge key or repeats
 * an earlier key (libyaml lets duplicates through; the last one would
 * silently win in most loaders, which hides typos).
 */
const char *
eco_map_key(struct eco_errors *errs, const char *prefix,
    const struct eco_node *map, size_t i)
{
	const struct eco_node	*k = map->kids[i], *prev;
	const char		*sep = *prefix != '\0' ? ": " : "";
	size_t			 j;

	if (k->kind == ECO_N_BAD)
		return NULL;
	if (k->kind != ECO_N_SCALAR || strlen(k->text) != k->len) {
		eco_error(errs, k->line, k->col, "%s%skeys must be strings",
		    prefix, sep);
		return NULL;
	}
	if (strcmp(k->text, "<<") == 0) {
		eco_error(errs, k->line, k->col, "%s%smerge keys (\"<<\") "
		    "are not supported: write the keys out", prefix, sep);
		return NULL;
	}
	for (j = 0; j < i; j += 2) {
		prev = map->kids[j];
		if (prev->kind != ECO_N_SCALAR ||
		    strcmp(prev->text, k->text) != 0)
			continue;
		if (prev->line > 0)
			eco_error(errs, k->line, k->col, "%s%sduplicate key "
			    "\"%s\" (first at %d:%d)", prefix, sep, k->text,
			    prev->line, prev->col);
		else
			eco_error(errs, k->line, k->col, "%s%sduplicate key "
			    "\"%s\"", prefix, sep, k->text);
		return NULL;
	}
	return k->text;
}

/* ---- names and signals ----------------------------------------------- */

bool
eco_name_valid(const char *name)
{
	size_t	 i;

	if (name == NULL || *name == '\0' || strlen(name) > ECO_NAME_MAX)
		return false;
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (i = 0; name[i] != '\0'; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", name[i]) == NULL)
			return false;
	}
	return true;
}

int
eco_signal_parse(const char *s)
{
	long long	 n;
	size_t		 i;

	if (s[0] >= '0' && s[0] <= '9') {
		n = 0;
		for (i = 0; s[i] >= '0' && s[i] <= '9' && n < 1000; i++)
			n = n * 10 + (s[i] - '0');
		if (s[i] != '\0')
			return -1;
		for (i = 0; i < ECO_NSIGNALS; i++)
			if (eco_signals[i].sig == n)
				return eco_signals[i].sig;
		return -1;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < ECO_NSIGNALS; i++)
		if (strcasecmp(s, eco_signals[i].name + 3) == 0)
			return eco_signals[i].sig;
	return -1;
}

/* "SIGTERM" for 15; NULL for a number that is no signal we know. */
const char *
eco_signal_name(int sig)
{
	size_t	 i;

	for (i = 0; i < ECO_NSIGNALS; i++)
		if (eco_signals[i].sig == sig)
			return eco_signals[i].name;
	return NULL;
}

/* ---- configs --------------------------------------------------------- */

/*
 * cwd defaults to the caller's working directory: for `procman start CMD`
 * that is where the user typed it.  name may be NULL inside the loaders,
 * which set it afterwards.
 */
struct app_config *
eco_config_new(const char *name)
{
	struct app_config	*c;
	char			*cwd;

	c = xcalloc(1, sizeof *c);
	c->name = name != NULL ? xstrdup(name) : NULL;
	c->args = xcalloc(1, sizeof *c->args);
	if ((cwd = getcwd(NULL, 0)) == NULL)
		cwd = xstrdup("/");
	c->cwd = cwd;
	c->instances = 1;
	c->instance_var = xstrdup("PROCMAN_INSTANCE");
	c->autorestart = true;
	c->max_restarts = 16;
	c->min_uptime_ms = 1000;
	c->kill_timeout_ms = 1600;
	c->stop_signal = SIGTERM;
	c->log_max_size = 10 * 1024 * 1024;
	c->log_retain = 5;
	c->optimize = true;
	return c;
}

static void
eco_env_free(struct eco_env *env, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(env[i].key);
		free(env[i].value);
	}
	free(env);
}

void
eco_config_free(struct app_config *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	free(c->name);
	free(c->script);
	free(c->interpreter);
	for (i = 0; i < c->nargs; i++)
		free(c->args[i]);
	free(c->args);
	free(c->cwd);
	free(c->instance_var);
	eco_env_free(c->env, c->nenv);
	free(c->cron_restart);
	free(c->out_file);
	free(c->error_file);
	free(c->log_date_format);
	free(c->source);
	free(c);
}

static char *
eco_strdup_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

struct app_config *
eco_config_dup(const struct app_config *c)
{
	struct app_config	*d;
	size_t			 i;

	d = xmalloc(sizeof *d);
	*d = *c;
	d->name = eco_strdup_null(c->name);
	d->script = eco_strdup_null(c->script);
	d->interpreter = eco_strdup_null(c->interpreter);
	d->args = xcalloc(c->nargs + 1, sizeof *d->args);
	for (i = 0; i < c->nargs; i++)
		d->args[i] = xstrdup(c->args[i]);
	d->cwd = eco_strdup_null(c->cwd);
	d->instance_var = eco_strdup_null(c->instance_var);
	d->env = c->nenv > 0 ? xcalloc(c->nenv, sizeof *d->env) : NULL;
	for (i = 0; i < c->nenv; i++) {
		d->env[i].key = xstrdup(c->env[i].key);
		d->env[i].value = xstrdup(c->env[i].value);
	}
	d->cron_restart = eco_strdup_null(c->cron_restart);
	d->out_file = eco_strdup_null(c->out_file);
	d->error_file = eco_strdup_null(c->error_file);
	d->log_date_format = eco_strdup_null(c->log_date_format);
	d->source = eco_strdup_null(c->source);
	return d;
}

/* Set each of over's variables in c->env, replacing an earlier value. */
void
eco_env_merge(struct app_config *c, const struct eco_env *over, size_t n)
{
	size_t	 i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < c->nenv; j++)
			if (strcmp(c->env[j].key, over[i].key) == 0)
				break;
		if (j == c->nenv) {
			c->env = xreallocarray(c->env, c->nenv + 1,
			    sizeof *c->env);
			c->env[c->nenv].key = xstrdup(over[i].key);
			c->env[c->nenv++].value = NULL;
		}
		free(c->env[j].value);
		c->env[j].value = xstrdup(over[i].value);
	}
}

void
eco_file_free(struct eco_file *ef)
{
	size_t	 i;

	if (ef == NULL)
		return;
	for (i = 0; i < ef->napps; i++)
		eco_config_free(ef->apps[i]);
	free(ef->apps);
	free(ef->path);
	free(ef);
}

/* ---- loading --------------------------------------------------------- */

/*
 * Read the whole file into a new NUL-terminated buffer.  Files over
 * ECO_FILE_MAX are refused before parsing: a config that big is a
 * mistake, and the daemon's callers should never parse unbounded input.
 */
static int
eco_read(const char *path, char **bufp, size_t *lenp, char **cause)
{
	struct stat	 st;
	char		*buf = NULL;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		*cause = xprintf("%s: %s", path, strerror(EISDIR));
		goto fail;
	}
	buf = xmalloc(ECO_FILE_MAX + 2);
	while (len <= ECO_FILE_MAX) {
		n = read(fd, buf + len, ECO_FILE_MAX + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xprintf("%s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > ECO_FILE_MAX) {
		*cause = xprintf("%s: file is larger than 1 MiB", path);
		goto fail;
	}
	buf[len] = '\0';
	close(fd);
	*bufp = buf;
	*lenp = len;
	return 0;

fail:
	free(buf);
	close(fd);
	return -1;
}

static bool
eco_is_json(const char *path)
{
	size_t	 len = strlen(path);

	return len >= 5 && strcasecmp(path + len - 5, ".json") == 0;
}

/* Check an app's name against the earlier apps' names (file order). */
static void
eco_check_name(struct eco_errors *errs, const struct eco_node *apps,
    size_t idx)
{
	const struct eco_node	*n, *prev;
	size_t			 j;

	n = eco_node_get(apps->kids[idx], "name");
	if (n == NULL || n->kind != ECO_N_SCALAR || !eco_name_valid(n->text))
		return;
	for (j = 0; j < idx; j++) {
		prev = eco_node_get(apps->kids[j], "name");
		if (prev == NULL || prev->kind != ECO_N_SCALAR ||
		    strcmp(prev->text, n->text) != 0)
			continue;
		if (prev->line > 0)
			eco_error(errs, n->line, n->col, "apps[%zu].name: "
			    "duplicate app name \"%s\" (first at %d:%d)", idx,
			    n->text, prev->line, prev->col);
		else
			eco_error(errs, n->line, n->col, "apps[%zu].name: "
			    "duplicate app name \"%s\" (first in apps[%zu])",
			    idx, n->text, j);
		return;
	}
}

/* The value of the one top-level key, "apps"; NULL after an error. */
static const struct eco_node *
eco_top_apps(struct eco_errors *errs, const struct eco_node *root)
{
	const struct eco_node	*apps = NULL;
	const char		*key;
	char			 what[64];
	size_t			 i;

	if (root == NULL || root->kind == ECO_N_NULL) {
		eco_error(errs, 0, 0, "no apps (the file is empty)");
		return NULL;
	}
	if (root->kind == ECO_N_BAD)
		return NULL;
	if (root->kind != ECO_N_MAP) {
		eco_error(errs, root->line, root->col, "expected a mapping "
		    "with the key \"apps\", got %s",
		    eco_node_what(root, what, sizeof what));
		return NULL;
	}
	for (i = 0; i + 1 < root->nkids; i += 2) {
		if ((key = eco_map_key(errs, "", root, i)) == NULL)
			continue;
		if (strcmp(key, "apps") == 0)
			apps = root->kids[i + 1];
		else
			eco_error(errs, root->kids[i]->line,
			    root->kids[i]->col, "unknown top-level key \"%s\" "
			    "(only \"apps\" is allowed)", key);
	}
	if (apps == NULL) {
		eco_error(errs, root->line, root->col,
		    "missing required key \"apps\"");
		return NULL;
	}
	if (apps->kind != ECO_N_SEQ) {
		eco_error(errs, apps->line, apps->col, "apps: expected a "
		    "sequence of apps, got %s",
		    eco_node_what(apps, what, sizeof what));
		return NULL;
	}
	if (apps->nkids == 0) {
		eco_error(errs, apps->line, apps->col, "apps: no apps");
		return NULL;
	}
	return apps;
}

/*
 * Build every app of the tree into ef.  Errors go to errs; the caller
 * throws ef away if there were any.
 */
int
eco_build_file(struct eco_errors *errs, const struct eco_node *root,
    const char *dir, const char *env_name, struct eco_file *ef)
{
	const struct eco_node	*apps, *a;
	struct app_config	*c;
	char			 prefix[32], what[64];
	size_t			 i;

	if ((apps = eco_top_apps(errs, root)) == NULL)
		return -1;
	ef->apps = xcalloc(apps->nkids, sizeof *ef->apps);
	for (i = 0; i < apps->nkids; i++) {
		a = apps->kids[i];
		snprintf(prefix, sizeof prefix, "apps[%zu]", i);
		if (a->kind == ECO_N_BAD)
			continue;
		if (a->kind != ECO_N_MAP) {
			eco_error(errs, a->line, a->col, "%s: expected a "
			    "mapping, got %s", prefix,
			    eco_node_what(a, what, sizeof what));
			continue;
		}
		c = eco_app_build(errs, a, prefix, dir, env_name);
		eco_check_name(errs, apps, i);
		if (c == NULL)
			continue;
		c->source = xstrdup(ef->path);
		ef->apps[ef->napps++] = c;
	}
	return errs->total > 0 ? -1 : 0;
}

int
eco_load(const char *path, const char *env_name, struct eco_file **out,
    char **cause)
{
	struct eco_errors	 errs;
	struct eco_node		*root = NULL;
	struct eco_file		*ef = NULL;
	char			*buf = NULL, *abs, *dir = NULL, *tmp;
	size_t			 len;

	*out = NULL;
	*cause = NULL;
	memset(&errs, 0, sizeof errs);
	errs.file = path;
	if (eco_read(path, &buf, &len, cause) != 0)
		return -1;
	if ((abs = realpath(path, NULL)) == NULL) {
		*cause = xprintf("%s: %s", path, strerror(errno));
		goto fail;
	}
	ef = xcalloc(1, sizeof *ef);
	ef->path = abs;
	/* dirname() may modify its argument and return a pointer into it. */
	tmp = xstrdup(abs);
	dir = xstrdup(dirname(tmp));
	free(tmp);
	if (eco_is_json(path))
		root = eco_json_parse(&errs, buf, len);
	else
		root = eco_yaml_parse(&errs, buf, len);
	/* A tree with errors in it is still validated, to report all. */
	if ((root == NULL && errs.total > 0) ||
	    eco_build_file(&errs, root, dir, env_name, ef) != 0) {
		*cause = eco_errors_take(&errs);
		goto fail;
	}
	eco_node_free(root);
	free(buf);
	free(dir);
	*out = ef;
	return 0;

fail:
	eco_errors_clear(&errs);
	eco_node_free(root);
	eco_file_free(ef);
	free(buf);
	free(dir);
	return -1;
}

/* ---- resolving ------------------------------------------------------- */

static const struct {
	const char	*ext;
	const char	*interpreter;
} eco_interpreters[] = {
	{ ".py", "python3" }, { ".js", "node" }, { ".sh", "sh" },
	{ ".rb", "ruby" }, { ".pl", "perl" },
};

static bool
eco_is_exec_file(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

/*
 * A command name looked up in PATH: a new absolute path, or NULL.  Empty
 * and relative PATH entries are skipped: what runs must not depend on the
 * directory the daemon happens to be in.
 */
static char *
eco_path_lookup(const char *name)
{
	const char	*path, *p, *end;
	char		*cand;

	if ((path = getenv("PATH")) == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		end = strchrnul(p, ':');
		if (*p == '/') {
			cand = xprintf("%.*s/%s", (int)(end - p), p, name);
			if (eco_is_exec_file(cand))
				return cand;
			free(cand);
		}
		if (*end == '\0')
			return NULL;
	}
}

/*
 * Find what ("script" or "interpreter") named prog: with a '/' relative
 * to cwd, else in PATH and then in cwd.  Returns a new absolute path, or
 * NULL and *cause.
 */
static char *
eco_locate(const char *what, const char *prog, const char *cwd,
    char **cause)
{
	struct stat	 st;
	char		*path;

	if (strchr(prog, '/') == NULL) {
		if ((path = eco_path_lookup(prog)) != NULL)
			return path;
		path = eco_path_join(cwd, prog);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return path;
		free(path);
		*cause = xprintf("%s \"%s\" not found in PATH or in %s", what,
		    prog, cwd);
		return NULL;
	}
	path = eco_path_join(cwd, prog);
	if (stat(path, &st) != 0) {
		if (*prog == '/')
			*cause = xprintf("%s \"%s\" not found: %s", what, prog,
			    strerror(errno));
		else
			*cause = xprintf("%s \"%s\" not found in %s: %s", what,
			    prog, cwd, strerror(errno));
		free(path);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		*cause = xprintf("%s \"%s\" is a directory", what, prog);
		free(path);
		return NULL;
	}
	return path;
}

/* A script that cannot run by itself gets an interpreter by extension. */
static int
eco_guess_interpreter(struct app_config *c, const char *script,
    char **cause)
{
	const char	*ext = strrchr(script, '.');
	size_t		 i;

	if (ext != NULL && strchr(ext, '/') == NULL) {
		for (i = 0; i < sizeof eco_interpreters /
		    sizeof eco_interpreters[0]; i++) {
			if (strcmp(ext, eco_interpreters[i].ext) != 0)
				continue;
			c->interpreter = eco_path_lookup(
			    eco_interpreters[i].interpreter);
			if (c->interpreter != NULL)
				return 0;
			*cause = xprintf("script \"%s\" needs interpreter "
			    "\"%s\", which is not in PATH", script,
			    eco_interpreters[i].interpreter);
			return -1;
		}
	}
	*cause = xprintf("script \"%s\" is not executable and has no "
	    "interpreter", script);
	return -1;
}

int
eco_resolve(struct app_config *c, char **cause)
{
	struct stat	 st;
	char		*script = NULL, *interp;

	*cause = NULL;
	if (stat(c->cwd, &st) != 0) {
		*cause = xprintf("cwd \"%s\": %s", c->cwd, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		*cause = xprintf("cwd \"%s\": %s", c->cwd, strerror(ENOTDIR));
		return -1;
	}
	/* PM2 spells "no interpreter" as "none". */
	if (c->interpreter != NULL && strcmp(c->interpreter, "none") == 0) {
		free(c->interpreter);
		c->interpreter = NULL;
	}
	if (c->interpreter != NULL) {
		interp = eco_locate("interpreter", c->interpreter, c->cwd,
		    cause);
		if (interp == NULL)
			return -1;
		if (access(interp, X_OK) != 0) {
			*cause = xprintf("interpreter \"%s\" is not "
			    "executable", c->interpreter);
			free(interp);
			return -1;
		}
		free(c->interpreter);
		c->interpreter = interp;
	}
	if ((script = eco_locate("script", c->script, c->cwd, cause)) == NULL)
		return -1;
	if (c->interpreter != NULL) {
		if (access(script, R_OK) != 0) {
			*cause = xprintf("script \"%s\" is not readable: %s",
			    c->script, strerror(errno));
			goto fail;
		}
	} else if (access(script, X_OK) != 0 &&
	    eco_guess_interpreter(c, c->script, cause) != 0)
		goto fail;
	free(c->script);
	c->script = script;
	return 0;

fail:
	free(script);
	return -1;
}
