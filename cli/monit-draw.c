/*
 * monit-draw: the dashboard's screen, drawn from the model.
 *
 * Every frame is drawn in full into stdscr after erase(), then sent with
 * wnoutrefresh() and doupdate(): ncurses compares the frame with what
 * the terminal shows and sends only the cells that changed, so a
 * refresh every second does not flicker (clear() would repaint it all).
 *
 *   title            what runs, the sort, the filter, the daemon
 *   column header
 *   process list     scrolls; the selection is one highlighted line
 *   details | logs   side by side on a wide screen, stacked otherwise
 *   status line      the last action's result, a question, or the keys
 *
 * Text from apps (names, commands, log lines) goes through monit_put,
 * which clips it to the columns it may use, counting the width of each
 * UTF-8 character, and shows control bytes and invalid UTF-8 as '?'.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#define _GNU_SOURCE
#include <curses.h>
#include <langinfo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#include "monit.h"

#define MONIT_DETAILS_LINES	8
#define MONIT_DETAILS_WIDE	50	/* details pane width, side by side */
#define MONIT_WIDE_COLS		100	/* side by side from this width */
#define MONIT_LABEL_WIDTH	9

enum {
	MONIT_PAIR_TITLE = 1,
	MONIT_PAIR_HEADER,
	MONIT_PAIR_SELECTED,
	MONIT_PAIR_GREEN,
	MONIT_PAIR_YELLOW,
	MONIT_PAIR_RED,
	MONIT_PAIR_CYAN,
	MONIT_PAIR_BLUE,
};

void
monit_theme_init(struct monit_theme *t)
{
	const char	*nc = getenv("NO_COLOR");
	int		*a = t->attr;

	memset(t, 0, sizeof *t);
	t->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	/* no-color.org: set and not empty means no colour. */
	t->colour = has_colors() && (nc == NULL || *nc == '\0');
	a[MONIT_A_NORMAL] = A_NORMAL;
	if (!t->colour) {
		a[MONIT_A_TITLE] = A_REVERSE | A_BOLD;
		a[MONIT_A_HEADER] = A_BOLD | A_UNDERLINE;
		a[MONIT_A_SELECTED] = A_REVERSE;
		a[MONIT_A_DIM] = A_DIM;
		a[MONIT_A_GOOD] = A_NORMAL;
		a[MONIT_A_WARN] = A_BOLD;
		a[MONIT_A_BAD] = A_BOLD | A_UNDERLINE;
		a[MONIT_A_ERRLINE] = A_BOLD;
		a[MONIT_A_LABEL] = A_BOLD;
		return;
	}
	start_color();
	use_default_colors();
	init_pair(MONIT_PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
	init_pair(MONIT_PAIR_HEADER, COLOR_BLACK, COLOR_GREEN);
	init_pair(MONIT_PAIR_SELECTED, COLOR_BLACK, COLOR_CYAN);
	init_pair(MONIT_PAIR_GREEN, COLOR_GREEN, -1);
	init_pair(MONIT_PAIR_YELLOW, COLOR_YELLOW, -1);
	init_pair(MONIT_PAIR_RED, COLOR_RED, -1);
	init_pair(MONIT_PAIR_CYAN, COLOR_CYAN, -1);
	init_pair(MONIT_PAIR_BLUE, COLOR_BLUE, -1);
	a[MONIT_A_TITLE] = COLOR_PAIR(MONIT_PAIR_TITLE);
	a[MONIT_A_HEADER] = COLOR_PAIR(MONIT_PAIR_HEADER);
	a[MONIT_A_SELECTED] = COLOR_PAIR(MONIT_PAIR_SELECTED);
	a[MONIT_A_DIM] = COLOR_PAIR(MONIT_PAIR_BLUE) | A_BOLD;
	a[MONIT_A_GOOD] = COLOR_PAIR(MONIT_PAIR_GREEN);
	a[MONIT_A_WARN] = COLOR_PAIR(MONIT_PAIR_YELLOW);
	a[MONIT_A_BAD] = COLOR_PAIR(MONIT_PAIR_RED) | A_BOLD;
	a[MONIT_A_ERRLINE] = COLOR_PAIR(MONIT_PAIR_RED);
	a[MONIT_A_LABEL] = COLOR_PAIR(MONIT_PAIR_CYAN);
}

int
monit_status_attr(const struct monit_theme *t, const char *status)
{
	if (strcmp(status, "online") == 0)
		return (t->attr[MONIT_A_GOOD]);
	if (strcmp(status, "errored") == 0)
		return (t->attr[MONIT_A_BAD]);
	if (strcmp(status, "stopped") == 0)
		return (t->attr[MONIT_A_DIM]);
	return (t->attr[MONIT_A_WARN]);
}

/*
 * Draw s at (y, x) in at most maxcols screen columns.  Each character
 * counts for its display width; a control character, an unprintable one
 * or a byte that is not UTF-8 shows as '?', a tab as a blank.
 */
void
monit_put(int y, int x, const char *s, int maxcols)
{
	wchar_t		 buf[512];
	mbstate_t	 st;
	const char	*p = s, *end = s + strlen(s);
	size_t		 n = 0, r;
	wchar_t		 wc;
	int		 cols = 0, w;

	memset(&st, 0, sizeof st);
	while (p < end && n < sizeof buf / sizeof buf[0] - 1) {
		r = mbrtowc(&wc, p, (size_t)(end - p), &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			memset(&st, 0, sizeof st);
			wc = L'?';
			r = 1;
		}
		p += r;
		if (wc == L'\t')
			wc = L' ';
		if (!iswprint((wint_t)wc))
			wc = L'?';
		if ((w = wcwidth(wc)) < 0) {
			wc = L'?';
			w = 1;
		}
		if (cols + w > maxcols)
			break;
		buf[n++] = wc;
		cols += w;
	}
	buf[n] = L'\0';
	if (n > 0)
		mvaddnwstr(y, x, buf, (int)n);
}

/* [|||||     ] in w columns; the bar turns yellow, then red. */
void
monit_bar(const struct monit_theme *t, int y, int x, int w, double frac)
{
	int	 inner = w - 2, fill, i, attr;

	if (inner < 1)
		return;
	if (isnan(frac) || frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	fill = (int)lround(frac * inner);
	if (fill == 0 && frac > 0)
		fill = 1;	/* something, however little */
	attr = frac < 0.6 ? t->attr[MONIT_A_GOOD] : frac < 0.85 ?
	    t->attr[MONIT_A_WARN] : t->attr[MONIT_A_BAD];
	attron(t->attr[MONIT_A_DIM]);
	mvaddch(y, x, '[');
	mvaddch(y, x + w - 1, ']');
	attroff(t->attr[MONIT_A_DIM]);
	attron(attr);
	for (i = 0; i < fill; i++)
		mvaddch(y, x + 1 + i, '|');
	attroff(attr);
}

/* The last w values of a ring as a sparkline scaled to [lo, hi]. */
static void
monit_spark(const struct monit_theme *t, int y, int x, int w,
    const double *ring, unsigned head, unsigned len, double lo, double hi)
{
	static const wchar_t	 blocks[] = L"\x2581\x2582\x2583\x2584"
	    L"\x2585\x2586\x2587\x2588";
	static const char	 ascii[] = "_.-=+*#@";
	unsigned		 n = len < (unsigned)w ? len : (unsigned)w, i;
	double			 v;
	int			 level;
	wchar_t			 wc[2] = { 0, 0 };

	attron(t->attr[MONIT_A_LABEL]);
	for (i = 0; i < n; i++) {
		v = ring[(head + MONIT_HISTORY - n + i) % MONIT_HISTORY];
		if (isnan(v)) {
			mvaddch(y, x + (int)i, ' ');
			continue;
		}
		level = hi > lo ? (int)((v - lo) / (hi - lo) * 7.0 + 0.5) : 0;
		if (level < 0)
			level = 0;
		if (level > 7)
			level = 7;
		if (t->utf8) {
			wc[0] = blocks[level];
			mvaddnwstr(y, x + (int)i, wc, 1);
		} else
			mvaddch(y, x + (int)i, (chtype)ascii[level]);
	}
	attroff(t->attr[MONIT_A_LABEL]);
}

/* The smallest and largest of the len values before head. */
static void
monit_ring_range(const double *ring, unsigned head, unsigned len,
    double *lo, double *hi)
{
	unsigned	 i;
	double		 v;

	*lo = *hi = NAN;
	for (i = 0; i < len; i++) {
		v = ring[(head + MONIT_HISTORY - 1 - i) % MONIT_HISTORY];
		if (isnan(v))
			continue;
		if (isnan(*lo) || v < *lo)
			*lo = v;
		if (isnan(*hi) || v > *hi)
			*hi = v;
	}
	if (isnan(*lo))
		*lo = *hi = 0;
}

/* A whole line in one attribute (title bars, the selection). */
static void
monit_fill(int y, int attr)
{
	mvchgat(y, 0, -1, (attr_t)(attr & ~A_COLOR), PAIR_NUMBER(attr), NULL);
}

/* --- title, header, list --------------------------------------------- */

static void
monit_draw_title(const struct monit_screen *sc)
{
	const struct monit_model	*m = sc->model;
	char				 buf[256], right[96];
	size_t				 i, online = 0;
	int				 rw, attr;

	for (i = 0; i < m->nrows; i++)
		online += strcmp(m->rows[i]->status, "online") == 0;
	snprintf(buf, sizeof buf, " procman monit   %zu proc%s, %zu online"
	    "   sort: %s%s%s", m->nrows, m->nrows == 1 ? "" : "s", online,
	    monit_sort_name(m->sort), m->filter[0] != '\0' ?
	    "   filter: " : "", m->filter);
	if (sc->connected)
		snprintf(right, sizeof right, "procmand pid %ld ",
		    sc->daemon_pid);
	else
		snprintf(right, sizeof right, "procmand is not running; "
		    "reconnecting ");
	monit_put(0, 0, buf, COLS);
	monit_fill(0, sc->theme->attr[MONIT_A_TITLE]);
	rw = (int)strlen(right);
	if (rw < COLS - (int)strlen(buf)) {
		attr = sc->connected ? sc->theme->attr[MONIT_A_TITLE] :
		    sc->theme->attr[MONIT_A_BAD] | (int)A_REVERSE;
		attron(attr);
		mvaddstr(0, COLS - rw, right);
		attroff(attr);
	}
}

static void
monit_draw_header(const struct monit_screen *sc, int y, const int *widths)
{
	const char	*title;
	size_t		 i;
	int		 x = 0, n;

	for (i = 0; i < monit_ncolumns && x < COLS; i++) {
		title = monit_columns[i].title;
		if (!sc->theme->utf8 && (unsigned char)title[0] >= 0x80)
			title = "RS";
		/* A non-ASCII title is one character in one column. */
		n = (unsigned char)title[0] >= 0x80 ? 1 : (int)strlen(title);
		monit_put(y, monit_columns[i].right ? x + widths[i] - n : x,
		    title, COLS - x);
		x += widths[i] + 1;
	}
	monit_fill(y, sc->theme->attr[MONIT_A_HEADER]);
}

static void
monit_draw_list(const struct monit_screen *sc, int y0, int height,
    const int *widths)
{
	struct monit_model	*m = sc->model;
	const struct monit_row	*r;
	size_t			 i, c;
	int			 y, x;

	if (m->nview == 0) {
		attron(sc->theme->attr[MONIT_A_DIM]);
		mvaddstr(y0, 1, m->nrows == 0 ? (sc->connected ?
		    "no apps: start some with procman start" : "") :
		    "no app matches the filter");
		attroff(sc->theme->attr[MONIT_A_DIM]);
		return;
	}
	for (i = m->top; i < m->nview && (int)(i - m->top) < height; i++) {
		r = m->view[i];
		y = y0 + (int)(i - m->top);
		for (c = 0, x = 0; c < monit_ncolumns && x < COLS; c++) {
			monit_columns[c].draw(sc->theme, r, y, x,
			    widths[c] < COLS - x ? widths[c] : COLS - x);
			x += widths[c] + 1;
		}
		if (i == m->cursor)
			monit_fill(y, sc->theme->attr[MONIT_A_SELECTED] |
			    A_BOLD);
		else if (!sc->connected)	/* the figures are stale */
			monit_fill(y, sc->theme->attr[MONIT_A_DIM]);
	}
}

/* --- details ------------------------------------------------------------ */

static void
monit_label(const struct monit_theme *t, int y, int x, const char *label)
{
	attron(t->attr[MONIT_A_LABEL]);
	mvaddstr(y, x, label);
	attroff(t->attr[MONIT_A_LABEL]);
}

/* "3m ago" for a unix ms time. */
static void
monit_ago(uint64_t at, char *buf, size_t len)
{
	struct timespec	 ts;
	uint64_t	 now;

	clock_gettime(CLOCK_REALTIME, &ts);
	now = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	monit_format_duration(now > at ? now - at : 0, buf, len);
}

static void
monit_detail_line(const struct monit_theme *t, int y, int x, int w,
    const char *label, const char *text)
{
	if (w <= MONIT_LABEL_WIDTH)
		return;
	monit_label(t, y, x, label);
	monit_put(y, x + MONIT_LABEL_WIDTH, text, w - MONIT_LABEL_WIDTH);
}

static void
monit_detail_spark(const struct monit_theme *t, int y, int x, int w,
    const char *label, const double *ring, const struct monit_row *r,
    double lo, double hi, const char *now)
{
	int	 sw = w - MONIT_LABEL_WIDTH - 8;

	if (sw < 4)
		return;
	monit_label(t, y, x, label);
	monit_spark(t, y, x + MONIT_LABEL_WIDTH, sw, ring, r->hhead, r->hlen,
	    lo, hi);
	monit_put(y, x + MONIT_LABEL_WIDTH + (r->hlen < (unsigned)sw ?
	    (int)r->hlen : sw) + 1, now, 7);
}

typedef void (*monit_detail_fn)(const struct monit_theme *,
    const struct monit_row *, int y, int x, int w);

static void
monit_detail_title(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	char	 buf[160];
	int	 cy, cx;

	snprintf(buf, sizeof buf, "%s-%d  ", r->name, r->instance);
	attron(A_BOLD);
	monit_put(y, x, buf, w);
	attroff(A_BOLD);
	getyx(stdscr, cy, cx);
	snprintf(buf, sizeof buf, "id %d  ", r->id);
	if (cy == y && cx - x + (int)strlen(buf) + 15 < w) {
		monit_put(y, cx, buf, w);
		attron(monit_status_attr(t, r->status));
		addstr(r->status);
		attroff(monit_status_attr(t, r->status));
	}
}

static void
monit_detail_exec(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	monit_detail_line(t, y, x, w, "exec", r->command);
}

static void
monit_detail_cwd(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	monit_detail_line(t, y, x, w, "cwd", r->cwd != NULL ? r->cwd : "");
}

static void
monit_detail_pid(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	char	 buf[160], up[32];

	if (r->pid != 0) {
		monit_format_duration(r->uptime_ms, up, sizeof up);
		snprintf(buf, sizeof buf, "%ld, up %s, %d process%s", r->pid,
		    up, r->processes, r->processes == 1 ? "" : "es");
	} else
		snprintf(buf, sizeof buf, "not running");
	monit_detail_line(t, y, x, w, "pid", buf);
}

static void
monit_detail_restarts(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	char	 buf[512], ago[32];

	if (r->spawn_error != NULL)
		snprintf(buf, sizeof buf, "%d; %s", r->restarts,
		    r->spawn_error);
	else if (r->reason != NULL) {
		monit_ago(r->reason_at, ago, sizeof ago);
		snprintf(buf, sizeof buf, "%d; last: %s (%s ago)", r->restarts,
		    r->reason, ago);
	} else
		snprintf(buf, sizeof buf, "%d", r->restarts);
	monit_detail_line(t, y, x, w, "restarts", buf);
}

static void
monit_detail_memory(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	char	 buf[160], now[32], max[32];

	monit_format_size(r->memory, now, sizeof now);
	if (r->max_memory > 0) {
		monit_format_size(r->max_memory, max, sizeof max);
		snprintf(buf, sizeof buf, "%s of %s (max_memory_restart)",
		    r->pid != 0 ? now : "-", max);
	} else
		snprintf(buf, sizeof buf, "%s, no limit",
		    r->pid != 0 ? now : "-");
	monit_detail_line(t, y, x, w, "memory", buf);
}

/* From 0 to the peak, at least 5%: an idle app should look idle. */
static void
monit_detail_cpu_spark(const struct monit_theme *t,
    const struct monit_row *r, int y, int x, int w)
{
	char	 now[32];
	double	 lo, hi;

	monit_ring_range(r->hcpu, r->hhead, r->hlen, &lo, &hi);
	monit_format_cpu(r, now, sizeof now);
	monit_detail_spark(t, y, x, w, "cpu", r->hcpu, r, 0, hi < 5 ? 5 : hi,
	    now);
}

/*
 * From the lowest to the highest: what matters is the trend (a leak
 * climbs), and the figure beside it gives the size.  A range under 10%
 * of the peak is drawn around the middle, so steady memory looks
 * steady rather than full or empty.
 */
static void
monit_detail_mem_spark(const struct monit_theme *t,
    const struct monit_row *r, int y, int x, int w)
{
	char	 now[32];
	double	 lo, hi, mid;

	monit_ring_range(r->hmem, r->hhead, r->hlen, &lo, &hi);
	if (hi - lo < hi * 0.1) {
		mid = (hi + lo) / 2;
		lo = mid - hi * 0.05;
		hi = mid + hi * 0.05;
	}
	monit_format_size(r->memory, now, sizeof now);
	monit_detail_spark(t, y, x, w, "mem", r->hmem, r, lo, hi,
	    r->pid != 0 ? now : "-");
}

/* The details pane, one function per line, as many as fit. */
static const monit_detail_fn monit_details[MONIT_DETAILS_LINES] = {
	monit_detail_title,
	monit_detail_exec,
	monit_detail_cwd,
	monit_detail_pid,
	monit_detail_restarts,
	monit_detail_memory,
	monit_detail_cpu_spark,
	monit_detail_mem_spark,
};

static void
monit_draw_details(const struct monit_screen *sc, int y, int x, int w,
    int h)
{
	const struct monit_row	*r = monit_model_selected(sc->model);
	int			 i;

	for (i = 0; r != NULL && i < h && i < MONIT_DETAILS_LINES; i++)
		monit_details[i](sc->theme, r, y + i, x, w);
}

/* --- logs ------------------------------------------------------------- */

static bool
monit_log_wanted(const struct monit_model *m, const struct monit_log *l,
    const struct monit_row *sel)
{
	if (m->log_all)
		return (true);
	return (sel != NULL && strcmp(l->name, sel->name) == 0);
}

/* One line; with who, the app and instance that wrote it first. */
static void
monit_draw_log_line(const struct monit_screen *sc, const struct monit_log *l,
    bool who, int y, int x, int w)
{
	const struct monit_theme *t = sc->theme;
	char			 buf[160];
	struct tm		 tm;
	time_t			 secs = (time_t)(l->time / 1000);
	int			 used = 0, attr;

	if (w >= 60 && (l->past || localtime_r(&secs, &tm) != NULL)) {
		/* A line from the file has no time: keep the column. */
		if (l->past)
			snprintf(buf, sizeof buf, "%9s", "");
		else
			strftime(buf, sizeof buf, "%H:%M:%S ", &tm);
		attron(t->attr[MONIT_A_DIM]);
		mvaddstr(y, x, buf);
		attroff(t->attr[MONIT_A_DIM]);
		used += (int)strlen(buf);
	}
	/* Without colour, "!" tells standard error apart. */
	buf[0] = '\0';
	if (who && l->instance < 0)	/* merge_logs */
		snprintf(buf, sizeof buf, "%s%s ", l->name,
		    l->err && !t->colour ? "!" : "");
	else if (who)
		snprintf(buf, sizeof buf, "%s-%d%s ", l->name, l->instance,
		    l->err && !t->colour ? "!" : "");
	else if (l->err && !t->colour)
		snprintf(buf, sizeof buf, "! ");
	if (buf[0] != '\0') {
		attron(t->attr[MONIT_A_LABEL]);
		monit_put(y, x + used, buf, w - used);
		attroff(t->attr[MONIT_A_LABEL]);
		used += (int)strlen(buf);
	}
	if (used >= w)
		return;
	attr = l->err ? t->attr[MONIT_A_ERRLINE] : l->past ?
	    t->attr[MONIT_A_DIM] : t->attr[MONIT_A_NORMAL];
	attron(attr);
	monit_put(y, x + used, l->line, w - used);
	attroff(attr);
}

/* The newest lines that fit, oldest at the top. */
static void
monit_draw_logs(const struct monit_screen *sc, int y, int x, int w, int h)
{
	const struct monit_model *m = sc->model;
	const struct monit_row	*sel = monit_model_selected(m);
	const struct monit_log	*l, *shown[256];
	size_t			 back, n = 0, i, same = 0;
	bool			 who;

	if (h <= 0 || w <= 0)
		return;
	/* Name the writer unless the lines are all from one process. */
	for (i = 0; sel != NULL && i < m->nrows; i++)
		same += strcmp(m->rows[i]->name, sel->name) == 0;
	who = m->log_all || same > 1;
	if (h > (int)(sizeof shown / sizeof shown[0]))
		h = (int)(sizeof shown / sizeof shown[0]);
	for (back = 0; (int)n < h && (l = monit_model_log_at(m, back)) !=
	    NULL; back++)
		if (monit_log_wanted(m, l, sel))
			shown[n++] = l;
	if (n == 0) {
		attron(sc->theme->attr[MONIT_A_DIM]);
		monit_put(y, x, m->log_all ? "no lines yet" : sel == NULL ?
		    "" : "no lines from this app yet (l: all apps)", w);
		attroff(sc->theme->attr[MONIT_A_DIM]);
		return;
	}
	while (n > 0) {
		n--;
		monit_draw_log_line(sc, shown[n], who, y++, x, w);
	}
}

/* ─ title ─────  across w columns. */
static void
monit_rule(const struct monit_theme *t, int y, int x, int w,
    const char *title)
{
	int	 i;

	attron(t->attr[MONIT_A_DIM]);
	for (i = 0; i < w; i++)
		mvaddch(y, x + i, ACS_HLINE);
	attroff(t->attr[MONIT_A_DIM]);
	if (w > 6) {
		mvaddch(y, x + 1, ' ');
		attron(A_BOLD);
		monit_put(y, x + 2, title, w - 4);
		attroff(A_BOLD);
		addch(' ');
	}
}

static void
monit_draw_bottom(const struct monit_screen *sc, int y, int h)
{
	const struct monit_row	*sel = monit_model_selected(sc->model);
	char			 dt[128], lt[128];
	int			 dw, i, dh;

	if (sel != NULL)
		snprintf(dt, sizeof dt, "details: %s-%d", sel->name,
		    sel->instance);
	else
		snprintf(dt, sizeof dt, "details");
	if (sc->model->log_all)
		snprintf(lt, sizeof lt, "logs: all apps (l: %s)", sel != NULL ?
		    sel->name : "selected app");
	else
		snprintf(lt, sizeof lt, "logs: %s (l: all apps)", sel != NULL ?
		    sel->name : "-");
	if (h < 2)
		return;
	if (COLS >= MONIT_WIDE_COLS) {
		dw = MONIT_DETAILS_WIDE;
		monit_rule(sc->theme, y, 0, dw, dt);
		monit_rule(sc->theme, y, dw + 1, COLS - dw - 1, lt);
		attron(sc->theme->attr[MONIT_A_DIM]);
		mvaddch(y, dw, ACS_TTEE);
		for (i = 1; i < h; i++)
			mvaddch(y + i, dw, ACS_VLINE);
		attroff(sc->theme->attr[MONIT_A_DIM]);
		monit_draw_details(sc, y + 1, 1, dw - 2, h - 1);
		monit_draw_logs(sc, y + 1, dw + 2, COLS - dw - 3, h - 1);
		return;
	}
	dh = h - 1 < MONIT_DETAILS_LINES ? h - 1 : MONIT_DETAILS_LINES;
	monit_rule(sc->theme, y, 0, COLS, dt);
	monit_draw_details(sc, y + 1, 1, COLS - 2, dh);
	if (h - 1 - dh < 2)
		return;
	monit_rule(sc->theme, y + 1 + dh, 0, COLS, lt);
	monit_draw_logs(sc, y + 2 + dh, 1, COLS - 2, h - 2 - dh);
}

/* --- status line, help ------------------------------------------------ */

static void
monit_draw_status(const struct monit_screen *sc)
{
	const struct monit_theme *t = sc->theme;
	int			 y = LINES - 1;

	if (sc->prompt != NULL) {
		attron(A_BOLD);
		monit_put(y, 0, sc->prompt, COLS - 1);
		attroff(A_BOLD);
		return;
	}
	if (sc->status != NULL) {
		attron(sc->status_error ? t->attr[MONIT_A_BAD] :
		    t->attr[MONIT_A_GOOD]);
		monit_put(y, 0, sc->status, COLS - 1);
		attroff(sc->status_error ? t->attr[MONIT_A_BAD] :
		    t->attr[MONIT_A_GOOD]);
		return;
	}
	attron(t->attr[MONIT_A_DIM]);
	monit_put(y, 0, "j/k select  r restart  s stop  S start  d delete  "
	    "l logs  / filter  </> sort  ? help  q quit", COLS - 1);
	attroff(t->attr[MONIT_A_DIM]);
}

static const char *const monit_help_lines[] = {
	"procman monit: keys",
	"",
	"Up, Down, j, k   select a process",
	"PgUp, PgDn       a page up or down",
	"Home, End, g, G  the first or the last process",
	"r                restart the selected process",
	"s                stop it",
	"S                start it (when stopped or errored)",
	"d                delete it (asks y/n)",
	"l                log pane: the selected app or all apps",
	"/                filter by name (Enter keeps, Esc clears)",
	"F6, >            sort by the next key: id, cpu, memory,",
	"<                restarts; or by the previous one",
	"?, h, F1         this help",
	"q, F10, Ctrl-C   quit",
	"",
	"Any key closes this help.",
};

static void
monit_draw_help(const struct monit_screen *sc)
{
	size_t	 n = sizeof monit_help_lines / sizeof monit_help_lines[0], i;
	int	 w = 62, h = (int)n + 2, y0, x0, y;

	if (w > COLS)
		w = COLS;
	if (h > LINES)
		h = LINES;
	y0 = (LINES - h) / 2;
	x0 = (COLS - w) / 2;
	for (y = 0; y < h; y++) {
		move(y0 + y, x0);
		hline(' ', w);
	}
	attron(sc->theme->attr[MONIT_A_LABEL]);
	mvaddch(y0, x0, ACS_ULCORNER);
	mvhline(y0, x0 + 1, ACS_HLINE, w - 2);
	mvaddch(y0, x0 + w - 1, ACS_URCORNER);
	mvvline(y0 + 1, x0, ACS_VLINE, h - 2);
	mvvline(y0 + 1, x0 + w - 1, ACS_VLINE, h - 2);
	mvaddch(y0 + h - 1, x0, ACS_LLCORNER);
	mvhline(y0 + h - 1, x0 + 1, ACS_HLINE, w - 2);
	mvaddch(y0 + h - 1, x0 + w - 1, ACS_LRCORNER);
	attroff(sc->theme->attr[MONIT_A_LABEL]);
	for (i = 0; i < n && (int)i < h - 2; i++) {
		if (i == 0)
			attron(A_BOLD);
		monit_put(y0 + 1 + (int)i, x0 + 2, monit_help_lines[i], w - 4);
		if (i == 0)
			attroff(A_BOLD);
	}
}

/* --- the frame ---------------------------------------------------------- */

/*
 * How many lines the list gets: every proc when they fit, but at most
 * half the screen, so that the details and logs keep room.
 */
static int
monit_list_height(const struct monit_model *m, int avail)
{
	int	 want = m->nview > 0 ? (int)m->nview : 1;
	int	 bottom = COLS >= MONIT_WIDE_COLS ? 10 : 16;
	int	 max = avail - bottom;

	if (max > avail / 2)
		max = avail / 2;
	if (max < 3)
		max = avail < 3 ? avail : 3;
	return (want < max ? want : max);
}

/* Draw a frame and send it.  Returns the list's height (for PgUp/PgDn). */
size_t
monit_draw(const struct monit_screen *sc)
{
	int	 widths[16], avail = LINES - 3, lh;

	erase();
	if (LINES < 6 || COLS < 30) {
		mvaddstr(0, 0, "terminal too small");
		wnoutrefresh(stdscr);
		doupdate();
		return (1);
	}
	monit_columns_layout(COLS, widths);
	lh = monit_list_height(sc->model, avail);
	monit_model_scroll(sc->model, (size_t)lh);
	monit_draw_title(sc);
	monit_draw_header(sc, 1, widths);
	monit_draw_list(sc, 2, lh, widths);
	monit_draw_bottom(sc, 2 + lh, avail - lh);
	monit_draw_status(sc);
	if (sc->help)
		monit_draw_help(sc);
	if (sc->prompt != NULL) {
		curs_set(1);
		move(LINES - 1, (int)strlen(sc->prompt) < COLS - 1 ?
		    (int)strlen(sc->prompt) : COLS - 1);
	} else
		curs_set(0);
	wnoutrefresh(stdscr);
	doupdate();
	return ((size_t)lh);
}
