/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the command line parser (src/cli.c). */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <cmocka.h>

#include "cli.h"

#define MAXARGS 16

/* Parses a NULL-terminated list of words (argv[0] is added). */
static int parse_v(struct cli_opts *o, char *err, size_t errlen, va_list ap)
{
	char *argv[MAXARGS + 2];
	int argc = 0;
	const char *w;

	argv[argc++] = (char *)"alived";
	while ((w = va_arg(ap, const char *)) != NULL) {
		assert_true(argc <= MAXARGS);
		argv[argc++] = (char *)w;
	}
	argv[argc] = NULL;
	return cli_parse(argc, argv, o, err, errlen);
}

static struct cli_opts ok_(int dummy, ...)
{
	struct cli_opts o;
	char err[256];
	va_list ap;
	int r;

	memset(&o, 0xa5, sizeof(o));
	va_start(ap, dummy);
	r = parse_v(&o, err, sizeof(err), ap);
	va_end(ap);
	if (r != 0)
		fail_msg("unexpected error: %s", err);
	return o;
}
#define OK(...) ok_(0, __VA_ARGS__, (const char *)NULL)

static void bad_(const char *expect, ...)
{
	struct cli_opts o, before;
	char err[256];
	va_list ap;
	int r;

	memset(&o, 0x5a, sizeof(o));
	before = o;
	va_start(ap, expect);
	r = parse_v(&o, err, sizeof(err), ap);
	va_end(ap);
	assert_int_equal(r, -EINVAL);
	if (!strstr(err, expect))
		fail_msg("error '%s' does not contain '%s'", err, expect);
	/* ret is untouched on error */
	assert_memory_equal(&o, &before, sizeof(o));
}
#define BAD(expect, ...) bad_(expect, __VA_ARGS__, (const char *)NULL)

static void assert_str_eq(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Field by field (padding bytes are not comparable). */
static void assert_opts_equal(const struct cli_opts *a, const struct cli_opts *b)
{
	assert_int_equal(a->action, b->action);
	assert_str_eq(a->conf_file, b->conf_file);
	assert_int_equal(a->vrrp_only, b->vrrp_only);
	assert_int_equal(a->check_only, b->check_only);
	assert_int_equal(a->all, b->all);
	assert_int_equal(a->no_bfd, b->no_bfd);
	assert_int_equal(a->log_console, b->log_console);
	assert_int_equal(a->log_detail, b->log_detail);
	assert_int_equal(a->log_facility, b->log_facility);
	assert_int_equal(a->no_syslog, b->no_syslog);
	assert_str_eq(a->log_file, b->log_file);
	assert_int_equal(a->dont_release_vrrp, b->dont_release_vrrp);
	assert_int_equal(a->dont_release_ipvs, b->dont_release_ipvs);
	assert_int_equal(a->dont_respawn, b->dont_respawn);
	assert_int_equal(a->dont_fork, b->dont_fork);
	assert_int_equal(a->dump_conf, b->dump_conf);
	assert_str_eq(a->pid_file, b->pid_file);
	assert_str_eq(a->vrrp_pid_file, b->vrrp_pid_file);
	assert_str_eq(a->check_pid_file, b->check_pid_file);
	assert_int_equal(a->snmp, b->snmp);
	assert_str_eq(a->snmp_socket, b->snmp_socket);
	assert_str_eq(a->netns, b->netns);
	assert_str_eq(a->config_id, b->config_id);
	assert_int_equal(a->umask_set, b->umask_set);
	assert_int_equal(a->umask, b->umask);
	assert_str_eq(a->test_log, b->test_log);
	assert_int_equal(a->all_config, b->all_config);
	assert_int_equal(a->release_vips, b->release_vips);
	assert_int_equal(a->address_monitoring, b->address_monitoring);
	assert_int_equal(a->core_dump, b->core_dump);
	assert_str_eq(a->core_pattern, b->core_pattern);
	assert_int_equal(a->signum, b->signum);
}

static void assert_opts_default(const struct cli_opts *o)
{
	struct cli_opts d;

	cli_opts_init(&d);
	assert_opts_equal(o, &d);
}

static void test_defaults(void **state)
{
	struct cli_opts o;
	char *argv[] = { (char *)"alived", NULL };
	char err[64] = "x";

	(void)state;
	assert_int_equal(cli_parse(1, argv, &o, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(o.action, CLI_ACT_RUN);
	assert_string_equal(o.conf_file, SYSCONFDIR "/alived/alived.conf");
	assert_string_equal(o.pid_file, RUNSTATEDIR "/alived.pid");
	assert_string_equal(o.vrrp_pid_file, RUNSTATEDIR "/alived_vrrp.pid");
	assert_string_equal(o.check_pid_file, RUNSTATEDIR "/alived_check.pid");
	assert_int_equal(o.log_facility, LOG_DAEMON);
	assert_null(o.log_file);
	assert_null(o.snmp_socket);
	assert_null(o.netns);
	assert_null(o.config_id);
	assert_null(o.test_log);
	assert_null(o.core_pattern);
	assert_false(o.vrrp_only || o.check_only || o.all || o.no_bfd || o.log_console ||
		     o.no_syslog || o.dont_release_vrrp || o.dont_release_ipvs ||
		     o.dont_respawn || o.dont_fork || o.dump_conf || o.snmp || o.umask_set ||
		     o.all_config || o.release_vips || o.address_monitoring || o.core_dump);
	assert_int_equal(o.log_detail, 0);
	assert_opts_default(&o);
}

static void test_file(void **state)
{
	(void)state;
	assert_string_equal(OK("-f", "/a.conf").conf_file, "/a.conf");
	assert_string_equal(OK("-f/b.conf").conf_file, "/b.conf");
	assert_string_equal(OK("--use-file", "/c.conf").conf_file, "/c.conf");
	assert_string_equal(OK("--use-file=/d.conf").conf_file, "/d.conf");
	assert_string_equal(OK("--use-f=/e.conf").conf_file, "/e.conf");	/* prefix */
	BAD("option -f needs an argument", "-f");
	BAD("option --use-file needs an argument", "--use-file");
	BAD("non-empty", "-f", "");
}

static void test_flags(void **state)
{
	static const struct {
		const char *s, *l;
		size_t off;
	} tab[] = {
		{ "-P", "--vrrp", offsetof(struct cli_opts, vrrp_only) },
		{ "-C", "--check", offsetof(struct cli_opts, check_only) },
		{ "-B", "--no_bfd", offsetof(struct cli_opts, no_bfd) },
		{ NULL, "--no-bfd", offsetof(struct cli_opts, no_bfd) },
		{ NULL, "--all", offsetof(struct cli_opts, all) },
		{ "-l", "--log-console", offsetof(struct cli_opts, log_console) },
		{ "-G", "--no-syslog", offsetof(struct cli_opts, no_syslog) },
		{ "-X", "--release-vips", offsetof(struct cli_opts, release_vips) },
		{ "-V", "--dont-release-vrrp", offsetof(struct cli_opts, dont_release_vrrp) },
		{ "-I", "--dont-release-ipvs", offsetof(struct cli_opts, dont_release_ipvs) },
		{ "-R", "--dont-respawn", offsetof(struct cli_opts, dont_respawn) },
		{ "-n", "--dont-fork", offsetof(struct cli_opts, dont_fork) },
		{ "-d", "--dump-conf", offsetof(struct cli_opts, dump_conf) },
		{ "-a", "--address-monitoring", offsetof(struct cli_opts, address_monitoring) },
		{ "-x", "--snmp", offsetof(struct cli_opts, snmp) },
		{ "-m", "--core-dump", offsetof(struct cli_opts, core_dump) },
		{ "-e", "--all-config", offsetof(struct cli_opts, all_config) },
	};
	struct cli_opts o;

	(void)state;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (tab[i].s) {
			o = OK(tab[i].s);
			assert_true(*(bool *)((char *)&o + tab[i].off));
			assert_int_equal(o.action, CLI_ACT_RUN);
		}
		o = OK(tab[i].l);
		assert_true(*(bool *)((char *)&o + tab[i].off));
		/* the flag touches nothing else: compare with defaults */
		*(bool *)((char *)&o + tab[i].off) = false;
		assert_opts_default(&o);
	}
	/* grouped short options */
	o = OK("-nlPCR");
	assert_true(o.dont_fork && o.log_console && o.vrrp_only && o.check_only &&
		    o.dont_respawn);
}

static void test_detail(void **state)
{
	(void)state;
	assert_int_equal(OK("-D").log_detail, 1);
	assert_int_equal(OK("-D", "--log-detail").log_detail, 2);
	assert_int_equal(OK("-DDD").log_detail, 3);
}

static void test_facility(void **state)
{
	(void)state;
	assert_int_equal(OK("-S", "0").log_facility, LOG_LOCAL0);
	assert_int_equal(OK("-S7").log_facility, LOG_LOCAL7);
	assert_int_equal(OK("--log-facility=local3").log_facility, LOG_LOCAL3);
	assert_int_equal(OK("--log-facility", "LOCAL5").log_facility, LOG_LOCAL5);
	assert_int_equal(OK("-S", "user").log_facility, LOG_USER);
	assert_int_equal(OK("-S", "daemon").log_facility, LOG_DAEMON);
	BAD("not a facility", "-S", "8");
	BAD("not a facility", "-S", "local8");
	BAD("not a facility", "--log-facility=kern");
	BAD("not a facility", "-S", "07");
	BAD("option -S needs an argument", "-S");
	assert_int_equal(cli_facility("local"), -EINVAL);
	assert_int_equal(cli_facility(""), -EINVAL);
}

static void test_log_file(void **state)
{
	(void)state;
	assert_string_equal(OK("-g").log_file, "/tmp/alived.log");
	assert_string_equal(OK("--log-file").log_file, "/tmp/alived.log");
	assert_string_equal(OK("-g/var/log/a.log").log_file, "/var/log/a.log");
	assert_string_equal(OK("--log-file=/x.log").log_file, "/x.log");
	/* optional argument: a separate word is not taken */
	BAD("unexpected argument '/x.log'", "-g", "/x.log");
}

static void test_umask(void **state)
{
	struct cli_opts o;

	(void)state;
	o = OK("-u", "022");
	assert_true(o.umask_set);
	assert_int_equal(o.umask, 022);
	assert_int_equal(OK("--umask=77").umask, 077);
	assert_int_equal(OK("-u0").umask, 0);
	assert_int_equal(OK("--umask", "0777").umask, 0777);
	BAD("not an octal mask", "-u", "8");
	BAD("not an octal mask", "-u", "01000");
	BAD("not an octal mask", "-u", "abc");
	BAD("not an octal mask", "-u", "-1");
	BAD("not an octal mask", "-u", "");
}

static void test_pid_files(void **state)
{
	struct cli_opts o;

	(void)state;
	o = OK("-p", "/p", "-r", "/r", "-c", "/c");
	assert_string_equal(o.pid_file, "/p");
	assert_string_equal(o.vrrp_pid_file, "/r");
	assert_string_equal(o.check_pid_file, "/c");
	o = OK("--pid=/P", "--vrrp_pid=/R", "--checkers_pid=/C");
	assert_string_equal(o.pid_file, "/P");
	assert_string_equal(o.vrrp_pid_file, "/R");
	assert_string_equal(o.check_pid_file, "/C");
	o = OK("--vrrp-pid", "/R2", "--checkers-pid", "/C2");
	assert_string_equal(o.vrrp_pid_file, "/R2");
	assert_string_equal(o.check_pid_file, "/C2");
	o = OK("-b", "/bfd", "--bfd_pid=/bfd2");	/* accepted, ignored */
	assert_string_equal(o.pid_file, RUNSTATEDIR "/alived.pid");
	BAD("option -p needs an argument", "-p");
	BAD("option --vrrp_pid needs an argument", "--vrrp_pid");
	BAD("non-empty", "--checkers_pid=");
}

static void test_strings(void **state)
{
	struct cli_opts o;

	(void)state;
	o = OK("-A", "/run/agentx", "-s", "ns1", "-i", "lb1");
	assert_string_equal(o.snmp_socket, "/run/agentx");
	assert_string_equal(o.netns, "ns1");
	assert_string_equal(o.config_id, "lb1");
	o = OK("--snmp-agent-socket=tcp:1.2.3.4:705", "--namespace", "n2", "--config-id=x");
	assert_string_equal(o.snmp_socket, "tcp:1.2.3.4:705");
	assert_string_equal(o.netns, "n2");
	assert_string_equal(o.config_id, "x");
	BAD("option -s needs an argument", "-s");
	BAD("option -i needs an argument", "-i");
	BAD("option --snmp-agent-socket needs an argument", "--snmp-agent-socket");
}

static void test_core_dump(void **state)
{
	struct cli_opts o;

	(void)state;
	o = OK("-M");
	assert_true(o.core_dump);
	assert_string_equal(o.core_pattern, "core");
	o = OK("--core-dump-pattern=/tmp/core.%p");
	assert_true(o.core_dump);
	assert_string_equal(o.core_pattern, "/tmp/core.%p");
	o = OK("-Mcore.x");
	assert_string_equal(o.core_pattern, "core.x");
	o = OK("--core-dump-pattern");
	assert_string_equal(o.core_pattern, "core");
	o = OK("-m");
	assert_true(o.core_dump);
	assert_null(o.core_pattern);
}

static void test_config_test(void **state)
{
	struct cli_opts o;

	(void)state;
	o = OK("-t");
	assert_int_equal(o.action, CLI_ACT_CONFIG_TEST);
	assert_null(o.test_log);
	o = OK("--config-test");
	assert_int_equal(o.action, CLI_ACT_CONFIG_TEST);
	o = OK("--config-test=/tmp/t.log", "-d");
	assert_int_equal(o.action, CLI_ACT_CONFIG_TEST);
	assert_string_equal(o.test_log, "/tmp/t.log");
	assert_true(o.dump_conf);
	o = OK("-t/tmp/u.log");
	assert_string_equal(o.test_log, "/tmp/u.log");
}

static void test_signum(void **state)
{
	struct cli_opts o;

	(void)state;
	o = OK("--signum=STOP");
	assert_int_equal(o.action, CLI_ACT_SIGNUM);
	assert_int_equal(o.signum, SIGTERM);
	assert_int_equal(OK("--signum", "RELOAD").signum, SIGHUP);
	assert_int_equal(OK("--signum=DATA").signum, SIGUSR1);
	assert_int_equal(OK("--signum=STATS").signum, SIGUSR2);
	assert_int_equal(OK("--signum=stats_clear").signum, SIGRTMAX - 1);
	assert_int_equal(OK("--signum=JSON").signum, SIGRTMIN + 2);
	BAD("unknown signal function 'FOO'", "--signum=FOO");
	BAD("option --signum needs an argument", "--signum");
	assert_int_equal(cli_signum("STOPX"), -EINVAL);
}

static void test_actions(void **state)
{
	(void)state;
	assert_int_equal(OK("-v").action, CLI_ACT_VERSION);
	assert_int_equal(OK("--version").action, CLI_ACT_VERSION);
	assert_int_equal(OK("-h").action, CLI_ACT_HELP);
	assert_int_equal(OK("--help").action, CLI_ACT_HELP);
	/* precedence is independent of order */
	assert_int_equal(OK("-h", "-v").action, CLI_ACT_HELP);
	assert_int_equal(OK("-v", "-h").action, CLI_ACT_HELP);
	assert_int_equal(OK("-t", "-v").action, CLI_ACT_VERSION);
	assert_int_equal(OK("-v", "-t").action, CLI_ACT_VERSION);
	assert_int_equal(OK("--signum=STOP", "-t").action, CLI_ACT_SIGNUM);
}

static void test_errors(void **state)
{
	(void)state;
	BAD("unknown option -Z", "-Z");
	BAD("unknown option -T", "-n", "-T");
	BAD("unknown option --bogus", "--bogus");
	BAD("unknown option --bogus=1", "--bogus=1");
	BAD("unexpected argument 'extra'", "-n", "extra");
	/* --vrrp takes no value */
	BAD("option --vrrp takes no argument", "--vrrp=1");
	BAD("option --all takes no argument", "--all=yes");
	BAD("unknown option -Z", "--all", "-Zn");
	/* ambiguous prefix */
	BAD("unknown option --log", "--log");
}

static void test_repeatable(void **state)
{
	struct cli_opts a, b;

	(void)state;
	/* getopt state is reset between calls */
	a = OK("-f", "/x", "-n", "-S", "user");
	b = OK("-f", "/x", "-n", "-S", "user");
	assert_opts_equal(&a, &b);
	b = OK("-f", CLI_DEFAULT_CONF);
	assert_opts_default(&b);
	/* last one wins */
	assert_string_equal(OK("-f", "/1", "-f", "/2").conf_file, "/2");
}

static void test_usage_lists_every_option(void **state)
{
	static const char *const want[] = {
		"--use-file", "--vrrp", "--check", "--all", "--no_bfd", "--log-console",
		"--log-detail", "--log-facility", "--no-syslog", "--log-file", "--umask",
		"--release-vips", "--dont-release-vrrp", "--dont-release-ipvs", "--dont-respawn",
		"--dont-fork", "--dump-conf", "--pid", "--vrrp_pid", "--checkers_pid",
		"--address-monitoring", "--snmp", "--snmp-agent-socket", "--namespace",
		"--core-dump", "--core-dump-pattern", "--all-config", "--config-id", "--signum",
		"--config-test", "--version", "--help",
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	cli_usage(f, "alived");
	fclose(f);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (!strstr(buf, want[i]))
			fail_msg("usage lacks %s", want[i]);
	}
	assert_non_null(strstr(buf, "Usage: alived"));
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	cli_version(f);
	fclose(f);
	assert_non_null(strstr(buf, "alived " PACKAGE_VERSION));
	assert_non_null(strstr(buf, "Build options:"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_detail),
		cmocka_unit_test(test_facility),
		cmocka_unit_test(test_log_file),
		cmocka_unit_test(test_umask),
		cmocka_unit_test(test_pid_files),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_core_dump),
		cmocka_unit_test(test_config_test),
		cmocka_unit_test(test_signum),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_repeatable),
		cmocka_unit_test(test_usage_lists_every_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
