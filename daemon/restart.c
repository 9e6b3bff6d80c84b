/*
 * restart: the restart policy, as a pure function of the app's config,
 * how long the last run lasted and the proc's tally, so it can be unit
 * tested without a daemon.
 *
 * A run shorter than min_uptime is unstable.  max_restarts consecutive
 * unstable runs make the app errored (PM2's meaning: a stable run resets
 * the tally).  A run that was stable is restarted at once (restart_delay,
 * 0 by default): users measure respawn latency.  Only unstable runs get a
 * floor of RESTART_UNSTABLE_FLOOR_MS, so a crash loop cannot take the
 * loop over while it burns through its max_restarts.
 *
 * exp_backoff_restart_delay, as in PM2: the delay starts at the base and
 * grows 1.5x per restart, capped at 15 s; a run of 30 s resets it.
 */
#include <stdint.h>

#include "daemon.h"

static uint64_t
restart_backoff(uint64_t base_ms, int step)
{
	double	 d = (double)base_ms;
	int	 i;

	for (i = 0; i < step && d < RESTART_BACKOFF_CAP_MS; i++)
		d *= 1.5;
	if (d > RESTART_BACKOFF_CAP_MS)
		d = RESTART_BACKOFF_CAP_MS;
	return (uint64_t)d;
}

struct restart_decision
restart_decide(const struct app_config *cfg, uint64_t uptime_ms,
    int *unstable_restarts, int *backoff_step)
{
	struct restart_decision	 d = { RESTART_NONE, 0, false };

	d.unstable = uptime_ms < cfg->min_uptime_ms;
	if (d.unstable)
		(*unstable_restarts)++;
	else
		*unstable_restarts = 0;
	if (!cfg->autorestart)
		return d;
	if (d.unstable && *unstable_restarts >= cfg->max_restarts) {
		d.action = RESTART_GIVE_UP;
		return d;
	}

	d.action = RESTART_AFTER;
	if (cfg->exp_backoff_ms > 0) {
		if (uptime_ms >= RESTART_BACKOFF_RESET_MS)
			*backoff_step = 0;
		d.delay_ms = restart_backoff(cfg->exp_backoff_ms,
		    *backoff_step);
		if (*backoff_step < 64)
			(*backoff_step)++;
	} else
		d.delay_ms = cfg->restart_delay_ms;
	if (d.unstable && d.delay_ms < RESTART_UNSTABLE_FLOOR_MS)
		d.delay_ms = RESTART_UNSTABLE_FLOOR_MS;
	return d;
}
