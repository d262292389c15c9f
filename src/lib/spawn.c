// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Script spawning with fork + execve. The parent prepares everything that
 * allocates (argv, PATH lookup, the /bin/sh fallback argv) before fork();
 * the child only makes system calls. A close-on-exec pipe reports an exec
 * (or setup) failure back, so spawn_run() can return it: the parent reads
 * until the pipe closes, which happens at the successful execve().
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* pipe2, dup3, close_range */
#endif
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "alived/ev.h"
#include "alived/spawn.h"
#include "alived/xalloc.h"

#define SPAWN_DEFAULT_PATH	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define SPAWN_ERRFD		3	/* where the child keeps the report pipe */

struct spawn_job {
	struct spawn_job *prev, *next;	/* spawn_jobs */
	struct ev_loop *loop;		/* borrowed */
	pid_t owner;			/* the process that started it */
	pid_t pid;
	spawn_done_cb done;
	void (*ud_free)(void *ud);
	void *ud;
	ev_timer_id term_timer;
	ev_timer_id kill_timer;
	bool timed_out;
};

/* Every job in flight, for spawn_cancel(). A forked process inherits the
 * list of its parent: owner tells them apart. */
static struct spawn_job *spawn_jobs;

static void spawn_job_link(struct spawn_job *job)
{
	job->next = spawn_jobs;
	if (spawn_jobs)
		spawn_jobs->prev = job;
	spawn_jobs = job;
}

static void spawn_job_unlink(struct spawn_job *job)
{
	if (job->prev)
		job->prev->next = job->next;
	else if (spawn_jobs == job)
		spawn_jobs = job->next;
	if (job->next)
		job->next->prev = job->prev;
	job->prev = job->next = NULL;
}

/* Everything the child needs, built before fork(). */
struct spawn_prep {
	char **split;			/* owned: words of cmdline */
	const char *const *argv;	/* borrowed: split or opts->argv */
	char *path;			/* owned: the program to execve() */
	const char **sh_argv;		/* owned array: "/bin/sh" path argv[1..] */
	char *const *envp;		/* borrowed */
};

/* ---- command line splitting ---- */

static bool spawn_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copies one word from *sp into out; advances *sp. 0 or -EINVAL. */
static int spawn_word(const char **sp, char *out)
{
	const char *s = *sp;

	while (*s && !spawn_blank(*s)) {
		if (*s == '\'') {
			const char *end = strchr(s + 1, '\'');

			if (!end)
				return -EINVAL;
			memcpy(out, s + 1, (size_t)(end - s - 1));
			out += end - s - 1;
			s = end + 1;
		} else if (*s == '"') {
			for (s++; *s != '"'; s++) {
				if (!*s)
					return -EINVAL;
				if (*s == '\\' && s[1] && strchr("\"\\$`\n", s[1])) {
					if (*++s == '\n')
						continue;
				}
				*out++ = *s;
			}
			s++;
		} else if (*s == '\\') {
			s++;
			if (*s == '\n') {
				s++;
			} else if (*s) {
				*out++ = *s++;
			} else {
				*out++ = '\\';	/* a trailing backslash stays */
			}
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
	*sp = s;
	return 0;
}

void spawn_argv_free(char **argv)
{
	char **a;

	if (!argv)
		return;
	for (a = argv; *a; a++)
		free(*a);
	free(argv);
}

int spawn_split(const char *cmdline, char ***ret_argv)
{
	char **argv = NULL, *buf;
	size_t n = 0;
	int r = 0;

	buf = xmalloc(strlen(cmdline) + 1);
	for (;;) {
		while (spawn_blank(*cmdline))
			cmdline++;
		if (!*cmdline)
			break;
		r = spawn_word(&cmdline, buf);
		if (r < 0)
			goto out;
		argv = xreallocarray(argv, n + 2, sizeof(*argv));
		argv[n++] = xstrdup(buf);
		argv[n] = NULL;
	}
	if (n == 0 || n > INT_MAX) {
		r = -EINVAL;
		goto out;
	}
	*ret_argv = argv;
	argv = NULL;
	r = (int)n;
out:
	spawn_argv_free(argv);
	free(buf);
	return r;
}

/* ---- preparation (parent) ---- */

static bool spawn_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static const char *spawn_env_path(char *const *envp)
{
	for (; *envp; envp++)
		if (!strncmp(*envp, "PATH=", 5))
			return *envp + 5;
	return NULL;
}

/* The program to execve(): name itself when it has a "/", else a PATH hit. */
static int spawn_lookup(const char *name, char *const *envp, char **ret_path)
{
	const char *path, *p, *colon;
	char *cand;

	if (!*name)
		return -ENOENT;
	if (strchr(name, '/')) {
		*ret_path = xstrdup(name);
		return 0;
	}
	path = spawn_env_path(envp);
	if (!path)
		path = SPAWN_DEFAULT_PATH;
	for (p = path;; p = colon + 1) {
		int dirlen;

		colon = strchr(p, ':');
		dirlen = (int)(colon ? colon - p : (ptrdiff_t)strlen(p));
		/* An empty element means the current directory. */
		cand = xasprintf("%.*s%s%s", dirlen, p, dirlen ? "/" : "", name);
		if (spawn_executable(cand)) {
			*ret_path = cand;
			return 0;
		}
		free(cand);
		if (!colon)
			return -ENOENT;
	}
}

static void spawn_prep_free(struct spawn_prep *p)
{
	spawn_argv_free(p->split);
	free(p->path);
	free(p->sh_argv);
}

static int spawn_prepare(const struct spawn_opts *opts, struct spawn_prep *p)
{
	size_t n, i;
	int r;

	memset(p, 0, sizeof(*p));
	p->envp = opts->envp ? (char *const *)opts->envp : environ;
	if (opts->argv && opts->argv[0]) {
		p->argv = opts->argv;
	} else if (opts->cmdline) {
		r = spawn_split(opts->cmdline, &p->split);
		if (r < 0)
			return r;
		p->argv = (const char *const *)p->split;
	} else {
		return -EINVAL;
	}
	r = spawn_lookup(p->argv[0], p->envp, &p->path);
	if (r < 0)
		return r;
	for (n = 0; p->argv[n]; n++)
		;
	p->sh_argv = xcalloc(n + 2, sizeof(*p->sh_argv));
	p->sh_argv[0] = "/bin/sh";
	p->sh_argv[1] = p->path;
	for (i = 1; i < n; i++)
		p->sh_argv[i + 1] = p->argv[i];
	return 0;
}

/* ---- child ---- */

static void spawn_close_from(int lowfd)
{
	struct rlimit rl;
	long fd, max = 65536;

	if (close_range((unsigned)lowfd, ~0U, 0) == 0)
		return;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < (rlim_t)max)
		max = (long)rl.rlim_cur;
	for (fd = lowfd; fd < max; fd++)
		close((int)fd);
}

static _Noreturn void spawn_child(const struct spawn_prep *p, const struct spawn_opts *opts,
				  int rfd, int wfd)
{
	struct sigaction sa;
	sigset_t none;
	int sig, fd, err;
	ssize_t w;

	setpgid(0, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < _NSIG; sig++)
		sigaction(sig, &sa, NULL);	/* SIGKILL, SIGSTOP, ... fail: fine */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	close(rfd);
	if (wfd != SPAWN_ERRFD) {
		if (dup3(wfd, SPAWN_ERRFD, O_CLOEXEC) < 0)
			goto fail;
		wfd = SPAWN_ERRFD;
	}
	spawn_close_from(SPAWN_ERRFD + 1);
	fd = open("/dev/null", O_RDONLY);
	if (fd < 0)
		goto fail;
	if (fd != STDIN_FILENO) {
		if (dup2(fd, STDIN_FILENO) < 0)
			goto fail;
		close(fd);
	}
	if (opts->set_ids) {
		if (setgroups(1, &opts->gid) < 0 || setgid(opts->gid) < 0 ||
		    setuid(opts->uid) < 0)
			goto fail;
	}
	execve(p->path, (char *const *)p->argv, p->envp);
	if (errno == ENOEXEC)
		execve("/bin/sh", (char *const *)p->sh_argv, p->envp);
fail:
	err = errno ? errno : EIO;
	w = write(wfd, &err, sizeof(err));
	(void)w;
	_exit(127);
}

/* ---- parent: job life ---- */

static void spawn_signal_group(pid_t pid, int sig)
{
	if (kill(-pid, sig) < 0 && errno == ESRCH)
		kill(pid, sig);		/* no group (setpgid failed): the child alone */
}

static void spawn_kill_cb(void *ud)
{
	struct spawn_job *job = ud;

	job->kill_timer = 0;
	spawn_signal_group(job->pid, SIGKILL);
}

static void spawn_timeout_cb(void *ud)
{
	struct spawn_job *job = ud;

	job->term_timer = 0;
	job->timed_out = true;
	spawn_signal_group(job->pid, SIGTERM);
	/* What is left of the group when the child dies is killed at once. */
	ev_child_set_killpg(job->loop, job->pid, SIGKILL);
	job->kill_timer = ev_timer_add(job->loop, SPAWN_KILL_DELAY_US, spawn_kill_cb, job);
}

static void spawn_reaped_cb(pid_t pid, int wstatus, void *ud)
{
	struct spawn_job *job = ud;

	ev_timer_cancel(job->loop, job->term_timer);
	ev_timer_cancel(job->loop, job->kill_timer);
	spawn_job_unlink(job);
	if (job->done)
		job->done(pid, wstatus, job->timed_out, job->ud);
	free(job);
}

static void spawn_job_cancel(struct spawn_job *job, int signo)
{
	if (signo)
		spawn_signal_group(job->pid, signo);
	ev_child_unwatch(job->loop, job->pid);
	ev_timer_cancel(job->loop, job->term_timer);
	ev_timer_cancel(job->loop, job->kill_timer);
	spawn_job_unlink(job);
	if (job->ud_free)
		job->ud_free(job->ud);
	free(job);
}

int spawn_cancel(struct ev_loop *loop, pid_t pid, int signo)
{
	pid_t me = getpid();

	for (struct spawn_job *job = spawn_jobs; job; job = job->next) {
		if (job->loop != loop || job->pid != pid || job->owner != me)
			continue;
		spawn_job_cancel(job, signo);
		return 0;
	}
	return -ENOENT;
}

unsigned spawn_cancel_all(struct ev_loop *loop, int signo)
{
	struct spawn_job *job = spawn_jobs, *next;
	pid_t me = getpid();
	unsigned n = 0;

	for (; job; job = next) {
		next = job->next;	/* ud_free() starts no job: next stays valid */
		if (job->loop != loop || job->owner != me)
			continue;
		spawn_job_cancel(job, signo);
		n++;
	}
	return n;
}

/* Waits for the exec report. 0 when the child exec'd, else -errno. */
static int spawn_wait_exec(int rfd)
{
	int err = 0;
	ssize_t n;

	do {
		n = read(rfd, &err, sizeof(err));
	} while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0;
	if (n != (ssize_t)sizeof(err) || err <= 0)
		return -EIO;
	return -err;
}

int spawn_run(struct ev_loop *loop, const struct spawn_opts *opts, spawn_done_cb done, void *ud,
	      pid_t *ret_pid)
{
	struct spawn_prep prep;
	struct spawn_job *job;
	int pfd[2] = { -1, -1 };
	pid_t pid;
	int r, fd;

	r = spawn_prepare(opts, &prep);
	if (r < 0)
		goto out;
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	/* Keep the write end clear of 0-2, which the child rewires. */
	if (pfd[1] <= STDERR_FILENO) {
		fd = fcntl(pfd[1], F_DUPFD_CLOEXEC, SPAWN_ERRFD);
		if (fd < 0) {
			r = -errno;
			goto out;
		}
		close(pfd[1]);
		pfd[1] = fd;
	}
	pid = fork();
	if (pid < 0) {
		r = -errno;
		goto out;
	}
	if (pid == 0)
		spawn_child(&prep, opts, pfd[0], pfd[1]);

	close(pfd[1]);
	pfd[1] = -1;
	setpgid(pid, pid);	/* also done by the child; whichever is first */
	r = spawn_wait_exec(pfd[0]);
	if (r < 0) {
		waitpid(pid, NULL, 0);	/* it is exiting with 127 */
		goto out;
	}

	job = xcalloc(1, sizeof(*job));
	job->loop = loop;
	job->owner = getpid();
	job->pid = pid;
	job->done = done;
	job->ud_free = opts->ud_free;
	job->ud = ud;
	r = ev_child_watch(loop, pid, spawn_reaped_cb, job);
	if (r < 0) {
		/* A stale watch on a reused pid: nobody can get this child's status. */
		spawn_signal_group(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		free(job);
		goto out;
	}
	spawn_job_link(job);
	if (opts->timeout_us)
		job->term_timer = ev_timer_add(loop, opts->timeout_us, spawn_timeout_cb, job);
	if (ret_pid)
		*ret_pid = pid;
	r = 0;
out:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	spawn_prep_free(&prep);
	return r;
}
