/*
 * util: small helpers shared by the daemon and the CLI.
 */
#ifndef PROCMAN_UTIL_H
#define PROCMAN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Milliseconds: monotonic (for intervals) and wall clock (unix ms). */
uint64_t util_mono_ms(void);
uint64_t util_wall_ms(void);

/*
 * Split a string into words the way sh does for a simple command: blanks
 * separate words, '...' is literal, "..." allows \" \\ \$ \`, and a
 * backslash outside quotes escapes the next character.  No expansion.
 * Returns a new NULL-terminated array (free with util_argv_free) and its
 * length in *n, or NULL and a static reason ("unterminated quote").
 */
char	**util_split_words(const char *, size_t *n, const char **reason);
void	 util_argv_free(char **);

/* Parse a non-negative decimal integer that fits in a long long. */
bool	 util_parse_ll(const char *, long long *);

/* Set O_NONBLOCK / FD_CLOEXEC on an fd; return -1 with errno on failure. */
int	 util_set_nonblock(int);
int	 util_set_cloexec(int);

/* Write all of buf to a (blocking) fd; -1 with errno on failure. */
int	 util_write_all(int, const void *, size_t);

/* Replace a file atomically (temporary file, fsync, rename); -1 with
   errno on failure.  mode is that of a newly created file. */
int	 util_write_file_atomic(const char *path, const void *, size_t,
	    int mode);

#endif
