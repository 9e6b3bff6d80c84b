/*
 * sdnotify: tell systemd that procmand is ready (Type=notify), without
 * linking libsystemd: one datagram, "READY=1", to $NOTIFY_SOCKET.
 *
 * It matters for the unit `procman startup` prints: its ExecStartPost
 * runs `procman resurrect` only once systemd has heard READY, that is
 * once our socket listens.  With Type=simple it could run first, find no
 * daemon and start a second one.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

void
sdnotify_ready(void)
{
	static const char	 msg[] = "READY=1";
	struct sockaddr_un	 sun;
	const char		*path = getenv("NOTIFY_SOCKET");
	socklen_t		 len;
	size_t			 plen;
	int			 fd;

	if (path == NULL || (path[0] != '/' && path[0] != '@'))
		return;
	plen = strlen(path);
	if (plen >= sizeof sun.sun_path) {
		log_warnx("NOTIFY_SOCKET is too long");
		return;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, plen);
	if (path[0] == '@')		/* an abstract socket */
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("NOTIFY_SOCKET");
		return;
	}
	if (sendto(fd, msg, sizeof msg - 1, 0, (struct sockaddr *)&sun,
	    len) == -1)
		log_warn("cannot notify %s", path);
	close(fd);
	/* Our apps are not systemd's to notify: they must not see it. */
	unsetenv("NOTIFY_SOCKET");
}
