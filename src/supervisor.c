/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parent process ("alived"). It owns the validated configuration,
 * forks one process per part (VRRP, checker), watches them through the
 * event loop and restarts one that dies, with back-off: at once the first
 * time, then after 1, 2, 4 ... up to 30 s; a child that ran 60 s starts
 * the sequence again. A child exiting with CHILD_EXIT_FATAL_CONFIG, or any
 * death under -R, stops everything.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* setns */
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "alived/cfg_check.h"
#include "alived/cfg_vrrp.h"
#include "alived/config.h"
#include "alived/ev.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "child.h"
#include "cli.h"
#include "supervisor.h"

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define SUP_BACKOFF_FIRST_MS	1000u
#define SUP_BACKOFF_MAX_MS	30000u
#define SUP_RUN_RESET_US	(60u * 1000000u)	/* a run this long resets the back-off */
#define SUP_STOP_GRACE_US	(5u * 1000000u)		/* TERM, then KILL after this */

struct sup;

struct sup_child {
	struct sup *sup;		/* borrowed */
	enum child_kind kind;
	pid_t pid;			/* 0 = not running */
	uint64_t started_us;
	uint32_t backoff_ms;		/* delay of the next restart */
	ev_timer_id restart_timer;
	const char *pid_file;		/* borrowed from opts */
};

struct sup {
	const struct cli_opts *opts;	/* borrowed */
	struct ev_loop *loop;
	struct cfg_root *root;
	struct sup_child child[CHILD__COUNT];
	bool stopping;
	int exit_code;
	ev_timer_id kill_timer;
	int ready_fd;			/* to the waiting foreground process; -1 */
	bool pid_written;		/* our pid file is ours to remove */
};

/* ------------------------------------------------------------------ */
/* Configuration helpers, shared with main.c (-t) and child.c (reload) */

static void check_ifname(struct cfg_diags *d, const char *name, const char *file, unsigned line)
{
	if (name && name[0] && if_nametoindex(name) == 0)
		cfg_diag(d, CFG_SEV_WARN, file, line, "interface %s does not exist on this host",
			 name);
}

static void check_vips(struct cfg_diags *d, const struct cfg_vip *v)
{
	for (; v; v = v->next)
		check_ifname(d, v->dev, v->file, v->line);
}

static void check_interfaces(const struct cfg_root *root, struct cfg_diags *d)
{
	const struct cfg_vrrp_inst *i;
	const struct cfg_track_ref *t;

	for (i = root->vrrp->insts; i; i = i->next) {
		check_ifname(d, i->interface, i->file, i->interface_line ? i->interface_line
								      : i->line);
		for (t = i->track[CFG_TRACK_IF]; t; t = t->next)
			check_ifname(d, t->name, t->file, t->line);
		check_vips(d, i->vips);
		check_vips(d, i->evips);
	}
	check_vips(d, root->vrrp->static_vips);
}

int sup_cfg_load(const struct cli_opts *opts, bool check_ifs, struct cfg_diags *diags,
		 struct cfg_root **ret_root)
{
	struct cfg_opts co = {
		.config_id = opts->config_id,
		.include_check = opts->all_config,
		.check_interfaces = false,	/* done here, where I/O is allowed */
	};
	struct cfg_root *root = NULL;
	int r;

	r = cfg_load(opts->conf_file, &co, diags, &root);
	if (r < 0)
		return r;
	if (check_ifs)
		check_interfaces(root, diags);
	*ret_root = root;
	return 0;
}

void sup_log_diags(const struct cfg_diags *diags)
{
	static const int level[] = {
		[CFG_SEV_NOTICE] = LOG_NOTICE,
		[CFG_SEV_WARN] = LOG_WARNING,
		[CFG_SEV_ERROR] = LOG_ERR,
	};
	static const char *const word[] = {
		[CFG_SEV_NOTICE] = "notice",
		[CFG_SEV_WARN] = "warning",
		[CFG_SEV_ERROR] = "error",
	};
	_Static_assert(ARRAY_SIZE(level) == CFG_SEV__COUNT, "level");
	_Static_assert(ARRAY_SIZE(word) == CFG_SEV__COUNT, "word");

	for (size_t i = 0; i < diags->n; i++) {
		const struct cfg_diag *g = &diags->v[i];
		unsigned sev = g->sev < CFG_SEV__COUNT ? g->sev : CFG_SEV_ERROR;

		if (g->file && g->line)
			log_msg(level[sev], "%s:%u: %s: %s", g->file, g->line, word[sev], g->msg);
		else if (g->file)
			log_msg(level[sev], "%s: %s: %s", g->file, word[sev], g->msg);
		else
			log_msg(level[sev], "%s: %s", word[sev], g->msg);
	}
}

bool sup_cfg_has_vrrp(const struct cfg_root *root)
{
	return root && root->vrrp && root->vrrp->insts;
}

bool sup_cfg_has_check(const struct cfg_root *root)
{
	return root && root->check && root->check->vs;
}

const char *sup_signame(int signo, char *buf, size_t len)
{
	static const char *const names[] = {
		[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGKILL] = "SIGKILL",
		[SIGUSR1] = "SIGUSR1", [SIGUSR2] = "SIGUSR2", [SIGTERM] = "SIGTERM",
		[SIGSEGV] = "SIGSEGV", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS",
		[SIGPIPE] = "SIGPIPE", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
		[SIGFPE] = "SIGFPE",
	};

	if (signo > 0 && (size_t)signo < ARRAY_SIZE(names) && names[signo])
		snprintf(buf, len, "%s", names[signo]);
	else if (signo >= SIGRTMIN && signo <= SIGRTMAX)
		snprintf(buf, len, "SIGRTMIN+%d", signo - SIGRTMIN);
	else
		snprintf(buf, len, "signal %d", signo);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Pid files */

static int pidfile_read(const char *path, pid_t *ret_pid)
{
	char buf[32], *end;
	ssize_t n;
	long v;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || v <= 0 || v > INT32_MAX)
		return -EINVAL;
	*ret_pid = (pid_t)v;
	return 0;
}

static int read_comm(pid_t pid, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%ld/comm", (long)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/comm");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* A live process running the same program as us (not us). */
static bool pid_is_ours(pid_t pid)
{
	char a[32], b[32];

	if (pid <= 0 || pid == getpid())
		return false;
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return false;
	if (read_comm(pid, a, sizeof(a)) < 0 || read_comm(0, b, sizeof(b)) < 0)
		return true;	/* cannot tell: be careful */
	return strcmp(a, b) == 0;
}

int sup_pidfile_check(const char *path, pid_t *ret_pid)
{
	pid_t pid = 0;
	int r;

	r = pidfile_read(path, &pid);
	if (r == -ENOENT || r == -EINVAL)
		return 0;
	if (r < 0)
		return r;
	if (!pid_is_ours(pid))
		return 0;
	*ret_pid = pid;
	return -EEXIST;
}

int sup_pidfile_write(const char *path, pid_t pid, bool force, pid_t *ret_pid)
{
	char buf[32];
	pid_t old;
	int fd = -1, r, len;

	for (int tries = 0; tries < 3 && fd < 0; tries++) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd >= 0)
			break;
		if (errno != EEXIST)
			return -errno;
		if (!force && pidfile_read(path, &old) == 0 && old != pid && pid_is_ours(old)) {
			*ret_pid = old;
			return -EEXIST;
		}
		if (unlink(path) < 0 && errno != ENOENT)
			return -errno;
	}
	if (fd < 0)
		return -EBUSY;
	len = snprintf(buf, sizeof(buf), "%ld\n", (long)pid);
	r = write(fd, buf, (size_t)len) == len ? 0 : (errno ? -errno : -EIO);
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		unlink(path);
	return r;
}

int sup_pidfile_remove(const char *path, pid_t pid)
{
	pid_t old;
	int r;

	r = pidfile_read(path, &old);
	if (r < 0)
		return r;
	if (old != pid)
		return -ESRCH;
	return unlink(path) < 0 ? -errno : 0;
}

/* ------------------------------------------------------------------ */
/* Children */

static bool sup_wanted(const struct sup *s, enum child_kind kind)
{
	const struct cli_opts *o = s->opts;

	if (o->vrrp_only || o->check_only)
		return kind == CHILD_VRRP ? o->vrrp_only : o->check_only;
	if (o->all)
		return true;
	return kind == CHILD_VRRP ? sup_cfg_has_vrrp(s->root) : sup_cfg_has_check(s->root);
}

static void sup_child_exited(pid_t pid, int wstatus, void *ud);
static void sup_restart_due(void *ud);

/* Next restart delay: 0, then 1 s, doubling up to the maximum. */
static uint32_t sup_backoff_next(struct sup_child *c)
{
	uint32_t delay_ms = c->backoff_ms;

	if (c->backoff_ms == 0)
		c->backoff_ms = SUP_BACKOFF_FIRST_MS;
	else if (c->backoff_ms < SUP_BACKOFF_MAX_MS / 2)
		c->backoff_ms *= 2;
	else
		c->backoff_ms = SUP_BACKOFF_MAX_MS;
	return delay_ms;
}

static void sup_child_start(struct sup *s, struct sup_child *c)
{
	pid_t parent = getpid(), pid;
	uint32_t delay_ms;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int err = errno;

		delay_ms = sup_backoff_next(c);
		if (delay_ms < SUP_BACKOFF_FIRST_MS)
			delay_ms = SUP_BACKOFF_FIRST_MS;
		log_err_errno(err, "%s process: cannot fork; trying again in %u s",
			      child_name(c->kind), delay_ms / 1000u);
		c->restart_timer = ev_timer_add(s->loop, (uint64_t)delay_ms * 1000u,
						sup_restart_due, c);
		return;
	}
	if (pid == 0) {
		struct cfg_root *root = s->root;

		/*
		 * Never returns to the parent's loop. Freeing it here only
		 * closes this process's copies of its fds (ev_loop_free
		 * leaves the epoll set and signalfd shared with the parent
		 * untouched in a forked child).
		 */
		s->root = NULL;
		ev_loop_free(s->loop);
		s->loop = NULL;
		if (s->ready_fd >= 0)
			close(s->ready_fd);
		child_main(c->kind, s->opts, root, parent);
	}
	c->pid = pid;
	c->started_us = ev_time_us();
	ev_child_watch(s->loop, pid, sup_child_exited, c);
	log_info("%s process %ld: started", child_name(c->kind), (long)pid);
}

static void sup_restart_due(void *ud)
{
	struct sup_child *c = ud;

	c->restart_timer = 0;
	if (!c->sup->stopping && c->pid == 0)
		sup_child_start(c->sup, c);
}

static int sup_running(const struct sup *s)
{
	int n = 0;

	for (int k = 0; k < CHILD__COUNT; k++)
		n += s->child[k].pid != 0;
	return n;
}

static void sup_kill_due(void *ud)
{
	struct sup *s = ud;

	s->kill_timer = 0;
	for (int k = 0; k < CHILD__COUNT; k++) {
		struct sup_child *c = &s->child[k];

		if (c->pid == 0)
			continue;
		log_warn("%s process %ld: still running after %u s; killing it",
			 child_name(c->kind), (long)c->pid, SUP_STOP_GRACE_US / 1000000u);
		kill(c->pid, SIGKILL);
	}
}

/* Stops the children (TERM, then KILL after the grace time), then the loop. */
static void sup_stop(struct sup *s, int code)
{
	if (s->stopping)
		return;
	s->stopping = true;
	s->exit_code = code;
	for (int k = 0; k < CHILD__COUNT; k++) {
		struct sup_child *c = &s->child[k];

		ev_timer_cancel(s->loop, c->restart_timer);
		c->restart_timer = 0;
		if (c->pid)
			kill(c->pid, SIGTERM);
	}
	if (sup_running(s) == 0) {
		ev_break(s->loop, code);
		return;
	}
	s->kill_timer = ev_timer_add(s->loop, SUP_STOP_GRACE_US, sup_kill_due, s);
}

static void describe_status(int wstatus, char *buf, size_t len)
{
	char name[32];

	if (WIFEXITED(wstatus))
		snprintf(buf, len, "exited with code %d", WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		snprintf(buf, len, "killed by %s%s",
			 sup_signame(WTERMSIG(wstatus), name, sizeof(name)),
			 WCOREDUMP(wstatus) ? " (core dumped)" : "");
	else
		snprintf(buf, len, "ended with status 0x%x", (unsigned)wstatus);
}

static void sup_child_exited(pid_t pid, int wstatus, void *ud)
{
	struct sup_child *c = ud;
	struct sup *s = c->sup;
	const char *name = child_name(c->kind);
	uint64_t ran_us = ev_time_us() - c->started_us;
	char how[96];
	uint32_t delay_ms;

	c->pid = 0;
	sup_pidfile_remove(c->pid_file, pid);
	describe_status(wstatus, how, sizeof(how));

	if (s->stopping) {
		log_info("%s process %ld: %s", name, (long)pid, how);
		if (sup_running(s) == 0) {
			ev_timer_cancel(s->loop, s->kill_timer);
			s->kill_timer = 0;
			ev_break(s->loop, s->exit_code);
		}
		return;
	}
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == CHILD_EXIT_FATAL_CONFIG) {
		log_err("%s process %ld: %s (configuration cannot run); stopping", name,
			(long)pid, how);
		sup_stop(s, CLI_EXIT_CONFIG);
		return;
	}
	if (s->opts->dont_respawn) {
		log_err("%s process %ld: %s; not restarted (-R), stopping", name, (long)pid, how);
		sup_stop(s, 1);
		return;
	}
	if (ran_us >= SUP_RUN_RESET_US)
		c->backoff_ms = 0;
	delay_ms = sup_backoff_next(c);

	if (delay_ms == 0) {
		log_err("%s process %ld: %s; restarting it", name, (long)pid, how);
		sup_child_start(s, c);
	} else {
		log_err("%s process %ld: %s; restarting it in %u s", name, (long)pid, how,
			delay_ms / 1000u);
		c->restart_timer = ev_timer_add(s->loop, (uint64_t)delay_ms * 1000u,
						sup_restart_due, c);
	}
}

/* Starts every wanted child that is neither running nor about to restart. */
static void sup_start_wanted(struct sup *s)
{
	for (int k = 0; k < CHILD__COUNT; k++) {
		struct sup_child *c = &s->child[k];

		if (s->stopping)
			return;
		if (c->pid == 0 && c->restart_timer == 0 && sup_wanted(s, c->kind))
			sup_child_start(s, c);
	}
}

static void sup_forward(struct sup *s, int signo)
{
	for (int k = 0; k < CHILD__COUNT; k++)
		if (s->child[k].pid)
			kill(s->child[k].pid, signo);
}

/* ------------------------------------------------------------------ */
/* Signals */

static void sup_reload(struct sup *s)
{
	struct cfg_diags diags;
	struct cfg_root *root = NULL;
	int r;

	log_reopen();
	cfg_diags_init(&diags);
	r = sup_cfg_load(s->opts, true, &diags, &root);
	sup_log_diags(&diags);
	cfg_diags_free(&diags);
	if (r < 0) {
		log_err("%s: reload refused, keeping the running configuration",
			s->opts->conf_file);
		return;
	}
	cfg_free(s->root);
	s->root = root;
	log_notice("%s: new configuration is valid; reloading", s->opts->conf_file);
	sup_forward(s, SIGHUP);
	sup_start_wanted(s);
}

static void sup_signal(int signo, void *ud)
{
	struct sup *s = ud;
	char name[32];

	switch (signo) {
	case SIGTERM:
	case SIGINT:
		if (!s->stopping)
			log_notice("%s received; stopping",
				   sup_signame(signo, name, sizeof(name)));
		sup_stop(s, 0);
		break;
	case SIGHUP:
		if (!s->stopping)
			sup_reload(s);
		break;
	default:
		sup_forward(s, signo);
		break;
	}
}

static int sup_signals(struct sup *s)
{
	int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGRTMAX - 1, SIGRTMIN + 2 };
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		r = ev_signal_add(s->loop, sigs[i], sup_signal, s);
		if (r < 0)
			return log_err_errno(r, "signal %d: cannot watch it", sigs[i]);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Start-up */

/*
 * Double fork. The foreground process waits for one status byte from the
 * daemon (sent once the pid files are written and the children forked)
 * and exits with it, so "alived" started by a script fails visibly.
 * Returns in the daemon with *ret_ready_fd set.
 */
static int sup_daemonize(bool keep_stderr, int *ret_ready_fd)
{
	int pfd[2], fd;
	pid_t pid = 0;
	unsigned char code = 1;

	fflush(NULL);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(pfd[1]);
		while (read(pfd[0], &code, 1) < 0 && errno == EINTR)
			;
		waitpid(pid, NULL, 0);
		_exit(code);
	}
	close(pfd[0]);
	if (setsid() < 0)
		_exit(1);
	pid = fork();
	if (pid < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);
	if (chdir("/") < 0)
		return -errno;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	if (!keep_stderr)
		dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	*ret_ready_fd = pfd[1];
	return 0;
}

static void sup_ready(struct sup *s, unsigned char code)
{
	if (s->ready_fd < 0)
		return;
	while (write(s->ready_fd, &code, 1) < 0 && errno == EINTR)
		;
	close(s->ready_fd);
	s->ready_fd = -1;
}

static int sup_netns(const char *name)
{
	char path[256];
	int fd, r = 0;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return log_err_errno(errno, "namespace %s: cannot open %s", name, path);
	if (setns(fd, CLONE_NEWNET) < 0)
		r = log_err_errno(errno, "namespace %s: cannot enter it", name);
	close(fd);
	return r;
}

static void sup_core_dump(const struct cli_opts *o)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	int fd;

	if (setrlimit(RLIMIT_CORE, &rl) < 0)
		log_warn_errno(errno, "core dumps: cannot raise the limit");
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	if (!o->core_pattern)
		return;
	fd = open("/proc/sys/kernel/core_pattern", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, o->core_pattern, strlen(o->core_pattern)) < 0)
		log_warn_errno(errno, "core dumps: cannot set the pattern to '%s'",
			       o->core_pattern);
	if (fd >= 0)
		close(fd);
}

/* Refuses to start when a live alived holds one of our pid files. */
static int sup_check_pidfiles(const struct cli_opts *o)
{
	const char *files[] = { o->pid_file, o->vrrp_pid_file, o->check_pid_file };
	pid_t pid = 0;
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		r = sup_pidfile_check(files[i], &pid);
		if (r == -EEXIST) {
			log_err("alived: already running (pid %ld, %s)", (long)pid, files[i]);
			return r;
		}
		if (r < 0)
			log_warn_errno(r, "%s: cannot read it", files[i]);
	}
	return 0;
}

/* Loads and checks the configuration before anything else; exit code or 0. */
static int sup_first_load(struct sup *s)
{
	const struct cli_opts *o = s->opts;
	struct cfg_diags diags;
	int r, code = 0;

	cfg_diags_init(&diags);
	r = sup_cfg_load(o, true, &diags, &s->root);
	sup_log_diags(&diags);
	if (r < 0 && !o->log_console)
		cfg_diags_print(&diags, stderr);	/* the user starting us sees why */
	if (r == -EINVAL) {
		log_err("%s: configuration refused (%u errors)", o->conf_file, diags.n_err);
		code = CLI_EXIT_CONFIG;
	} else if (r < 0) {
		log_err_errno(r, "%s: cannot read it", o->conf_file);
		code = CLI_EXIT_NOFILE;
	}
	cfg_diags_free(&diags);
	if (code == 0 && o->dump_conf) {
		cfg_dump(s->root, stdout);
		fflush(stdout);
	}
	return code;
}

static int sup_setup(struct sup *s)
{
	const struct cli_opts *o = s->opts;
	pid_t pid = 0;
	int r;

	if (o->netns && sup_netns(o->netns) < 0)
		return 1;
	r = sup_first_load(s);
	if (r)
		return r;
	if (sup_check_pidfiles(o) < 0)
		return 1;
	if (o->core_dump)
		sup_core_dump(o);
	if (!o->dont_fork) {
		r = sup_daemonize(o->log_console, &s->ready_fd);
		if (r < 0) {
			log_err_errno(r, "alived: cannot become a daemon");
			return 1;
		}
	}
	umask(o->umask_set ? o->umask : 022);
	signal(SIGPIPE, SIG_IGN);
	r = sup_pidfile_write(o->pid_file, getpid(), false, &pid);
	if (r == -EEXIST) {
		log_err("alived: already running (pid %ld, %s)", (long)pid, o->pid_file);
		return 1;
	}
	if (r < 0) {
		log_err_errno(r, "%s: cannot write the pid file", o->pid_file);
		return 1;
	}
	s->pid_written = true;
	s->loop = ev_loop_new();
	if (!s->loop) {
		log_err_errno(errno, "alived: cannot create the event loop");
		return 1;
	}
	if (sup_signals(s) < 0)
		return 1;
	return 0;
}

int sup_run(const struct cli_opts *opts)
{
	struct sup s = {
		.opts = opts,
		.ready_fd = -1,
	};
	int code;

	for (int k = 0; k < CHILD__COUNT; k++) {
		s.child[k].sup = &s;
		s.child[k].kind = (enum child_kind)k;
	}
	s.child[CHILD_VRRP].pid_file = opts->vrrp_pid_file;
	s.child[CHILD_CHECK].pid_file = opts->check_pid_file;

	code = sup_setup(&s);
	if (code)
		goto out;
	log_notice("alived %s: started (pid %ld)", PACKAGE_VERSION, (long)getpid());
	sup_start_wanted(&s);
	if (!s.stopping && sup_running(&s) == 0)
		log_warn("%s: nothing to run (no vrrp_instance, no virtual_server); "
			 "waiting for a reload", opts->conf_file);
	sup_ready(&s, 0);
	code = ev_run(s.loop);
	if (code < 0) {
		log_err_errno(code, "alived: event loop failed");
		code = 1;
	}
	log_notice("alived: stopped");
out:
	sup_ready(&s, (unsigned char)code);
	if (s.pid_written)
		sup_pidfile_remove(opts->pid_file, getpid());
	ev_loop_free(s.loop);
	cfg_free(s.root);
	return code;
}
