/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parent process: validates the configuration, daemonizes, writes the
 * pid files, forks the VRRP and checker processes, restarts them with
 * back-off, forwards signals, and stops everything in order.
 */
#ifndef ALIVED_SUPERVISOR_H
#define ALIVED_SUPERVISOR_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "alived/config.h"

struct cli_opts;

/* Runs the daemon; returns the process exit code. */
int sup_run(const struct cli_opts *opts);

/*
 * Loads the configuration named by opts (with -i, -e). With
 * check_interfaces, an interface the configuration names that does not
 * exist on this host adds a warning. Return as cfg_load().
 */
int sup_cfg_load(const struct cli_opts *opts, bool check_interfaces, struct cfg_diags *diags,
		 struct cfg_root **ret_root);
/* Logs every diagnostic as "FILE:LINE: message" at its severity. */
void sup_log_diags(const struct cfg_diags *diags);
/* Whether a part of the configuration has something to run. */
bool sup_cfg_has_vrrp(const struct cfg_root *root);
bool sup_cfg_has_check(const struct cfg_root *root);

/* "SIGTERM", "SIGRTMIN+2", "signal 99" into buf; returns buf. */
const char *sup_signame(int signo, char *buf, size_t len);

/*
 * Pid files. sup_pidfile_check(): 0 when path is absent or stale,
 * -EEXIST with *ret_pid when a live alived process holds it, other
 * -errno when it cannot be read. sup_pidfile_write(): creates path with
 * O_EXCL holding pid; a stale file (or, with force, any file) is
 * replaced; -EEXIST with *ret_pid when a live process holds it.
 * sup_pidfile_remove(): unlinks path only when it holds pid.
 */
int sup_pidfile_check(const char *path, pid_t *ret_pid);
int sup_pidfile_write(const char *path, pid_t pid, bool force, pid_t *ret_pid);
int sup_pidfile_remove(const char *path, pid_t pid);

#endif
