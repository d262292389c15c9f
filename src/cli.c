/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * alived command line. The option letters, long names and meanings are
 * keepalived's (a drop-in must accept the same unit files and scripts);
 * the help text is ours.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "cli.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum {
	OPT_ALL = 256,
	OPT_SIGNUM,
};

static const struct option cli_longopts[] = {
	{ "use-file",		required_argument,	NULL, 'f' },
	{ "vrrp",		no_argument,		NULL, 'P' },
	{ "check",		no_argument,		NULL, 'C' },
	{ "no_bfd",		no_argument,		NULL, 'B' },
	{ "no-bfd",		no_argument,		NULL, 'B' },
	{ "all",		no_argument,		NULL, OPT_ALL },
	{ "log-console",	no_argument,		NULL, 'l' },
	{ "log-detail",		no_argument,		NULL, 'D' },
	{ "log-facility",	required_argument,	NULL, 'S' },
	{ "no-syslog",		no_argument,		NULL, 'G' },
	{ "log-file",		optional_argument,	NULL, 'g' },
	{ "umask",		required_argument,	NULL, 'u' },
	{ "release-vips",	no_argument,		NULL, 'X' },
	{ "dont-release-vrrp",	no_argument,		NULL, 'V' },
	{ "dont-release-ipvs",	no_argument,		NULL, 'I' },
	{ "dont-respawn",	no_argument,		NULL, 'R' },
	{ "dont-fork",		no_argument,		NULL, 'n' },
	{ "dump-conf",		no_argument,		NULL, 'd' },
	{ "pid",		required_argument,	NULL, 'p' },
	{ "vrrp_pid",		required_argument,	NULL, 'r' },
	{ "vrrp-pid",		required_argument,	NULL, 'r' },
	{ "checkers_pid",	required_argument,	NULL, 'c' },
	{ "checkers-pid",	required_argument,	NULL, 'c' },
	{ "bfd_pid",		required_argument,	NULL, 'b' },
	{ "address-monitoring",	no_argument,		NULL, 'a' },
	{ "snmp",		no_argument,		NULL, 'x' },
	{ "snmp-agent-socket",	required_argument,	NULL, 'A' },
	{ "namespace",		required_argument,	NULL, 's' },
	{ "core-dump",		no_argument,		NULL, 'm' },
	{ "core-dump-pattern",	optional_argument,	NULL, 'M' },
	{ "all-config",		no_argument,		NULL, 'e' },
	{ "config-id",		required_argument,	NULL, 'i' },
	{ "signum",		required_argument,	NULL, OPT_SIGNUM },
	{ "config-test",	optional_argument,	NULL, 't' },
	{ "version",		no_argument,		NULL, 'v' },
	{ "help",		no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char cli_shortopts[] = ":f:PCBlDS:Gg::u:XVIRndp:r:c:b:axA:s:mM::ei:t::vh";

void cli_opts_init(struct cli_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->action = CLI_ACT_RUN;
	o->conf_file = CLI_DEFAULT_CONF;
	o->log_facility = LOG_DAEMON;
	o->pid_file = CLI_DEFAULT_PID;
	o->vrrp_pid_file = CLI_DEFAULT_VRRP_PID;
	o->check_pid_file = CLI_DEFAULT_CHECK_PID;
}

int cli_signum(const char *name)
{
	static const struct {
		const char *name;
		int off;	/* >0: a classic signal; <=0: SIGRTMIN/SIGRTMAX based */
	} tab[] = {
		{ "STOP", SIGTERM },
		{ "RELOAD", SIGHUP },
		{ "DATA", SIGUSR1 },
		{ "STATS", SIGUSR2 },
		{ "STATS_CLEAR", -1 },	/* SIGRTMAX - 1 */
		{ "JSON", 0 },		/* SIGRTMIN + 2 */
	};

	for (size_t i = 0; i < ARRAY_SIZE(tab); i++) {
		if (strcasecmp(name, tab[i].name) != 0)
			continue;
		if (tab[i].off > 0)
			return tab[i].off;
		return tab[i].off < 0 ? SIGRTMAX - 1 : SIGRTMIN + 2;
	}
	return -EINVAL;
}

int cli_facility(const char *s)
{
	static const int local[8] = {
		LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
		LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7,
	};

	if (strcasecmp(s, "user") == 0)
		return LOG_USER;
	if (strcasecmp(s, "daemon") == 0)
		return LOG_DAEMON;
	if (strncasecmp(s, "local", 5) == 0)
		s += 5;
	if (s[0] >= '0' && s[0] <= '7' && s[1] == '\0')
		return local[s[0] - '0'];
	return -EINVAL;
}

static int parse_umask(const char *s, mode_t *ret)
{
	char *end;
	unsigned long v;

	if (s[0] < '0' || s[0] > '7')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 8);
	if (errno != 0 || *end != '\0' || v > 0777)
		return -EINVAL;
	*ret = (mode_t)v;
	return 0;
}

__attribute__((format(printf, 3, 4)))
static int fail(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errbuf && errlen) {
		va_start(ap, fmt);
		vsnprintf(errbuf, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* The spelling the user typed for the option getopt just returned. */
static const char *opt_name(int idx, int c, char *buf, size_t len)
{
	if (idx >= 0)
		snprintf(buf, len, "--%s", cli_longopts[idx].name);
	else
		snprintf(buf, len, "-%c", c);
	return buf;
}

static int set_action(struct cli_opts *o, enum cli_action a)
{
	/* help > version > signum > config test > run, whatever the order */
	if (a > o->action)
		o->action = a;
	return 0;
}

/* Handles one option; 0, or -EINVAL with errbuf filled. */
static int cli_one(struct cli_opts *o, int c, const char *arg, const char *name,
		   char *errbuf, size_t errlen)
{
	int v;

	switch (c) {
	case 'f': case 'p': case 'r': case 'c': case 'b':
	case 'A': case 's': case 'i':
		if (!arg || !*arg)
			return fail(errbuf, errlen, "option %s needs a non-empty argument", name);
		break;
	default:
		break;
	}

	switch (c) {
	case 'f': o->conf_file = arg; break;
	case 'P': o->vrrp_only = true; break;
	case 'C': o->check_only = true; break;
	case 'B': o->no_bfd = true; break;
	case OPT_ALL: o->all = true; break;
	case 'l': o->log_console = true; break;
	case 'D': o->log_detail++; break;
	case 'S':
		v = cli_facility(arg);
		if (v < 0)
			return fail(errbuf, errlen, "option %s: '%s' is not a facility "
				    "(0-7, local0-7, user, daemon)", name, arg);
		o->log_facility = v;
		break;
	case 'G': o->no_syslog = true; break;
	case 'g': o->log_file = arg && *arg ? arg : CLI_DEFAULT_LOG_FILE; break;
	case 'u':
		if (parse_umask(arg, &o->umask) < 0)
			return fail(errbuf, errlen, "option %s: '%s' is not an octal mask "
				    "(0-0777)", name, arg);
		o->umask_set = true;
		break;
	case 'X': o->release_vips = true; break;
	case 'V': o->dont_release_vrrp = true; break;
	case 'I': o->dont_release_ipvs = true; break;
	case 'R': o->dont_respawn = true; break;
	case 'n': o->dont_fork = true; break;
	case 'd': o->dump_conf = true; break;
	case 'p': o->pid_file = arg; break;
	case 'r': o->vrrp_pid_file = arg; break;
	case 'c': o->check_pid_file = arg; break;
	case 'b': break;	/* no BFD process: accepted for compatibility */
	case 'a': o->address_monitoring = true; break;
	case 'x': o->snmp = true; break;
	case 'A': o->snmp_socket = arg; break;
	case 's': o->netns = arg; break;
	case 'm': o->core_dump = true; break;
	case 'M':
		o->core_dump = true;
		o->core_pattern = arg && *arg ? arg : CLI_DEFAULT_CORE_PATTERN;
		break;
	case 'e': o->all_config = true; break;
	case 'i': o->config_id = arg; break;
	case OPT_SIGNUM:
		v = cli_signum(arg);
		if (v < 0)
			return fail(errbuf, errlen, "option %s: unknown signal function '%s' "
				    "(STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON)", name, arg);
		o->signum = v;
		return set_action(o, CLI_ACT_SIGNUM);
	case 't':
		o->test_log = arg && *arg ? arg : NULL;
		return set_action(o, CLI_ACT_CONFIG_TEST);
	case 'v': return set_action(o, CLI_ACT_VERSION);
	case 'h': return set_action(o, CLI_ACT_HELP);
	default:
		return fail(errbuf, errlen, "option %s is not handled", name);
	}
	return 0;
}

/* getopt_long said '?': an unknown option, or a long one given a value it
 * does not take (optopt is then its value). */
static int bad_option(const char *word, char *errbuf, size_t errlen)
{
	if (optopt == 0)
		return fail(errbuf, errlen, "unknown option %s", word);
	if (optopt >= 256 || (optopt != ':' && strchr(cli_shortopts, optopt)))
		return fail(errbuf, errlen, "option %.*s takes no argument",
			    (int)strcspn(word, "="), word);
	return fail(errbuf, errlen, "unknown option -%c", optopt);
}

int cli_parse(int argc, char *argv[], struct cli_opts *ret, char *errbuf, size_t errlen)
{
	struct cli_opts o;
	char name[64];
	int c, idx, r = 0;

	cli_opts_init(&o);
	if (errbuf && errlen)
		errbuf[0] = '\0';

	optind = 0;	/* glibc: full re-initialisation */
	opterr = 0;
	for (;;) {
		idx = -1;
		c = getopt_long(argc, argv, cli_shortopts, cli_longopts, &idx);
		if (c == -1)
			break;
		if (c == '?') {
			r = bad_option(argv[optind - 1], errbuf, errlen);
			goto out;
		}
		if (c == ':') {
			if (strncmp(argv[optind - 1], "--", 2) == 0)
				r = fail(errbuf, errlen, "option %s needs an argument",
					 argv[optind - 1]);
			else
				r = fail(errbuf, errlen, "option -%c needs an argument", optopt);
			goto out;
		}
		r = cli_one(&o, c, optarg, opt_name(idx, c, name, sizeof(name)), errbuf, errlen);
		if (r < 0)
			goto out;
	}
	if (optind < argc) {
		r = fail(errbuf, errlen, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	*ret = o;
out:
	return r;
}

void cli_usage(FILE *out, const char *prog)
{
	static const char *const lines[] = {
		"  -f, --use-file=FILE          read the configuration from FILE",
		"                               (default " CLI_DEFAULT_CONF ")",
		"  -P, --vrrp                   run the VRRP process only",
		"  -C, --check                  run the health-checker process only",
		"      --all                    run both processes even when a part has no "
		"configuration",
		"  -B, --no_bfd                 accepted for compatibility; alived has no BFD "
		"process",
		"  -l, --log-console            also write log messages to standard error",
		"  -D, --log-detail             more detailed log messages (twice: even more)",
		"  -S, --log-facility=FAC       syslog facility: 0-7 (local0-7), local0-7, user, "
		"daemon",
		"  -G, --no-syslog              do not log to syslog",
		"  -g, --log-file[=FILE]        also log to FILE (default " CLI_DEFAULT_LOG_FILE
		"); shared by the three processes",
		"  -u, --umask=MASK             octal file-creation mask for the daemon",
		"  -X, --release-vips           release virtual addresses when stopped by a signal",
		"  -V, --dont-release-vrrp      keep virtual addresses and routes on exit",
		"  -I, --dont-release-ipvs      keep the IPVS configuration on exit",
		"  -R, --dont-respawn           do not restart a child that died; stop instead",
		"  -n, --dont-fork              stay in the foreground",
		"  -d, --dump-conf              print the parsed configuration before starting",
		"  -p, --pid=FILE               pid file of the parent (default "
		CLI_DEFAULT_PID ")",
		"  -r, --vrrp_pid=FILE          pid file of the VRRP process (default "
		CLI_DEFAULT_VRRP_PID ")",
		"  -c, --checkers_pid=FILE      pid file of the checker process (default "
		CLI_DEFAULT_CHECK_PID ")",
		"  -b, --bfd_pid=FILE           accepted for compatibility; ignored",
		"  -a, --address-monitoring     log every address change seen on netlink",
		"  -x, --snmp                   act as an AgentX subagent",
		"  -A, --snmp-agent-socket=SOCK AgentX master socket (default: net-snmp's)",
		"  -s, --namespace=NAME         run inside network namespace NAME",
		"  -m, --core-dump              allow core dumps on a crash",
		"  -M, --core-dump-pattern[=P]  like -m, and set the kernel core pattern to P "
		"(default 'core')",
		"  -e, --all-config             a missing include file is an error",
		"  -i, --config-id=ID           keep only '@ID' conditional lines (default: host "
		"name)",
		"      --signum=FUNC            print the signal number for STOP, RELOAD, DATA, "
		"STATS, STATS_CLEAR or JSON",
		"  -t, --config-test[=FILE]     check the configuration, report to stderr or FILE, "
		"and exit",
		"  -v, --version                print the version and build options",
		"  -h, --help                   print this help",
	};

	fprintf(out, "Usage: %s [OPTION]...\n", prog);
	fprintf(out, "Keep service addresses alive: VRRP failover and load-balancer "
		"health checks.\n\n");
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
		fprintf(out, "%s\n", lines[i]);
}

void cli_version(FILE *out)
{
	fprintf(out, "alived %s\n", PACKAGE_VERSION);
	fprintf(out, "Build options: %s\n", BUILD_OPTIONS[0] ? BUILD_OPTIONS : "(none)");
}
