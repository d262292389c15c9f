/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * alived: entry point. Parses the command line, answers -h, -v, --signum
 * and -t, sets up logging and hands over to the supervisor.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alived/config.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "cli.h"
#include "supervisor.h"

/* -t: exit 0 (warnings allowed), 1 (errors), 3 (file unreadable). */
static int main_config_test(const struct cli_opts *o)
{
	struct cfg_diags diags;
	struct cfg_root *root = NULL;
	FILE *out = stderr;
	int r, code;

	if (o->test_log) {
		out = fopen(o->test_log, "we");
		if (!out) {
			fprintf(stderr, "alived: %s: %s\n", o->test_log, strerror(errno));
			return CLI_EXIT_USAGE;
		}
	}
	cfg_diags_init(&diags);
	/* inside -s NAME the interfaces are not ours to see: no check then */
	r = sup_cfg_load(o, o->netns == NULL, &diags, &root);
	cfg_diags_print(&diags, out);
	if (r == 0) {
		code = CLI_EXIT_OK;
		if (o->dump_conf)
			cfg_dump(root, stdout);
	} else if (r == -EINVAL) {
		code = CLI_EXIT_CONFIG;
		fprintf(out, "%s: configuration refused: %u error%s, %u warning%s\n",
			o->conf_file, diags.n_err, diags.n_err == 1 ? "" : "s", diags.n_warn,
			diags.n_warn == 1 ? "" : "s");
	} else {
		code = CLI_EXIT_NOFILE;
		if (diags.n == 0)
			fprintf(out, "%s: %s\n", o->conf_file, strerror(-r));
	}
	cfg_diags_free(&diags);
	cfg_free(root);
	if (out != stderr && fclose(out) != 0)
		code = code ? code : CLI_EXIT_USAGE;
	return code;
}

/* Paths stay valid after chdir("/"): relative ones get the start directory. */
static const char *main_abs(const char *path, char **owned)
{
	char cwd[PATH_MAX];

	if (!path || path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return path;
	*owned = xasprintf("%s/%s", cwd, path);
	return *owned;
}

static int main_log_open(const struct cli_opts *o)
{
	struct log_opts lo = {
		.ident = "alived",
		.facility = o->log_facility,
		.level = o->log_detail ? LOG_DEBUG : LOG_INFO,
	};
	int r;

	if (!o->no_syslog)
		lo.dest |= LOG_TO_SYSLOG;
	if (o->log_console)
		lo.dest |= LOG_TO_STDERR;
	if (o->log_file) {
		lo.dest |= LOG_TO_FILE;
		lo.file = o->log_file;
	}
	if (!lo.dest) {
		/* -G alone: log nowhere (0 would mean syslog) */
		lo.dest = LOG_TO_FILE;
		lo.file = "/dev/null";
	}
	if (o->log_detail >= 2) {
		log_cat_set_all(true);
	} else if (o->log_detail == 1) {
		log_cat_set(LOG_CAT_PROTO, true);
		log_cat_set(LOG_CAT_CHECK, true);
		log_cat_set(LOG_CAT_CONFIG, true);
	}
	r = log_open(&lo);
	if (r < 0)
		log_err_errno(r, "%s: cannot open the log file", o->log_file);
	return r;
}

static int main_run(struct cli_opts *o)
{
	char *owned[5] = { NULL };
	int code;

	o->conf_file = main_abs(o->conf_file, &owned[0]);
	o->pid_file = main_abs(o->pid_file, &owned[1]);
	o->vrrp_pid_file = main_abs(o->vrrp_pid_file, &owned[2]);
	o->check_pid_file = main_abs(o->check_pid_file, &owned[3]);
	o->log_file = main_abs(o->log_file, &owned[4]);

	main_log_open(o);
	if (o->no_bfd)
		log_info("-B: alived has no BFD process; nothing to disable");
	code = sup_run(o);
	log_close();
	for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		free(owned[i]);
	return code;
}

int main(int argc, char *argv[])
{
	struct cli_opts o;
	char err[256];
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];

	if (cli_parse(argc, argv, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n\n", prog, err);
		cli_usage(stderr, prog);
		return CLI_EXIT_USAGE;
	}
	switch (o.action) {
	case CLI_ACT_HELP:
		cli_usage(stdout, prog);
		return CLI_EXIT_OK;
	case CLI_ACT_VERSION:
		cli_version(stdout);
		return CLI_EXIT_OK;
	case CLI_ACT_SIGNUM:
		printf("%d\n", o.signum);
		return CLI_EXIT_OK;
	case CLI_ACT_CONFIG_TEST:
		return main_config_test(&o);
	case CLI_ACT_RUN:
	case CLI_ACT__COUNT:
		break;
	}
	return main_run(&o);
}
