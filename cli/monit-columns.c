/*
 * monit-columns: the columns of the process list, as data.
 *
 * Like htop's Process_fields, each column is one row of a table: its
 * title, the width it needs, how much wider it may grow when the
 * terminal has room, and the function that draws one cell.  The layout
 * gives every column its width, then shares what is left among the
 * columns that can grow (the name, and the cpu and memory bars), so the
 * same table fills 80 columns or 200.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "monit.h"

#define MONIT_CPU_TEXT	6	/* "100.0%" */
#define MONIT_MEM_TEXT	6	/* "1023M" plus a blank */

/* Indexes into monit_columns[], for the layout. */
#define MONIT_COL_NAME	1
#define MONIT_COL_CPU	5
#define MONIT_COL_MEM	6

void
monit_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char	 units[] = "KMGT";
	double			 v = (double)bytes;
	int			 u = -1;

	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%lluB", (unsigned long long)bytes);
	else if (v < 100)
		snprintf(buf, len, "%.1f%c", v, units[u]);
	else
		snprintf(buf, len, "%.0f%c", v, units[u]);
}

/* "45s", "12m", "3h05m", "2d03h": short, and precise enough. */
void
monit_format_duration(uint64_t ms, char *buf, size_t len)
{
	uint64_t	 s = ms / 1000;

	if (s < 60)
		snprintf(buf, len, "%llus", (unsigned long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%llum", (unsigned long long)(s / 60));
	else if (s < 86400)
		snprintf(buf, len, "%lluh%02llum",
		    (unsigned long long)(s / 3600),
		    (unsigned long long)(s % 3600 / 60));
	else
		snprintf(buf, len, "%llud%02lluh",
		    (unsigned long long)(s / 86400),
		    (unsigned long long)(s % 86400 / 3600));
}

/* "12.5%"; "-" when not running; "n/a" before the second sample. */
void
monit_format_cpu(const struct monit_row *r, char *buf, size_t len)
{
	if (r->pid == 0)
		snprintf(buf, len, "-");
	else if (isnan(r->cpu))
		snprintf(buf, len, "n/a");
	else if (r->cpu >= 1000)
		snprintf(buf, len, "%.0f%%", r->cpu);
	else
		snprintf(buf, len, "%.1f%%", r->cpu);
}

/* Right-align text in w columns at (y, x). */
static void
monit_right(int y, int x, int w, const char *s)
{
	int	 n = (int)strlen(s);

	if (n > w)
		n = w;
	mvaddnstr(y, x + w - n, s, n);
}

static void
monit_col_id(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	char	 buf[16];

	(void)t;
	snprintf(buf, sizeof buf, "%d", r->id);
	monit_right(y, x, w, buf);
}

static void
monit_col_name(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	(void)t;
	monit_put(y, x, r->name, w);
}

static void
monit_col_instance(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	char	 buf[16];

	(void)t;
	snprintf(buf, sizeof buf, "%d", r->instance);
	monit_right(y, x, w, buf);
}

static void
monit_col_status(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	const char	*s = r->status;

	/* The one status longer than the column; the details say it all. */
	if (strcmp(s, "waiting-restart") == 0)
		s = "waiting";
	attron(monit_status_attr(t, r->status));
	mvaddnstr(y, x, s, w);
	attroff(monit_status_attr(t, r->status));
}

static void
monit_col_pid(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	char	 buf[24];

	(void)t;
	if (r->pid == 0)
		snprintf(buf, sizeof buf, "-");
	else
		snprintf(buf, sizeof buf, "%ld", r->pid);
	monit_right(y, x, w, buf);
}

/* The figure, then a bar in whatever width is left. */
static void
monit_col_cpu(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	char	 buf[24];

	monit_format_cpu(r, buf, sizeof buf);
	monit_right(y, x, MONIT_CPU_TEXT, buf);
	if (w - MONIT_CPU_TEXT >= 4)
		monit_bar(t, y, x + MONIT_CPU_TEXT + 1, w - MONIT_CPU_TEXT - 1,
		    r->pid == 0 || isnan(r->cpu) ? 0 : r->cpu / 100.0);
}

static uint64_t
monit_physical_memory(void)
{
	long	 pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	return (pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : 0);
}

/* Against max_memory_restart when there is one, else the machine's. */
static void
monit_col_memory(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	char		 buf[24];
	uint64_t	 of = r->max_memory;

	if (r->pid == 0)
		snprintf(buf, sizeof buf, "-");
	else
		monit_format_size(r->memory, buf, sizeof buf);
	monit_right(y, x, MONIT_MEM_TEXT, buf);
	if (w - MONIT_MEM_TEXT < 4)
		return;
	if (of == 0)
		of = monit_physical_memory();
	monit_bar(t, y, x + MONIT_MEM_TEXT + 1, w - MONIT_MEM_TEXT - 1,
	    of == 0 || r->pid == 0 ? 0 : (double)r->memory / (double)of);
}

static void
monit_col_restarts(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	char	 buf[16];

	if (r->restarts > 0)
		attron(t->attr[MONIT_A_WARN]);
	snprintf(buf, sizeof buf, "%d", r->restarts);
	monit_right(y, x, w, buf);
	if (r->restarts > 0)
		attroff(t->attr[MONIT_A_WARN]);
}

static void
monit_col_uptime(const struct monit_theme *t, const struct monit_row *r,
    int y, int x, int w)
{
	char	 buf[24];

	(void)t;
	if (r->pid == 0)
		snprintf(buf, sizeof buf, "-");
	else
		monit_format_duration(r->uptime_ms, buf, sizeof buf);
	monit_right(y, x, w, buf);
}

const struct monit_column monit_columns[] = {
	{ "ID", 3, 2, true, monit_col_id },
	{ "NAME", 8, 16, false, monit_col_name },
	{ "INST", 4, 0, true, monit_col_instance },
	{ "STATUS", 9, 0, false, monit_col_status },
	{ "PID", 7, 0, true, monit_col_pid },
	{ "CPU", MONIT_CPU_TEXT, 18, false, monit_col_cpu },
	{ "MEM", MONIT_MEM_TEXT, 18, false, monit_col_memory },
	{ "\xe2\x86\xba", 3, 0, true, monit_col_restarts },	/* U+21BA */
	{ "UPTIME", 6, 0, true, monit_col_uptime },
};
const size_t monit_ncolumns = sizeof monit_columns / sizeof monit_columns[0];

/* Give column i up to n more columns out of *extra. */
static void
monit_columns_give(int *widths, size_t i, int n, int *extra)
{
	int	 room = monit_columns[i].width + monit_columns[i].grow -
	    widths[i];

	if (n > room)
		n = room;
	if (n > *extra)
		n = *extra;
	if (n > 0) {
		widths[i] += n;
		*extra -= n;
	}
}

/*
 * widths[i] for a screen cols wide, one blank between columns.  The
 * extra room goes first to a few more letters of the name, then evenly
 * to the two bars, then to the rest of the name; on a screen too narrow
 * for every column the last ones are cut.
 */
void
monit_columns_layout(int cols, int *widths)
{
	size_t	 i;
	int	 used = 0, extra, half;

	for (i = 0; i < monit_ncolumns; i++) {
		widths[i] = monit_columns[i].width;
		used += widths[i] + (i > 0);
	}
	extra = cols - 1 - used;	/* keep the last column free */
	monit_columns_give(widths, MONIT_COL_NAME, 3, &extra);
	half = extra / 2;
	monit_columns_give(widths, MONIT_COL_CPU, half, &extra);
	monit_columns_give(widths, MONIT_COL_MEM, half, &extra);
	for (i = 0; i < monit_ncolumns; i++)
		monit_columns_give(widths, i, extra, &extra);
}
