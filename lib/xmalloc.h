/*
 * xmalloc: allocation wrappers that never return NULL.
 *
 * Running out of memory is the one error lib code does not hand back to its
 * caller: every function here prints "procman: out of memory" and exits.
 * Everything returned is owned by the caller and freed with free(3).
 */
#ifndef PROCMAN_XMALLOC_H
#define PROCMAN_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*xprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));

#endif
