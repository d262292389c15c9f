/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running scripts (notify, track, MISC_CHECK) asynchronously on the loop.
 *
 * The child runs in its own process group, with default signal
 * dispositions, no blocked signals, stdin from /dev/null, stdout and stderr
 * inherited, and no other fd. On timeout its group gets SIGTERM, then
 * SIGKILL SPAWN_KILL_DELAY_US later if the child is still alive; whatever
 * of the group is left when the child dies is killed too. done() is called
 * exactly once, after the child has been reaped.
 */
#ifndef ALIVED_SPAWN_H
#define ALIVED_SPAWN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct ev_loop;

#define SPAWN_KILL_DELAY_US	1000000u	/* SIGTERM -> SIGKILL */

struct spawn_opts {
	/*
	 * Either argv (argv[0] the program, NULL-terminated) or cmdline, split
	 * by spawn_split() (no shell is involved). A program without "/" is
	 * looked up in PATH (from envp when it sets PATH, else ours). A file
	 * that is not a binary and has no "#!" line runs with /bin/sh.
	 */
	const char *const *argv;
	const char *cmdline;
	uid_t uid;			/* with set_ids */
	gid_t gid;			/* with set_ids; also the only group */
	bool set_ids;
	uint64_t timeout_us;		/* 0 = none */
	const char *const *envp;	/* NULL = inherit ours */
	/* Releases ud when the job is cancelled (spawn_cancel()), as done()
	 * is then never called. NULL: nothing to release. */
	void (*ud_free)(void *ud);
};

typedef void (*spawn_done_cb)(pid_t pid, int wstatus, bool timed_out, void *ud);

/*
 * Starts the program and returns at once; done (may be NULL) gets the wait
 * status. Returns 0 and *ret_pid (may be NULL), or -errno: -EINVAL (no
 * argv/cmdline, bad quoting), -ENOENT (program not found), or the error
 * of fork() or of execve() (e.g. -EACCES) and of the uid/gid switch
 * (-EPERM); then done is never called.
 */
int spawn_run(struct ev_loop *loop, const struct spawn_opts *opts, spawn_done_cb done, void *ud,
	      pid_t *ret_pid);

/*
 * Forgets the job of child pid started on loop: its timers stop, done() is
 * never called and opts->ud_free(ud) is (the job's memory is freed). With
 * signo (0 = none), its process group gets that signal first. The loop
 * still reaps the child, silently; a child it never reaps is init's. For
 * the jobs of a loop about to be freed, whose done() would never come.
 * 0 or -ENOENT (no such job of loop in this process).
 */
int spawn_cancel(struct ev_loop *loop, pid_t pid, int signo);
/* spawn_cancel() of every job of loop; returns how many there were. */
unsigned spawn_cancel_all(struct ev_loop *loop, int signo);

/*
 * Splits a command line into words as a POSIX shell would for plain
 * words: blanks separate words; '...' is literal; "..." is literal except
 * \" \\ \$ \` and backslash-newline; an unquoted backslash quotes the next
 * character. No expansion, redirection or operators: ";", "|", "$X" and
 * "*" are ordinary characters. Returns the number of words (> 0) and a
 * NULL-terminated *ret_argv to free with spawn_argv_free(), or -EINVAL
 * (unterminated quote, no word).
 */
int spawn_split(const char *cmdline, char ***ret_argv);
void spawn_argv_free(char **argv);

#endif
