/*
 * log: the daemon's own log, procmand.log (and stderr before it is open).
 *
 * log_warn appends ": strerror(errno)"; log_warnx does not.  fatal and
 * fatalx log and exit 1: only for startup failures and broken invariants.
 */
#ifndef PROCMAN_LOG_H
#define PROCMAN_LOG_H

#define PRINTFLIKE(a, b) __attribute__((format(printf, a, b)))

/* Open (append) the log file; until then, lines go to stderr. */
int	 log_open(const char *path);
int	 log_fd(void);

void	 log_info(const char *, ...) PRINTFLIKE(1, 2);
void	 log_warn(const char *, ...) PRINTFLIKE(1, 2);
void	 log_warnx(const char *, ...) PRINTFLIKE(1, 2);
void	 fatal(const char *, ...) PRINTFLIKE(1, 2) __attribute__((noreturn));
void	 fatalx(const char *, ...) PRINTFLIKE(1, 2) __attribute__((noreturn));

#endif
