/*
 * output: how the CLI prints: errors, colour, and aligned tables.
 *
 * Colour only when stdout is a terminal and NO_COLOR is unset, so that
 * scripts and pipes always get plain text.
 */
#ifndef PROCMAN_OUTPUT_H
#define PROCMAN_OUTPUT_H

#include <stdarg.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>

/* "procman: <message>" on stderr, one line. */
void	 output_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 output_verror(const char *, va_list)
	    __attribute__((format(printf, 1, 0)));

/* Several messages, one per line (an ecosystem file's errors), each as
   output_error prints one. */
void	 output_errors(const char *);

/* Should stdout get colour (and other terminal niceties)? */
bool	 output_colour(void);

enum output_colour {
	OUTPUT_PLAIN,
	OUTPUT_BOLD,
	OUTPUT_GREEN,
	OUTPUT_RED,
	OUTPUT_YELLOW,
	OUTPUT_GREY,
};

/* The colour a proc status is shown in. */
enum output_colour output_status_colour(const char *status);

/*
 * A table of text cells printed with aligned columns.  The table owns
 * copies of every cell; free it with output_table_free().
 */
struct output_table;

#define OUTPUT_LEFT	0
#define OUTPUT_RIGHT	1

/* headers and align have ncols entries. */
struct output_table *output_table_new(size_t ncols,
	    const char *const *headers, const int *align);
/* Add a row of ncols cells; colours may be NULL (all plain). */
void	 output_table_add(struct output_table *, const char *const *cells,
	    const enum output_colour *colours);
void	 output_table_print(struct output_table *);
void	 output_table_free(struct output_table *);

/* The process table of `procman list`, from the daemon's procs array. */
struct cJSON;
void	 output_procs(const struct cJSON *procs);

/* A JSON value on one line, without a newline. */
void	 output_json(FILE *, const struct cJSON *);

#endif
