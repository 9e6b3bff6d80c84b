/*
 * ignore-term: a supervised program that ignores SIGTERM, so that only
 * the kill_timeout's SIGKILL can stop it.  Prints its pid and sleeps.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	signal(SIGTERM, SIG_IGN);
	printf("%ld\n", (long)getpid());
	fflush(stdout);
	for (;;)
		pause();
}
