/*
 * monit-model: what the dashboard knows, kept apart from how it is drawn.
 *
 * Rows are keyed by proc id.  Every table the daemon pushes is applied
 * by mark and sweep (htop's Table_prepareEntries / cleanupEntries): each
 * row is unmarked, the rows the table names are updated (or created) and
 * marked, and the rows left unmarked are gone.  So a row keeps its
 * sparkline history from tick to tick, and the selection, which is a
 * proc id rather than a screen line, stays on its proc however the list
 * is sorted or filtered.
 */
#define _GNU_SOURCE	/* strcasestr, qsort_r */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "monit.h"
#include "xmalloc.h"

static const char *const monit_sort_names[MONIT_SORT_COUNT] = {
	[MONIT_SORT_ID] = "id",
	[MONIT_SORT_CPU] = "cpu",
	[MONIT_SORT_MEMORY] = "memory",
	[MONIT_SORT_RESTARTS] = "restarts",
};

const char *
monit_sort_name(enum monit_sort s)
{
	return (s < MONIT_SORT_COUNT ? monit_sort_names[s] : "?");
}

void
monit_model_init(struct monit_model *m)
{
	memset(m, 0, sizeof *m);
	m->selected = -1;
	m->sort = MONIT_SORT_ID;
	m->interval_ms = 1000;
}

static void
monit_row_free(struct monit_row *r)
{
	free(r->name);
	free(r->status);
	free(r->command);
	free(r->cwd);
	free(r->reason);
	free(r->spawn_error);
	free(r);
}

static void
monit_log_clear(struct monit_log *l)
{
	free(l->name);
	free(l->line);
	memset(l, 0, sizeof *l);
}

void
monit_model_free(struct monit_model *m)
{
	size_t	 i;

	for (i = 0; i < m->nrows; i++)
		monit_row_free(m->rows[i]);
	free(m->rows);
	free(m->view);
	for (i = 0; i < MONIT_LOG_LINES; i++)
		monit_log_clear(&m->logs[i]);
	memset(m, 0, sizeof *m);
	m->selected = -1;
}

/* --- reading the daemon's objects ---------------------------------- */

static double
monit_num(const cJSON *obj, const char *key, double dflt)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return (cJSON_IsNumber(v) ? v->valuedouble : dflt);
}

static const char *
monit_str(const cJSON *obj, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return (cJSON_IsString(v) ? v->valuestring : NULL);
}

/* Replace *dst with a copy of src unless it already says that. */
static void
monit_set_str(char **dst, const char *src)
{
	if (src == NULL) {
		free(*dst);
		*dst = NULL;
		return;
	}
	if (*dst != NULL && strcmp(*dst, src) == 0)
		return;
	free(*dst);
	*dst = xstrdup(src);
}

static uint64_t
monit_u64(double d)
{
	return (d > 0 && d < 1.8e19 ? (uint64_t)d : 0);
}

/* "interpreter exec arg..." as one line for the details pane. */
static char *
monit_command(const cJSON *obj)
{
	const cJSON	*args, *a;
	const char	*interp = monit_str(obj, "interpreter");
	const char	*exec = monit_str(obj, "exec");
	char		*s, *t;

	s = xstrdup(interp != NULL ? interp : "");
	if (exec != NULL) {
		xasprintf(&t, "%s%s%s", s, *s != '\0' ? " " : "", exec);
		free(s);
		s = t;
	}
	args = cJSON_GetObjectItemCaseSensitive(obj, "args");
	cJSON_ArrayForEach(a, args) {
		if (!cJSON_IsString(a))
			continue;
		if (strpbrk(a->valuestring, " \t'\"") != NULL ||
		    *a->valuestring == '\0')
			xasprintf(&t, "%s '%s'", s, a->valuestring);
		else
			xasprintf(&t, "%s %s", s, a->valuestring);
		free(s);
		s = t;
	}
	return (s);
}

static void
monit_row_push(struct monit_row *r, double cpu, double mem)
{
	r->hcpu[r->hhead] = cpu;
	r->hmem[r->hhead] = mem;
	r->hhead = (r->hhead + 1) % MONIT_HISTORY;
	if (r->hlen < MONIT_HISTORY)
		r->hlen++;
}

/* The daemon's history replaces ours: it saw every tick. */
static void
monit_row_history(struct monit_row *r, const cJSON *h)
{
	const cJSON	*cpu, *mem, *c, *mm;
	int		 n, i, skip;

	cpu = cJSON_GetObjectItemCaseSensitive(h, "cpu");
	mem = cJSON_GetObjectItemCaseSensitive(h, "memory");
	if (!cJSON_IsArray(cpu) || !cJSON_IsArray(mem))
		return;
	r->hhead = r->hlen = 0;
	n = cJSON_GetArraySize(cpu);
	if (cJSON_GetArraySize(mem) < n)
		n = cJSON_GetArraySize(mem);
	skip = n > MONIT_HISTORY ? n - MONIT_HISTORY : 0;
	for (i = skip; i < n; i++) {
		c = cJSON_GetArrayItem(cpu, i);
		mm = cJSON_GetArrayItem(mem, i);
		monit_row_push(r, cJSON_IsNumber(c) ? c->valuedouble : NAN,
		    cJSON_IsNumber(mm) ? mm->valuedouble : NAN);
	}
}

static void
monit_row_fill(struct monit_row *r, const cJSON *obj, bool history)
{
	const cJSON	*cpu, *h;
	char		*cmd;

	monit_set_str(&r->name, monit_str(obj, "name"));
	if (r->name == NULL)
		r->name = xstrdup("?");
	r->instance = (int)monit_num(obj, "instance", 0);
	r->pid = (long)monit_num(obj, "pid", 0);
	monit_set_str(&r->status, monit_str(obj, "status"));
	if (r->status == NULL)
		r->status = xstrdup("?");
	r->restarts = (int)monit_num(obj, "restarts", 0);
	r->uptime_ms = monit_u64(monit_num(obj, "uptime_ms", 0));
	cpu = cJSON_GetObjectItemCaseSensitive(obj, "cpu");
	r->cpu = cJSON_IsNumber(cpu) && r->pid != 0 ? cpu->valuedouble : NAN;
	r->memory = monit_u64(monit_num(obj, "memory", 0));
	r->max_memory = monit_u64(monit_num(obj, "max_memory_restart", 0));
	cmd = monit_command(obj);
	monit_set_str(&r->command, cmd);
	free(cmd);
	monit_set_str(&r->cwd, monit_str(obj, "cwd"));
	r->processes = (int)monit_num(obj, "processes", 0);
	monit_set_str(&r->reason, monit_str(obj, "last_restart_reason"));
	r->reason_at = monit_u64(monit_num(obj, "last_restart_at", 0));
	monit_set_str(&r->spawn_error, monit_str(obj, "spawn_error"));
	h = cJSON_GetObjectItemCaseSensitive(obj, "history");
	if (history && cJSON_IsObject(h))
		monit_row_history(r, h);
	else if (r->pid != 0)	/* the daemon samples running procs only */
		monit_row_push(r, r->cpu, (double)r->memory);
}

/* --- rows by id ------------------------------------------------------ */

static int
monit_row_cmp_id(const void *a, const void *b)
{
	const struct monit_row *const *x = a, *const *y = b;

	return (((*x)->id > (*y)->id) - ((*x)->id < (*y)->id));
}

static struct monit_row *
monit_find(const struct monit_model *m, int id)
{
	struct monit_row	 key, *kp = &key, **found;

	if (m->nrows == 0)
		return (NULL);
	key.id = id;
	found = bsearch(&kp, m->rows, m->nrows, sizeof *m->rows,
	    monit_row_cmp_id);
	return (found != NULL ? *found : NULL);
}

/*
 * Apply a table of procs: update the rows it names, add the new ones,
 * drop the ones it no longer has.  With history, the objects carry the
 * daemon's sample history (the first table after connecting).
 */
void
monit_model_update(struct monit_model *m, const cJSON *procs, bool history)
{
	const cJSON		*obj, *id;
	struct monit_row	*r;
	size_t			 i, n, known;
	bool			 added = false;

	for (i = 0; i < m->nrows; i++)
		m->rows[i]->seen = false;
	known = m->nrows;
	n = (size_t)cJSON_GetArraySize(procs);
	m->rows = xreallocarray(m->rows, m->nrows + n + 1, sizeof *m->rows);
	cJSON_ArrayForEach(obj, procs) {
		id = cJSON_GetObjectItemCaseSensitive(obj, "id");
		if (!cJSON_IsNumber(id))
			continue;
		/* Search only the sorted part: new rows are appended. */
		n = m->nrows;
		m->nrows = known;
		r = monit_find(m, (int)id->valuedouble);
		m->nrows = n;
		if (r == NULL) {
			r = xcalloc(1, sizeof *r);
			r->id = (int)id->valuedouble;
			m->rows[m->nrows++] = r;
			added = true;
		}
		r->seen = true;
		monit_row_fill(r, obj, history);
	}
	for (i = n = 0; i < m->nrows; i++) {
		if (m->rows[i]->seen)
			m->rows[n++] = m->rows[i];
		else
			monit_row_free(m->rows[i]);
	}
	m->nrows = n;
	if (added)
		qsort(m->rows, m->nrows, sizeof *m->rows, monit_row_cmp_id);
	monit_model_refresh(m);
}

/* --- the view: filter, sort, selection ---------------------------- */

static int
monit_cmp_num(double a, double b)
{
	if (isnan(a))
		a = -1;
	if (isnan(b))
		b = -1;
	return ((a < b) - (a > b));	/* descending */
}

static int
monit_row_cmp(const void *a, const void *b, void *arg)
{
	const struct monit_row	*x = *(struct monit_row *const *)a;
	const struct monit_row	*y = *(struct monit_row *const *)b;
	enum monit_sort		 sort = *(const enum monit_sort *)arg;
	int			 c = 0;

	switch (sort) {
	case MONIT_SORT_CPU:
		c = monit_cmp_num(x->cpu, y->cpu);
		break;
	case MONIT_SORT_MEMORY:
		c = monit_cmp_num((double)x->memory, (double)y->memory);
		break;
	case MONIT_SORT_RESTARTS:
		c = monit_cmp_num(x->restarts, y->restarts);
		break;
	case MONIT_SORT_ID:
	case MONIT_SORT_COUNT:
		break;
	}
	if (c == 0)
		c = (x->id > y->id) - (x->id < y->id);
	return (c);
}

/*
 * Rebuild the view after new data or a new sort or filter.  The
 * selection follows its proc; when that proc is gone (or filtered out)
 * it stays on the same line, now another proc.
 */
void
monit_model_refresh(struct monit_model *m)
{
	size_t	 i, n = 0;

	m->view = xreallocarray(m->view, m->nrows + 1, sizeof *m->view);
	for (i = 0; i < m->nrows; i++) {
		if (m->filter[0] != '\0' &&
		    strcasestr(m->rows[i]->name, m->filter) == NULL)
			continue;
		m->view[n++] = m->rows[i];
	}
	m->nview = n;
	qsort_r(m->view, n, sizeof *m->view, monit_row_cmp, &m->sort);
	for (i = 0; i < n; i++) {
		if (m->view[i]->id == m->selected) {
			m->cursor = i;
			return;
		}
	}
	if (n == 0) {
		m->cursor = 0;
		m->selected = -1;
		return;
	}
	if (m->cursor >= n)
		m->cursor = n - 1;
	m->selected = m->view[m->cursor]->id;
}

void
monit_model_move(struct monit_model *m, long delta)
{
	long	 c;

	if (m->nview == 0)
		return;
	c = (long)m->cursor + delta;
	if (c < 0)
		c = 0;
	if (c >= (long)m->nview)
		c = (long)m->nview - 1;
	m->cursor = (size_t)c;
	m->selected = m->view[m->cursor]->id;
}

/* Keep the selection on screen in a list of height lines. */
void
monit_model_scroll(struct monit_model *m, size_t height)
{
	if (height == 0)
		return;
	if (m->cursor < m->top)
		m->top = m->cursor;
	if (m->cursor >= m->top + height)
		m->top = m->cursor - height + 1;
	if (m->top + height > m->nview)
		m->top = m->nview > height ? m->nview - height : 0;
}

struct monit_row *
monit_model_selected(const struct monit_model *m)
{
	if (m->nview == 0 || m->cursor >= m->nview)
		return (NULL);
	return (m->view[m->cursor]);
}

bool
monit_row_running(const struct monit_row *r)
{
	return (strcmp(r->status, "stopped") != 0 &&
	    strcmp(r->status, "errored") != 0);
}

/* --- logs ------------------------------------------------------------ */

/* A "log" event: keep it, dropping the oldest line when full. */
void
monit_model_add_log(struct monit_model *m, const cJSON *ev)
{
	struct monit_log	*l;
	const char		*line = monit_str(ev, "line");
	const char		*name = monit_str(ev, "name");
	const char		*stream = monit_str(ev, "stream");

	if (line == NULL || name == NULL)
		return;
	l = &m->logs[m->loghead];
	monit_log_clear(l);
	l->proc = (int)monit_num(ev, "proc", -1);
	l->name = xstrdup(name);
	l->instance = (int)monit_num(ev, "instance", 0);
	l->err = stream != NULL && strcmp(stream, "err") == 0;
	l->time = monit_u64(monit_num(ev, "time", 0));
	l->line = xstrdup(line);
	m->loghead = (m->loghead + 1) % MONIT_LOG_LINES;
	if (m->nlogs < MONIT_LOG_LINES)
		m->nlogs++;
}

/*
 * Lines from before we connected (the tails of the log files), oldest
 * first: they go before every line the daemon has pushed so far.  Takes
 * the strings of past[]; the oldest are dropped when they do not fit.
 */
void
monit_model_add_past(struct monit_model *m, struct monit_log *past, size_t n)
{
	struct monit_log	*now;
	size_t			 i, k, skip;

	now = xcalloc(m->nlogs + 1, sizeof *now);
	for (i = 0; i < m->nlogs; i++)		/* oldest first */
		now[i] = m->logs[(m->loghead + MONIT_LOG_LINES - m->nlogs +
		    i) % MONIT_LOG_LINES];
	k = m->nlogs;
	memset(m->logs, 0, sizeof m->logs);
	m->loghead = m->nlogs = 0;
	skip = n + k > MONIT_LOG_LINES ? n + k - MONIT_LOG_LINES : 0;
	for (i = 0; i < n; i++) {
		if (i < skip) {
			monit_log_clear(&past[i]);
			continue;
		}
		past[i].past = true;
		m->logs[m->nlogs++] = past[i];
	}
	for (i = 0; i < k; i++)
		m->logs[m->nlogs++] = now[i];
	m->loghead = m->nlogs % MONIT_LOG_LINES;
	free(now);
}

/* The line back lines before the newest (0: the newest), or NULL. */
const struct monit_log *
monit_model_log_at(const struct monit_model *m, size_t back)
{
	if (back >= m->nlogs)
		return (NULL);
	return (&m->logs[(m->loghead + MONIT_LOG_LINES - 1 - back) %
	    MONIT_LOG_LINES]);
}
