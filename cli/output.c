/*
 * output: errors, colour and aligned tables for the CLI.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "output.h"
#include "units.h"
#include "xmalloc.h"

struct output_table {
	size_t			 ncols;
	char			**headers;
	int			*align;
	size_t			*width;
	size_t			 nrows;
	char		       **cells;		/* nrows * ncols */
	enum output_colour	*colours;	/* nrows * ncols */
};

void
output_verror(const char *fmt, va_list ap)
{
	/* stdout first, so that a table and its error stay in order. */
	fflush(stdout);
	fputs("procman: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
output_error(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	output_verror(fmt, ap);
	va_end(ap);
}

void
output_errors(const char *lines)
{
	const char	*p = lines, *nl;

	while (*p != '\0') {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		output_error("%.*s", (int)(nl - p), p);
		p = *nl == '\n' ? nl + 1 : nl;
	}
}

bool
output_colour(void)
{
	const char	*nc = getenv("NO_COLOR"), *term = getenv("TERM");

	/* no-color.org: any non-empty value disables colour. */
	if (nc != NULL && *nc != '\0')
		return (false);
	if (term != NULL && strcmp(term, "dumb") == 0)
		return (false);
	return (isatty(STDOUT_FILENO) == 1);
}

enum output_colour
output_status_colour(const char *status)
{
	if (strcmp(status, "online") == 0)
		return (OUTPUT_GREEN);
	if (strcmp(status, "errored") == 0)
		return (OUTPUT_RED);
	if (strcmp(status, "stopped") == 0)
		return (OUTPUT_GREY);
	return (OUTPUT_YELLOW);
}

static const char *
output_sgr(enum output_colour c)
{
	switch (c) {
	case OUTPUT_BOLD:
		return ("\033[1m");
	case OUTPUT_GREEN:
		return ("\033[32m");
	case OUTPUT_RED:
		return ("\033[31m");
	case OUTPUT_YELLOW:
		return ("\033[33m");
	case OUTPUT_GREY:
		return ("\033[90m");
	case OUTPUT_PLAIN:
		break;
	}
	return ("");
}

/* Columns on screen: count UTF-8 lead bytes, not bytes. */
static size_t
output_width(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

struct output_table *
output_table_new(size_t ncols, const char *const *headers, const int *align)
{
	struct output_table	*t;
	size_t			 i;

	t = xcalloc(1, sizeof *t);
	t->ncols = ncols;
	t->headers = xcalloc(ncols, sizeof *t->headers);
	t->align = xcalloc(ncols, sizeof *t->align);
	t->width = xcalloc(ncols, sizeof *t->width);
	for (i = 0; i < ncols; i++) {
		t->headers[i] = xstrdup(headers[i]);
		t->align[i] = align[i];
		t->width[i] = output_width(headers[i]);
	}
	return (t);
}

void
output_table_add(struct output_table *t, const char *const *cells,
    const enum output_colour *colours)
{
	size_t	 i, base = t->nrows * t->ncols, w;

	t->cells = xreallocarray(t->cells, base + t->ncols,
	    sizeof *t->cells);
	t->colours = xreallocarray(t->colours, base + t->ncols,
	    sizeof *t->colours);
	for (i = 0; i < t->ncols; i++) {
		t->cells[base + i] = xstrdup(cells[i]);
		t->colours[base + i] = colours != NULL ? colours[i] :
		    OUTPUT_PLAIN;
		w = output_width(cells[i]);
		if (w > t->width[i])
			t->width[i] = w;
	}
	t->nrows++;
}

static void
output_cell(const struct output_table *t, size_t col, const char *text,
    enum output_colour c, bool colour)
{
	size_t	 pad = t->width[col] - output_width(text);
	bool	 last = col + 1 == t->ncols;

	if (t->align[col] == OUTPUT_RIGHT)
		printf("%*s", (int)pad, "");
	if (colour && c != OUTPUT_PLAIN)
		printf("%s%s\033[0m", output_sgr(c), text);
	else
		fputs(text, stdout);
	/* No trailing blanks: they only get in the way of scripts. */
	if (t->align[col] == OUTPUT_LEFT && !last)
		printf("%*s", (int)pad, "");
	fputs(last ? "\n" : "  ", stdout);
}

void
output_table_print(struct output_table *t)
{
	bool	 colour = output_colour();
	size_t	 r, i;

	for (i = 0; i < t->ncols; i++)
		output_cell(t, i, t->headers[i], OUTPUT_BOLD, colour);
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			output_cell(t, i, t->cells[r * t->ncols + i],
			    t->colours[r * t->ncols + i], colour);
		}
	}
	fflush(stdout);
}

void
output_table_free(struct output_table *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ncols; i++)
		free(t->headers[i]);
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->headers);
	free(t->align);
	free(t->width);
	free(t->cells);
	free(t->colours);
	free(t);
}

/* A number field of a proc, or -1 when absent or null. */
static double
output_num(const cJSON *proc, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(proc, key);

	return (cJSON_IsNumber(v) ? v->valuedouble : -1);
}

static const char *
output_str(const cJSON *proc, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(proc, key);

	return (cJSON_IsString(v) ? v->valuestring : "-");
}

static void
output_proc_row(struct output_table *t, const cJSON *proc)
{
	enum output_colour	 colours[9] = { 0 };
	const char		*cells[9];
	char			 id[32], inst[32], pid[32], restarts[32];
	char			 uptime[32], cpu[32], mem[32];
	double			 v, p = output_num(proc, "pid");
	bool			 running = p > 0;

	snprintf(id, sizeof id, "%.0f", output_num(proc, "id"));
	snprintf(inst, sizeof inst, "%.0f", output_num(proc, "instance"));
	if (running)
		snprintf(pid, sizeof pid, "%.0f", p);
	else
		snprintf(pid, sizeof pid, "-");
	snprintf(restarts, sizeof restarts, "%.0f",
	    output_num(proc, "restarts"));
	if (running && (v = output_num(proc, "uptime_ms")) >= 0)
		units_format_uptime((uint64_t)v, uptime, sizeof uptime);
	else
		snprintf(uptime, sizeof uptime, "-");
	/* The first sample's CPU is null: show "-" rather than a lie. */
	if (running && (v = output_num(proc, "cpu")) >= 0)
		snprintf(cpu, sizeof cpu, "%.1f%%", v);
	else
		snprintf(cpu, sizeof cpu, "-");
	if (running && (v = output_num(proc, "memory")) >= 0)
		units_format_size((uint64_t)v, mem, sizeof mem);
	else
		snprintf(mem, sizeof mem, "-");

	cells[0] = id;
	cells[1] = output_str(proc, "name");
	cells[2] = inst;
	cells[3] = pid;
	cells[4] = output_str(proc, "status");
	colours[4] = output_status_colour(cells[4]);
	cells[5] = restarts;
	cells[6] = uptime;
	cells[7] = cpu;
	cells[8] = mem;
	output_table_add(t, cells, colours);
}

void
output_procs(const cJSON *procs)
{
	static const char *const headers[9] = { "id", "name", "inst", "pid",
	    "status", "restarts", "uptime", "cpu", "memory" };
	static const int align[9] = { OUTPUT_RIGHT, OUTPUT_LEFT, OUTPUT_RIGHT,
	    OUTPUT_RIGHT, OUTPUT_LEFT, OUTPUT_RIGHT, OUTPUT_RIGHT,
	    OUTPUT_RIGHT, OUTPUT_RIGHT };
	struct output_table	*t;
	const cJSON		*proc;

	if (cJSON_GetArraySize(procs) == 0) {
		printf("no apps; start one with: procman start FILE.yaml\n");
		fflush(stdout);
		return;
	}
	t = output_table_new(9, headers, align);
	cJSON_ArrayForEach(proc, procs)
		output_proc_row(t, proc);
	output_table_print(t);
	output_table_free(t);
}

/*
 * Print a JSON value on one line.  cJSON's printer formats every number
 * with snprintf and checks it by reading it back with sscanf, which for
 * the jlist of a thousand processes costs more than the daemon does to
 * answer; integers (all of jlist's numbers but cpu) take a plain %lld
 * here.  Strings are escaped as cJSON escapes them.
 */
static void
output_json_string(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if ((unsigned char)*s < 0x20)
				fprintf(f, "\\u%04x", (unsigned char)*s);
			else
				putc(*s, f);
		}
	}
	putc('"', f);
}

void
output_json(FILE *f, const cJSON *v)
{
	const cJSON	*item;
	double		 d;

	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		putc(cJSON_IsObject(v) ? '{' : '[', f);
		for (item = v->child; item != NULL; item = item->next) {
			if (item != v->child)
				putc(',', f);
			if (cJSON_IsObject(v)) {
				output_json_string(f, item->string);
				putc(':', f);
			}
			output_json(f, item);
		}
		putc(cJSON_IsObject(v) ? '}' : ']', f);
	} else if (cJSON_IsString(v))
		output_json_string(f, v->valuestring);
	else if (cJSON_IsNumber(v)) {
		d = v->valuedouble;
		if (isnan(d) || isinf(d))
			fputs("null", f);
		else if (d == (double)(long long)d && fabs(d) < 9007199254740992.)
			fprintf(f, "%lld", (long long)d);
		else
			fprintf(f, "%.17g", d);
	} else if (cJSON_IsTrue(v))
		fputs("true", f);
	else if (cJSON_IsFalse(v))
		fputs("false", f);
	else
		fputs("null", f);
}
