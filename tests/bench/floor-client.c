/*
 * floor-client: the status-command floor of tests/bench/compare.py.
 * The least a CLI can do to ask procmand something: connect to its
 * socket, send one request line, read the reply line, print it, exit.
 * No config, no daemon start, no JSON library.
 *
 *	floor-client SOCKET [TYPE]
 *
 * TYPE defaults to "ping".  Exits 0 once a whole reply line arrived, 1
 * on any error, and gives up after 10 s.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct sockaddr_un	 sun;
	struct pollfd		 pfd;
	static char		 buf[1 << 20];
	char			 req[256];
	size_t			 len = 0;
	ssize_t			 n;
	int			 fd, rl;

	if (argc < 2 || strlen(argv[1]) >= sizeof sun.sun_path) {
		fprintf(stderr, "usage: floor-client SOCKET [TYPE]\n");
		return 2;
	}
	rl = snprintf(req, sizeof req, "{\"v\":1,\"id\":1,\"type\":\"%s\"}\n",
	    argc > 2 ? argv[2] : "ping");
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof sun) == -1 ||
	    write(fd, req, (size_t)rl) != rl) {
		perror("floor-client");
		return 1;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if (poll(&pfd, 1, 10000) != 1)
			return 1;
		if ((n = read(fd, buf + len, sizeof buf - len)) <= 0)
			return 1;
		len += (size_t)n;
		if (memchr(buf + len - n, '\n', (size_t)n) != NULL)
			break;
		if (len == sizeof buf)
			return 1;
	}
	if (write(STDOUT_FILENO, buf, len) != (ssize_t)len)
		return 1;
	return 0;
}
