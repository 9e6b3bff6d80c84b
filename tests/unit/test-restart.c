/*
 * test-restart: the restart policy (daemon/restart.c), without a daemon.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "../../daemon/daemon.h"

/* restart.c is pure; the loop it never touches still needs a home. */
struct ev_loop *loop;

static struct app_config *
cfg_new(void)
{
	return eco_config_new("t");
}

static void
test_stable_crash_restarts_at_once(void **state)
{
	struct app_config	*cfg = cfg_new();
	struct restart_decision	 d;
	int			 unstable = 0, step = 0;

	(void)state;
	d = restart_decide(cfg, 5000, &unstable, &step);
	assert_int_equal(d.action, RESTART_AFTER);
	assert_int_equal(d.delay_ms, 0);
	assert_false(d.unstable);
	assert_int_equal(unstable, 0);
	eco_config_free(cfg);
}

static void
test_restart_delay_is_honoured(void **state)
{
	struct app_config	*cfg = cfg_new();
	struct restart_decision	 d;
	int			 unstable = 0, step = 0;

	(void)state;
	cfg->restart_delay_ms = 2500;
	d = restart_decide(cfg, 5000, &unstable, &step);
	assert_int_equal(d.action, RESTART_AFTER);
	assert_int_equal(d.delay_ms, 2500);
	eco_config_free(cfg);
}

static void
test_unstable_runs_end_errored(void **state)
{
	struct app_config	*cfg = cfg_new();
	struct restart_decision	 d;
	int			 unstable = 0, step = 0, i;

	(void)state;
	cfg->max_restarts = 3;
	for (i = 1; i < 3; i++) {
		d = restart_decide(cfg, 10, &unstable, &step);
		assert_int_equal(d.action, RESTART_AFTER);
		assert_true(d.unstable);
		/* A crash loop never respawns faster than the floor. */
		assert_int_equal(d.delay_ms, RESTART_UNSTABLE_FLOOR_MS);
		assert_int_equal(unstable, i);
	}
	d = restart_decide(cfg, 10, &unstable, &step);
	assert_int_equal(d.action, RESTART_GIVE_UP);
	assert_int_equal(unstable, 3);
	eco_config_free(cfg);
}

static void
test_stable_run_resets_unstable_tally(void **state)
{
	struct app_config	*cfg = cfg_new();
	struct restart_decision	 d;
	int			 unstable = 0, step = 0;

	(void)state;
	cfg->max_restarts = 2;
	d = restart_decide(cfg, 10, &unstable, &step);
	assert_int_equal(unstable, 1);
	d = restart_decide(cfg, cfg->min_uptime_ms, &unstable, &step);
	assert_int_equal(unstable, 0);
	d = restart_decide(cfg, 10, &unstable, &step);
	assert_int_equal(d.action, RESTART_AFTER);
	eco_config_free(cfg);
}

static void
test_autorestart_off_stays_stopped(void **state)
{
	struct app_config	*cfg = cfg_new();
	struct restart_decision	 d;
	int			 unstable = 0, step = 0;

	(void)state;
	cfg->autorestart = false;
	d = restart_decide(cfg, 5000, &unstable, &step);
	assert_int_equal(d.action, RESTART_NONE);
	d = restart_decide(cfg, 1, &unstable, &step);
	assert_int_equal(d.action, RESTART_NONE);
	eco_config_free(cfg);
}

static void
test_exp_backoff_grows_caps_and_resets(void **state)
{
	struct app_config	*cfg = cfg_new();
	struct restart_decision	 d;
	int			 unstable = 0, step = 0, i;

	(void)state;
	cfg->exp_backoff_ms = 100;
	cfg->max_restarts = 1000;
	d = restart_decide(cfg, 2000, &unstable, &step);
	assert_int_equal(d.delay_ms, 100);
	d = restart_decide(cfg, 2000, &unstable, &step);
	assert_int_equal(d.delay_ms, 150);
	d = restart_decide(cfg, 2000, &unstable, &step);
	assert_int_equal(d.delay_ms, 225);
	for (i = 0; i < 40; i++)
		d = restart_decide(cfg, 2000, &unstable, &step);
	assert_int_equal(d.delay_ms, RESTART_BACKOFF_CAP_MS);
	/* A run of 30 s or more starts the backoff over. */
	d = restart_decide(cfg, RESTART_BACKOFF_RESET_MS, &unstable, &step);
	assert_int_equal(d.delay_ms, 100);
	eco_config_free(cfg);
}

static void
test_max_restarts_zero_errors_at_first_unstable_run(void **state)
{
	struct app_config	*cfg = cfg_new();
	struct restart_decision	 d;
	int			 unstable = 0, step = 0;

	(void)state;
	cfg->max_restarts = 0;
	d = restart_decide(cfg, 5, &unstable, &step);
	assert_int_equal(d.action, RESTART_GIVE_UP);
	eco_config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stable_crash_restarts_at_once),
		cmocka_unit_test(test_restart_delay_is_honoured),
		cmocka_unit_test(test_unstable_runs_end_errored),
		cmocka_unit_test(test_stable_run_resets_unstable_tally),
		cmocka_unit_test(test_autorestart_off_stays_stopped),
		cmocka_unit_test(test_exp_backoff_grows_caps_and_resets),
		cmocka_unit_test(
		    test_max_restarts_zero_errors_at_first_unstable_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
