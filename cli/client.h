/*
 * client: the CLI's connection to procmand.
 *
 * Connects to $PROCMAN_HOME/procman.sock and, when asked to, starts the
 * daemon first under the procman.lock flock so that two CLIs racing never
 * start two daemons.  Requests are sent one at a time and each call
 * blocks until the reply with the same id arrives.
 */
#ifndef PROCMAN_CLIENT_H
#define PROCMAN_CLIENT_H

#include <stdbool.h>

#include "proto.h"

struct cJSON;

struct client {
	int			 fd;	/* -1 when not connected */
	long			 next_id;
	struct proto_buf	 in;
};

void	 client_init(struct client *);
void	 client_close(struct client *);

/*
 * Connect; with start, start procmand when nothing listens.  Returns 0
 * when connected, 1 when procmand is not running (only without start),
 * or -1 and *cause (allocated, one line).  paths_init() must have run.
 */
int	 client_connect(struct client *, bool start, char **cause);

/* A new request of the given type with the next id; caller owns it. */
struct cJSON *client_request(struct client *, const char *type);

/*
 * Send a request and wait for its reply.  Returns 0 and the reply in
 * *reply (caller deletes; reply may be NULL to discard it), 1 when the
 * daemon answered ok:false (*cause is its error, *reply still set), or
 * -1 and *cause when the connection failed.
 */
int	 client_call(struct client *, const struct cJSON *req,
	    struct cJSON **reply, char **cause);

/* As client_call, but the reply line comes back as text (caller frees). */
int	 client_call_text(struct client *, const struct cJSON *req,
	    char **line, char **cause);

/* Send a request of the given type with no fields; as client_call. */
int	 client_simple(struct client *, const char *type,
	    struct cJSON **reply, char **cause);

/*
 * The next line the daemon pushes after a subscription: 0 and *obj, 1
 * after timeout_ms (-1: wait for ever), -1 and *cause when it is gone.
 */
int	 client_next(struct client *, struct cJSON **obj, int timeout_ms,
	    char **cause);

/*
 * After a kill request: wait (bounded) until the daemon with this pid has
 * gone and its socket no longer answers.  Returns 0, or -1 on timeout.
 */
int	 client_wait_gone(long pid);

#endif
