/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * alived command line: keepalived's options, short and long, parsed into a
 * plain struct. Pure: no logging, no I/O beyond the usage/version texts the
 * caller asks for.
 */
#ifndef ALIVED_CLI_H
#define ALIVED_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#ifndef RUNSTATEDIR
#define RUNSTATEDIR "/run"
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0.0.0"
#endif
#ifndef BUILD_OPTIONS
#define BUILD_OPTIONS ""
#endif

#define CLI_DEFAULT_CONF	SYSCONFDIR "/alived/alived.conf"
#define CLI_DEFAULT_PID		RUNSTATEDIR "/alived.pid"
#define CLI_DEFAULT_VRRP_PID	RUNSTATEDIR "/alived_vrrp.pid"
#define CLI_DEFAULT_CHECK_PID	RUNSTATEDIR "/alived_check.pid"
#define CLI_DEFAULT_LOG_FILE	"/tmp/alived.log"
#define CLI_DEFAULT_CORE_PATTERN "core"

/* Exit codes; -t's are documented in alived(8) and stable. */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_CONFIG = 1,	/* configuration errors (or a fatal runtime error) */
	CLI_EXIT_USAGE = 2,	/* bad command line */
	CLI_EXIT_NOFILE = 3,	/* the configuration file cannot be read */
};

enum cli_action {
	CLI_ACT_RUN,		/* start the daemon */
	CLI_ACT_CONFIG_TEST,	/* -t */
	CLI_ACT_SIGNUM,		/* --signum: print a number */
	CLI_ACT_VERSION,	/* -v */
	CLI_ACT_HELP,		/* -h */
	CLI_ACT__COUNT,
};

/* Every string points into argv or to a static default (borrowed). */
struct cli_opts {
	enum cli_action action;
	const char *conf_file;		/* -f */
	bool vrrp_only;			/* -P */
	bool check_only;		/* -C */
	bool all;			/* --all: start both children even without config */
	bool no_bfd;			/* -B: accepted, no effect */
	bool log_console;		/* -l */
	unsigned log_detail;		/* -D, counted */
	int log_facility;		/* -S, as LOG_* facility value; LOG_DAEMON default */
	bool no_syslog;			/* -G */
	const char *log_file;		/* -g[FILE]; NULL = no log file */
	bool dont_release_vrrp;		/* -V */
	bool dont_release_ipvs;		/* -I */
	bool dont_respawn;		/* -R */
	bool dont_fork;			/* -n */
	bool dump_conf;			/* -d */
	const char *pid_file;		/* -p */
	const char *vrrp_pid_file;	/* -r */
	const char *check_pid_file;	/* -c */
	bool snmp;			/* -x */
	const char *snmp_socket;	/* -A; NULL = net-snmp's default */
	const char *netns;		/* -s; NULL = none */
	const char *config_id;		/* -i; NULL = host name's first label */
	bool umask_set;			/* -u given */
	mode_t umask;			/* -u value (octal) */
	const char *test_log;		/* -t=FILE; NULL = stderr */
	bool all_config;		/* -e */
	bool release_vips;		/* -X */
	bool address_monitoring;	/* -a */
	bool core_dump;			/* -m or -M */
	const char *core_pattern;	/* -M[=P]; NULL = leave the kernel's pattern */
	int signum;			/* --signum result */
};

/* Defaults, as if no option had been given. */
void cli_opts_init(struct cli_opts *o);

/*
 * Parses argv (getopt_long; resets getopt's state first, so it may be
 * called repeatedly). On success fills *ret and returns 0. On a usage
 * error returns -EINVAL and writes a one-line reason into errbuf (without
 * the program name); *ret is then untouched.
 */
int cli_parse(int argc, char *argv[], struct cli_opts *ret, char *errbuf, size_t errlen);

/* Maps a --signum name (STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON,
 * case-insensitive) to a signal number; -EINVAL when unknown. */
int cli_signum(const char *name);

/* Maps a -S value (0-7, local0-7, user, daemon) to a LOG_* facility;
 * -EINVAL when unknown. */
int cli_facility(const char *s);

void cli_usage(FILE *out, const char *prog);
void cli_version(FILE *out);

#endif
