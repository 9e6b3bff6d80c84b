/*
 * cmd: the command table of the procman CLI and what a command gets.
 *
 * As in tmux, each command lives in its own cmd-<verb>.c file and exports
 * exactly one const struct cmd_entry; cmd.c lists them in cmd_table[],
 * finds them by name, alias or unambiguous prefix, and parses their
 * options with getopt_long so that options may stand anywhere on the line
 * (`procman start ./server 8080 --name api -i 2`).
 */
#ifndef PROCMAN_CMD_H
#define PROCMAN_CMD_H

#include <getopt.h>
#include <stdio.h>
#include <stdbool.h>

#include "version.h"	/* PROCMAN_VERSION */

/* Exit statuses of the contract. */
#define CMD_OK		0
#define CMD_FAILED	1
#define CMD_USAGE	2

/* struct cmd_entry flags. */
#define CMD_NEEDS_DAEMON	0x1	/* connect first, start procmand if
					   it is not running */

struct client;
struct cJSON;

/*
 * The parsed command line of one command: its options (last one wins)
 * and its operands in order, those after "--" included.  Strings are
 * borrowed from argv.
 */
#define CMD_MAXOPTS	16

struct cmd_args {
	int		 nopts;
	int		 opt_val[CMD_MAXOPTS];	/* getopt value, e.g. 'i' */
	const char	*opt_arg[CMD_MAXOPTS];	/* NULL for a flag */
	int		 argc;
	char	       **argv;
};

struct cmd_entry;

/* What exec gets: the entry, its arguments, and a daemon connection that
   is not connected yet (see cmd_connect). */
struct cmd_ctx {
	const struct cmd_entry	*entry;
	struct cmd_args		*args;
	struct client		*client;
};

typedef int (*cmd_exec_cb)(struct cmd_ctx *);

#define CMD_MAXALIAS	3

struct cmd_entry {
	const char		*name;
	const char		*alias[CMD_MAXALIAS]; /* NULL-terminated */
	const char		*shortopts;	/* getopt string, no leading
						   '+', '-' or ':' */
	const struct option	*longopts;	/* NULL or zero-terminated */
	const char		*usage;		/* style(9), without the name */
	const char		*doc;		/* what it does, for help */
	int			 flags;
	cmd_exec_cb		 exec;
};

extern const struct cmd_entry *const cmd_table[];

/* cmd.c */
const struct cmd_entry *cmd_find(const char *name, char **cause);
int	 cmd_parse(const struct cmd_entry *, int argc, char **argv,
	    struct cmd_args *, bool *help, char **cause);
bool	 cmd_has(const struct cmd_args *, int val);
const char *cmd_get(const struct cmd_args *, int val);
void	 cmd_print_usage(const struct cmd_entry *, FILE *);
void	 cmd_print_help(const struct cmd_entry *, FILE *);
void	 cmd_print_list(FILE *);
int	 cmd_connect(struct cmd_ctx *);
bool	 cmd_is_ecofile(const char *, bool must_exist);
int	 cmd_call(struct cmd_ctx *, const struct cJSON *, struct cJSON **);
int	 cmd_call_procs(struct cmd_ctx *, const struct cJSON *req,
	    struct cJSON **reply, const struct cJSON **procs);
int	 cmd_show_list(struct cmd_ctx *, bool json);
int	 cmd_target_exec(struct cmd_ctx *, const char *type);
int	 cmd_target_names(const char *path, struct cJSON *req);
int	 cmd_usage_error(const struct cmd_entry *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
