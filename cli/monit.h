/*
 * monit: the parts of the `procman monit` dashboard, by file.
 *
 *   cmd-monit.c      the command: terminal, signals, the connection, keys
 *   monit-model.c    what is shown: rows keyed by proc id (mark and
 *                    sweep on every table the daemon pushes), the sorted
 *                    and filtered view, the selection, the log ring
 *   monit-columns.c  the process list's columns as a table, like htop's
 *                    Process_fields: title, widths, how to draw a cell
 *   monit-draw.c     the screen: title, list, details, logs, status line,
 *                    help; draws into stdscr and lets ncurses send only
 *                    the cells that changed
 */
#ifndef PROCMAN_MONIT_H
#define PROCMAN_MONIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cJSON;

/* monit-model.c */
#define MONIT_HISTORY	64	/* samples per sparkline, as the daemon */
#define MONIT_LOG_LINES	2000	/* log lines kept, all apps together */
#define MONIT_FILTER_MAX 64

enum monit_sort {
	MONIT_SORT_ID,
	MONIT_SORT_CPU,
	MONIT_SORT_MEMORY,
	MONIT_SORT_RESTARTS,
	MONIT_SORT_COUNT
};

/* One proc as the daemon last described it.  Owns its strings. */
struct monit_row {
	int		 id;
	char		*name;
	int		 instance;
	long		 pid;
	char		*status;
	int		 restarts;
	uint64_t	 uptime_ms;
	double		 cpu;		/* NAN: not measured (yet) */
	uint64_t	 memory;
	uint64_t	 max_memory;	/* 0: no limit */
	char		*command;	/* interpreter, exec and args */
	char		*cwd;
	int		 processes;
	char		*reason;	/* last restart reason, or NULL */
	uint64_t	 reason_at;	/* unix ms */
	char		*spawn_error;
	double		 hcpu[MONIT_HISTORY];	/* NAN: no figure */
	double		 hmem[MONIT_HISTORY];
	unsigned	 hhead;		/* next slot */
	unsigned	 hlen;
	bool		 seen;		/* mark and sweep */
};

struct monit_log {
	int		 proc;
	char		*name;
	int		 instance;
	bool		 err;
	bool		 past;		/* read from the file at start */
	uint64_t	 time;		/* unix ms; 0 for a past line */
	char		*line;
};

struct monit_model {
	struct monit_row **rows;	/* every row, by id */
	size_t		  nrows;
	struct monit_row **view;	/* filtered and sorted; borrowed */
	size_t		  nview;
	enum monit_sort	  sort;
	char		  filter[MONIT_FILTER_MAX];
	int		  selected;	/* proc id; -1 none */
	size_t		  cursor;	/* index of the selection in view */
	size_t		  top;		/* first view row on screen */
	struct monit_log  logs[MONIT_LOG_LINES];	/* a ring */
	size_t		  loghead;
	size_t		  nlogs;
	bool		  log_all;	/* log pane: every app, not the
					   selected one */
	uint64_t	  interval_ms;
	uint64_t	  updated_at;	/* unix ms of the last table */
};

void	 monit_model_init(struct monit_model *);
void	 monit_model_free(struct monit_model *);
void	 monit_model_update(struct monit_model *, const struct cJSON *procs,
	    bool history);
void	 monit_model_add_log(struct monit_model *, const struct cJSON *ev);
void	 monit_model_add_past(struct monit_model *, struct monit_log *,
	    size_t n);
void	 monit_model_refresh(struct monit_model *);
void	 monit_model_move(struct monit_model *, long delta);
void	 monit_model_scroll(struct monit_model *, size_t height);
struct monit_row *monit_model_selected(const struct monit_model *);
const char *monit_sort_name(enum monit_sort);
bool	 monit_row_running(const struct monit_row *);
const struct monit_log *monit_model_log_at(const struct monit_model *,
	    size_t back);

/* monit-columns.c */
struct monit_theme;
struct monit_column {
	const char	*title;
	int		 width;		/* at least */
	int		 grow;		/* may take this many more */
	bool		 right;		/* align */
	void		(*draw)(const struct monit_theme *,
			    const struct monit_row *, int y, int x, int w);
};
extern const struct monit_column monit_columns[];
extern const size_t monit_ncolumns;
void	 monit_columns_layout(int cols, int *widths);
void	 monit_format_size(uint64_t bytes, char *buf, size_t len);
void	 monit_format_duration(uint64_t ms, char *buf, size_t len);
void	 monit_format_cpu(const struct monit_row *, char *buf, size_t len);

/* monit-draw.c */
enum monit_attr {
	MONIT_A_NORMAL,
	MONIT_A_TITLE,
	MONIT_A_HEADER,
	MONIT_A_SELECTED,
	MONIT_A_DIM,
	MONIT_A_GOOD,
	MONIT_A_WARN,
	MONIT_A_BAD,
	MONIT_A_ERRLINE,
	MONIT_A_LABEL,
	MONIT_A_COUNT
};

struct monit_theme {
	bool		 colour;
	bool		 utf8;
	int		 attr[MONIT_A_COUNT];
};

/* What the screen shows besides the model. */
struct monit_screen {
	struct monit_model *model;
	const struct monit_theme *theme;
	bool		 connected;
	long		 daemon_pid;
	const char	*status;	/* status line message, or NULL */
	bool		 status_error;
	const char	*prompt;	/* a question or the filter being
					   typed, or NULL */
	bool		 help;
};

void	 monit_theme_init(struct monit_theme *);
int	 monit_status_attr(const struct monit_theme *, const char *status);
void	 monit_put(int y, int x, const char *s, int maxcols);
void	 monit_bar(const struct monit_theme *, int y, int x, int w,
	    double fraction);
size_t	 monit_draw(const struct monit_screen *);

#endif
