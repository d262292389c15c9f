// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Notifications of state changes: notify scripts, notify FIFOs and mail.
 *
 * Scripts. On a transition of an instance to MASTER, BACKUP, FAULT or STOP
 * (DELETED, or FAULT, for one a reload removed; see notify_deleted) its
 * notify_<state> script runs, then its `notify` script with four more
 * arguments: INSTANCE, the name, the state and the effective priority.
 * A sync group's change runs the group's scripts the same way, with GROUP
 * and priority 0 (MASTER, BACKUP, FAULT, and STOP at stop). The scripts of
 * one instance, and of one group, run ONE AT A TIME, in the order of the
 * transitions, each for at most VRRP_NOTIFY_TIMEOUT_US (then it is killed
 * and the next one starts); so a script never sees MASTER after a later
 * BACKUP. Different instances do
 * not wait for each other. At stop, what is still queued is handed to a
 * process of its own that runs it in order after we are gone.
 *
 * FIFOs (global notify_fifo and vrrp_notify_fifo, an instance's
 * notify_fifo): one line per event, written at once (so always in order):
 *   INSTANCE "VI_1" MASTER 100
 *   GROUP "VG_1" BACKUP 0
 * plus MASTER_RX_LOWER_PRI, and MASTER_PRIORITY / BACKUP_PRIORITY with
 * notify_priority_changes. A FIFO is created when missing and opened
 * read-write and non-blocking: no reader is no error, a full FIFO drops
 * the line (counted, logged rate-limited). Its *_fifo_script, if any, is
 * started with the FIFO's path as last argument and left running.
 *
 * Script users and security (global_defs script_user,
 * enable_script_security) are here too, for vrrp_track.c as well.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "alived/spawn.h"
#include "alived/xalloc.h"
#include "vrrp/vrrp.h"

#define VRRP_NOTIFY_TIMEOUT_US	30000000ULL	/* one notify script run */
#define NTF_QUEUE_MAX		64		/* commands waiting per instance / group */
#define NTF_DEFAULT_PATH	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define NTF_RL_US		10000000ULL

/* ------------------------------------------------------------------ */
/* Script users and security */

int vrrp_script_ids(const char *user, const char *group, uid_t *ret_uid, gid_t *ret_gid,
		    bool *ret_set)
{
	const struct cfg_global *g = vrrp_rt.root ? vrrp_rt.root->global : NULL;
	struct passwd *pw = NULL;
	struct group *gr;

	/* NSS lookups: local files in practice, and rare (start, reload, a
	 * transition) */
	if (!user && g && g->script_user) {
		user = g->script_user;
		if (!group)
			group = g->script_group;
	}
	if (!user && geteuid() == 0)
		pw = getpwnam("keepalived_script");
	if (!user && !pw) {
		*ret_set = false;
		return 0;
	}
	if (!pw)
		pw = getpwnam(user);
	if (!pw)
		return -ENOENT;
	*ret_uid = pw->pw_uid;
	*ret_gid = pw->pw_gid;
	if (group) {
		gr = getgrnam(group);
		if (!gr)
			return -ENOENT;
		*ret_gid = gr->gr_gid;
	}
	*ret_set = true;
	return 0;
}

static bool executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* The file a command line runs (as spawn_run() finds it). 0 or -errno. */
static int program_path(const char *cmdline, char *buf, size_t len)
{
	const char *path = getenv("PATH"), *p, *colon;
	char **argv = NULL;
	int r;

	r = spawn_split(cmdline, &argv);
	if (r < 0)
		return r;
	r = -ENOENT;
	if (strchr(argv[0], '/')) {
		snprintf(buf, len, "%s", argv[0]);
		r = 0;
		goto out;
	}
	for (p = path ? path : NTF_DEFAULT_PATH;; p = colon + 1) {
		int n;

		colon = strchr(p, ':');
		n = (int)(colon ? colon - p : (ptrdiff_t)strlen(p));
		snprintf(buf, len, "%.*s%s%s", n, p, n ? "/" : "", argv[0]);
		if (executable(buf)) {
			r = 0;
			break;
		}
		if (!colon)
			break;
	}
out:
	spawn_argv_free(argv);
	return r;
}

/* Who besides root (and run_uid) may change path. 0, or -EPERM with why. */
static int path_writers(const char *path, uid_t run_uid, bool is_last, char *why, size_t len)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (st.st_uid != 0 && st.st_uid != run_uid) {
		struct passwd *pw = getpwuid(st.st_uid);

		snprintf(why, len, "%s %s is owned by %s (uid %lu)", is_last ? "file" : "directory",
			 path, pw ? pw->pw_name : "?", (unsigned long)st.st_uid);
		return -EPERM;
	}
	if ((st.st_mode & S_IWGRP) && st.st_gid != 0) {
		struct group *gr = getgrgid(st.st_gid);

		snprintf(why, len, "%s %s is writable by group %s (gid %lu)",
			 is_last ? "file" : "directory", path, gr ? gr->gr_name : "?",
			 (unsigned long)st.st_gid);
		return -EPERM;
	}
	/* a sticky world-writable directory (/tmp) protects what root owns in it */
	if ((st.st_mode & S_IWOTH) && !(S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX))) {
		snprintf(why, len, "%s %s is writable by everyone", is_last ? "file" : "directory",
			 path);
		return -EPERM;
	}
	return 0;
}

/* Checks every directory from / down to path, and path itself. */
static int walk_path(const char *path, uid_t run_uid, char *why, size_t len)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);
	int r;

	if (path[0] != '/' || n >= sizeof(buf))
		return -EINVAL;
	r = path_writers("/", run_uid, false, why, len);
	for (size_t k = 1; r == 0 && k <= n; k++) {
		if (path[k] != '/' && path[k] != '\0')
			continue;
		memcpy(buf, path, k);
		buf[k] = '\0';
		r = path_writers(buf, run_uid, k == n, why, len);
	}
	return r;
}

int vrrp_script_check(const char *cmdline, uid_t run_uid, char *why, size_t len)
{
	char path[PATH_MAX], abs_path[PATH_MAX], real[PATH_MAX];
	int r;

	r = program_path(cmdline, path, sizeof(path));
	if (r < 0) {
		snprintf(why, len, "%s", r == -ENOENT ? "program not found" : "cannot parse");
		return r;
	}
	if (path[0] != '/') {
		if (!getcwd(abs_path, sizeof(abs_path)) ||
		    strlen(abs_path) + strlen(path) + 2 > sizeof(abs_path))
			return -ENAMETOOLONG;
		strcat(abs_path, "/");
		strcat(abs_path, path);
	} else {
		snprintf(abs_path, sizeof(abs_path), "%s", path);
	}
	if (!realpath(abs_path, real)) {
		r = -errno;
		snprintf(why, len, "%s: %s", abs_path, strerror(errno));
		return r;
	}
	/* the path as written (its symlinks' directories) and where it leads */
	r = walk_path(abs_path, run_uid, why, len);
	if (r == 0 && strcmp(real, abs_path) != 0)
		r = walk_path(real, run_uid, why, len);
	return r;
}

bool vrrp_script_allowed(const char *cmdline, uid_t run_uid, const char *what, bool warn)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	char why[PATH_MAX + 96];
	int r;

	if (run_uid != 0)
		return true;	/* only scripts run as root are checked */
	r = vrrp_script_check(cmdline, run_uid, why, sizeof(why));
	if (r == 0)
		return true;
	if (r != -EPERM) {
		if (warn)
			log_warn("%s '%s': %s", what, cmdline, why);
		return true;	/* the run itself fails and says so */
	}
	if (g->enable_script_security) {
		log_err("%s '%s' refused: it would run as root, but %s "
			"(enable_script_security)", what, cmdline, why);
		return false;
	}
	if (warn)
		log_warn("%s '%s' runs as root although %s; enable_script_security would "
			 "refuse it", what, cmdline, why);
	return true;
}

/* ------------------------------------------------------------------ */
/* Queues: one per instance / group, one command at a time */

struct ntf_cmd {
	struct ntf_cmd *next;
	char **argv;			/* owned */
	uid_t uid;
	gid_t gid;
	bool set_ids;
	char *what;			/* owned: "VI_1: notify_master '/x'" */
};

struct ntf_chan {
	struct ntf_chan *next;
	char *key;			/* "INSTANCE VI_1", "GROUP VG_1" */
	struct ntf_cmd *head, **tail;	/* waiting */
	unsigned n_wait;
	struct ntf_cmd *running;	/* owned while it runs */
	pid_t pid;
	uint64_t deadline_us;
	bool orphan;			/* stop came: free it when its run ends */
};

struct ntf_fifo {
	struct ntf_fifo *next;
	char *path;
	int fd;				/* -1: could not be opened */
	bool used;			/* still configured (reload) */
	pid_t script_pid;		/* its *_fifo_script; 0 = none */
	uint64_t dropped;
	struct log_ratelimit rl;
};

struct vrrp_notify_rt {
	struct ntf_chan *chans;
	struct ntf_fifo *fifos;
	struct log_ratelimit rl_queue;
};

static struct vrrp_notify_rt ntf_rt;

static void cmd_free(struct ntf_cmd *c)
{
	if (!c)
		return;
	spawn_argv_free(c->argv);
	free(c->what);
	free(c);
}

static void chan_free(struct ntf_chan *ch)
{
	struct ntf_chan **pp;
	struct ntf_cmd *c, *next;

	for (pp = &ntf_rt.chans; *pp; pp = &(*pp)->next)
		if (*pp == ch) {
			*pp = ch->next;
			break;
		}
	for (c = ch->head; c; c = next) {
		next = c->next;
		cmd_free(c);
	}
	cmd_free(ch->running);
	free(ch->key);
	free(ch);
}

static struct ntf_chan *chan_get(const char *kind, const char *name)
{
	struct ntf_chan *ch;
	char *key = xasprintf("%s %s", kind, name);

	for (ch = ntf_rt.chans; ch; ch = ch->next)
		if (!ch->orphan && !strcmp(ch->key, key)) {
			free(key);
			return ch;
		}
	ch = xcalloc(1, sizeof(*ch));
	ch->key = key;
	ch->tail = &ch->head;
	ch->next = ntf_rt.chans;
	ntf_rt.chans = ch;
	return ch;
}

static void chan_next(struct ntf_chan *ch);

static void run_done(pid_t pid, int wstatus, bool timed_out, void *ud)
{
	struct ntf_chan *ch = ud;
	struct ntf_cmd *c = ch->running;

	(void)pid;
	if (timed_out)
		log_warn("%s: still running after %llu s; killed", c->what,
			 (unsigned long long)(VRRP_NOTIFY_TIMEOUT_US / 1000000u));
	else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0)
		log_warn("%s: exit status %d", c->what, WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		log_warn("%s: killed by signal %d", c->what, WTERMSIG(wstatus));
	else
		log_debug(LOG_CAT_PROTO, "%s: done", c->what);
	cmd_free(c);
	ch->running = NULL;
	ch->pid = 0;
	if (ch->orphan) {
		chan_free(ch);
		return;
	}
	chan_next(ch);
}

/* Starts the next waiting command; frees the queue when nothing is left. */
static void chan_next(struct ntf_chan *ch)
{
	struct ntf_cmd *c;
	int r;

	while (!ch->running && (c = ch->head)) {
		struct spawn_opts o = {
			.argv = (const char *const *)c->argv, .uid = c->uid, .gid = c->gid,
			.set_ids = c->set_ids, .timeout_us = VRRP_NOTIFY_TIMEOUT_US,
		};

		ch->head = c->next;
		if (!ch->head)
			ch->tail = &ch->head;
		ch->n_wait--;
		c->next = NULL;
		r = spawn_run(vrrp_rt.loop, &o, run_done, ch, &ch->pid);
		if (r < 0) {
			log_err_errno(r, "%s: cannot run", c->what);
			cmd_free(c);
			continue;
		}
		log_debug(LOG_CAT_PROTO, "%s: started (pid %ld)", c->what, (long)ch->pid);
		ch->running = c;
		ch->deadline_us = vrrp_now_us() + VRRP_NOTIFY_TIMEOUT_US;
	}
	if (!ch->running && !ch->head)
		chan_free(ch);
}

/*
 * Queues one script run: the configured command line, plus the four
 * arguments of `notify` when args is set.
 */
static void queue_script(struct ntf_chan *ch, const char *owner, const char *kw,
			 const struct cfg_notify *nt, const char *const args[4])
{
	struct ntf_cmd *c;
	char **argv = NULL, what[96 + VRRP_API_NAME_MAX];
	int n;

	if (!nt->script)
		return;
	snprintf(what, sizeof(what), "%s: %s", owner, kw);
	if (ch->n_wait >= NTF_QUEUE_MAX) {
		if (log_ratelimit_ok(&ntf_rt.rl_queue, vrrp_now_us(), VRRP_RL_BURST, NTF_RL_US))
			log_err("%s: %u notifications waiting already; this one dropped", what,
				ch->n_wait);
		return;
	}
	n = spawn_split(nt->script, &argv);
	if (n < 0) {
		log_err("%s: '%s': cannot split the command line", what, nt->script);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	if (args) {
		argv = xreallocarray(argv, (size_t)n + 5, sizeof(*argv));
		for (int k = 0; k < 4; k++)
			argv[n + k] = xstrdup(args[k]);
		argv[n + 4] = NULL;
	}
	c->argv = argv;
	c->what = xasprintf("%s '%s'", what, nt->script);
	if (vrrp_script_ids(nt->user, nt->group, &c->uid, &c->gid, &c->set_ids) < 0) {
		log_err("%s: unknown user or group '%s%s%s'; not run", c->what,
			nt->user ? nt->user : "", nt->group ? ":" : "", nt->group ? nt->group : "");
		cmd_free(c);
		return;
	}
	if (!vrrp_script_allowed(nt->script, c->set_ids ? c->uid : geteuid(), what, false)) {
		cmd_free(c);
		return;
	}
	*ch->tail = c;
	ch->tail = &c->next;
	ch->n_wait++;
}

/* ------------------------------------------------------------------ */
/* FIFOs */

static struct ntf_fifo *fifo_find(const char *path)
{
	struct ntf_fifo *f;

	for (f = ntf_rt.fifos; f; f = f->next)
		if (!strcmp(f->path, path))
			return f;
	return NULL;
}

static int fifo_open(const struct cfg_global_cmd *spec, int *ret_fd)
{
	struct stat st;
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	bool set = false;
	int fd;

	if (mkfifo(spec->path, 0600) == 0) {
		if (spec->user && vrrp_script_ids(spec->user, spec->group, &uid, &gid, &set) == 0 &&
		    set && chown(spec->path, uid, gid) < 0)
			log_warn_errno(errno, "%s: cannot give the FIFO to %s", spec->path,
				       spec->user);
	} else if (errno != EEXIST) {
		return -errno;
	}
	fd = open(spec->path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		close(fd);
		return -ENOTSUP;	/* a plain file there: not ours to write */
	}
	*ret_fd = fd;
	return 0;
}

static void fifo_script_start(struct ntf_fifo *f, const struct cfg_global_cmd *script)
{
	struct spawn_opts o = { 0 };
	char **argv = NULL;
	int n, r;

	if (!script || !script->path || f->script_pid)
		return;
	n = spawn_split(script->path, &argv);
	if (n < 0) {
		log_err("%s: cannot split the command line", script->path);
		return;
	}
	argv = xreallocarray(argv, (size_t)n + 2, sizeof(*argv));
	argv[n] = xstrdup(f->path);
	argv[n + 1] = NULL;
	o.argv = (const char *const *)argv;
	if (vrrp_script_ids(script->user, script->group, &o.uid, &o.gid, &o.set_ids) < 0) {
		log_err("%s: unknown user or group; not run", script->path);
	} else if (vrrp_script_allowed(script->path, o.set_ids ? o.uid : geteuid(),
				       "notify FIFO script", true)) {
		r = spawn_run(vrrp_rt.loop, &o, NULL, NULL, &f->script_pid);
		if (r < 0)
			log_err_errno(r, "%s: cannot run", script->path);
		else
			log_info("%s: reading %s (pid %ld)", script->path, f->path,
				 (long)f->script_pid);
	}
	spawn_argv_free(argv);
}

/* Opens (once) the FIFO of spec; marks it used. */
static struct ntf_fifo *fifo_use(const struct cfg_global_cmd *spec,
				 const struct cfg_global_cmd *script)
{
	struct ntf_fifo *f;
	int r;

	if (!spec || !spec->path)
		return NULL;
	f = fifo_find(spec->path);
	if (!f) {
		f = xcalloc(1, sizeof(*f));
		f->path = xstrdup(spec->path);
		f->fd = -1;
		r = fifo_open(spec, &f->fd);
		if (r < 0)
			log_err_errno(r, "notify FIFO %s: cannot open", f->path);
		f->next = ntf_rt.fifos;
		ntf_rt.fifos = f;
	}
	f->used = true;
	fifo_script_start(f, script);
	return f;
}

static void fifo_free(struct ntf_fifo *f)
{
	/* the reader sees end of file once we (the last writer) are gone */
	if (f->fd >= 0)
		close(f->fd);
	free(f->path);
	free(f);
}

static void fifo_write(struct ntf_fifo *f, const char *line, size_t len)
{
	ssize_t n;

	if (!f || f->fd < 0)
		return;
	n = write(f->fd, line, len);	/* a pipe write <= PIPE_BUF is atomic */
	if (n == (ssize_t)len)
		return;
	f->dropped++;
	if (log_ratelimit_ok(&f->rl, vrrp_now_us(), VRRP_RL_BURST, NTF_RL_US))
		log_warn("notify FIFO %s: line dropped (%s; %llu so far)", f->path,
			 n < 0 ? strerror(errno) : "short write", (unsigned long long)f->dropped);
}

/* One line to the global FIFOs and to the instance's own (may be NULL). */
static void fifo_line(const char *kind, const char *name, const char *state, unsigned prio,
		      const char *own_fifo)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	struct ntf_fifo *t[3] = { NULL, NULL, NULL };
	char line[VRRP_API_NAME_MAX + 64];
	int len;

	len = snprintf(line, sizeof(line), "%s \"%s\" %s %u\n", kind, name, state, prio);
	if (len < 0 || (size_t)len >= sizeof(line))
		return;
	if (g->notify_fifo.path)
		t[0] = fifo_find(g->notify_fifo.path);
	if (g->vrrp_notify_fifo.path)
		t[1] = fifo_find(g->vrrp_notify_fifo.path);
	if (own_fifo) {
		struct cfg_global_cmd spec = { .path = (char *)own_fifo };

		t[2] = fifo_use(&spec, NULL);
	}
	for (int k = 0; k < 3; k++) {
		bool dup = false;

		for (int j = 0; j < k; j++)
			dup = dup || t[j] == t[k];
		if (t[k] && !dup)
			fifo_write(t[k], line, (size_t)len);
	}
}

/* ------------------------------------------------------------------ */
/* Events */

static const char *const notify_state_kw[CFG_NOTIFY__COUNT] = {
	[CFG_NOTIFY_MASTER] = "MASTER",
	[CFG_NOTIFY_BACKUP] = "BACKUP",
	[CFG_NOTIFY_FAULT] = "FAULT",
	[CFG_NOTIFY_STOP] = "STOP",
	[CFG_NOTIFY_DELETED] = "DELETED",
	[CFG_NOTIFY_MASTER_RX_LOWER_PRI] = "MASTER_RX_LOWER_PRI",
	[CFG_NOTIFY_ANY] = NULL,
};

/* Which notify_<state> an engine state runs; CFG_NOTIFY__COUNT: none. */
static enum cfg_vrrp_notify notify_of(enum vrrp_state st, bool deleted)
{
	switch (st) {
	case VRRP_ST_MASTER:
		return CFG_NOTIFY_MASTER;
	case VRRP_ST_BACKUP:
		return CFG_NOTIFY_BACKUP;
	case VRRP_ST_FAULT:
		return CFG_NOTIFY_FAULT;
	case VRRP_ST_STOP:
		return deleted ? CFG_NOTIFY_DELETED : CFG_NOTIFY_STOP;
	default:
		return CFG_NOTIFY__COUNT;
	}
}

/* The scripts of one event, queued in keepalived's order: the state's own
 * script, then `notify`. */
static void queue_event(const char *kind, const char *name, const struct cfg_notify *nt,
			enum cfg_vrrp_notify which, const char *state, unsigned prio)
{
	struct ntf_chan *ch;
	char pbuf[8];
	const char *args[4] = { kind, name, state, pbuf };

	if (!nt[which].script && !nt[CFG_NOTIFY_ANY].script)
		return;
	snprintf(pbuf, sizeof(pbuf), "%u", prio);
	ch = chan_get(kind, name);
	queue_script(ch, name, cfg_vrrp_notify_kw[which], &nt[which], NULL);
	queue_script(ch, name, "notify", &nt[CFG_NOTIFY_ANY], args);
	chan_next(ch);
}

static bool smtp_wanted(int8_t local, const struct cfg_global *g)
{
	if (local != CFG_VTRI_UNSET)
		return local;
	if (g->smtp_alert_vrrp != CFG_GTRI_UNSET)
		return g->smtp_alert_vrrp;
	return g->smtp_alert > 0;
}

static void smtp_alert(const char *kind, const char *name, const char *state, unsigned prio,
		       int8_t local);

void vrrp_notify_inst(struct vrrp_inst *in, enum vrrp_state st)
{
	const struct cfg_vrrp_inst *c = in->cfg;
	bool deleted = st == VRRP_ST_STOP && !vrrp_rt.stopping;
	enum cfg_vrrp_notify which = notify_of(st, deleted);
	unsigned prio = in->fsm.priority;

	if (which == CFG_NOTIFY__COUNT)
		return;
	/* removed by a reload: DELETED with notify_deleted, else FAULT */
	if (which == CFG_NOTIFY_DELETED && !c->notify_deleted)
		which = CFG_NOTIFY_FAULT;
	fifo_line("INSTANCE", in->name, notify_state_kw[which], prio, c->notify_fifo);
	queue_event("INSTANCE", in->name, c->notify, which, notify_state_kw[which], prio);
	if (which != CFG_NOTIFY_FAULT || !vrrp_rt.root->global->no_email_faults)
		smtp_alert("INSTANCE", in->name, notify_state_kw[which], prio, c->smtp_alert);
}

void vrrp_notify_rx_lower(struct vrrp_inst *in)
{
	const struct cfg_vrrp_inst *c = in->cfg;
	struct ntf_chan *ch;

	fifo_line("INSTANCE", in->name, "MASTER_RX_LOWER_PRI", in->fsm.priority, c->notify_fifo);
	if (!c->notify[CFG_NOTIFY_MASTER_RX_LOWER_PRI].script)
		return;
	ch = chan_get("INSTANCE", in->name);
	queue_script(ch, in->name, cfg_vrrp_notify_kw[CFG_NOTIFY_MASTER_RX_LOWER_PRI],
		     &c->notify[CFG_NOTIFY_MASTER_RX_LOWER_PRI], NULL);
	chan_next(ch);
}

void vrrp_notify_prio(struct vrrp_inst *in)
{
	const struct cfg_vrrp_inst *c = in->cfg;
	int8_t t = c->notify_priority_changes;
	bool on = t != CFG_VTRI_UNSET ? t > 0 : vrrp_rt.root->global->vrrp_notify_priority_changes;

	if (!on || (in->fsm.state != VRRP_ST_MASTER && in->fsm.state != VRRP_ST_BACKUP))
		return;
	fifo_line("INSTANCE", in->name,
		  in->fsm.state == VRRP_ST_MASTER ? "MASTER_PRIORITY" : "BACKUP_PRIORITY",
		  in->fsm.priority, c->notify_fifo);
}

void vrrp_notify_sync(struct vrrp_sync *g)
{
	const struct cfg_vrrp_sync *c = g->cfg;
	enum cfg_vrrp_notify which;

	switch (g->state) {
	case VRRP_API_ST_MASTER:
		which = CFG_NOTIFY_MASTER;
		break;
	case VRRP_API_ST_BACKUP:
		which = CFG_NOTIFY_BACKUP;
		break;
	case VRRP_API_ST_FAULT:
		which = CFG_NOTIFY_FAULT;
		break;
	case VRRP_API_ST_STOP:
		which = CFG_NOTIFY_STOP;	/* at stop (keepalived 2.2.7 does so too) */
		break;
	default:
		return;
	}
	fifo_line("GROUP", g->name, notify_state_kw[which], 0, NULL);
	queue_event("GROUP", g->name, c->notify, which, notify_state_kw[which], 0);
	if (which != CFG_NOTIFY_FAULT || !vrrp_rt.root->global->no_email_faults)
		smtp_alert("GROUP", g->name, notify_state_kw[which], 0, c->smtp_alert);
}

/* ------------------------------------------------------------------ */
/*
 * Mail (smtp_alert): a small SMTP client (RFC 5321) on the loop. One
 * session at a time to smtp_server, each mail to every notification_email
 * address; every step waits at most smtp_connect_timeout. Mails wait in a
 * bounded queue; what cannot be sent is logged and dropped. Nothing here
 * blocks: the connect, the replies and the writes are fd events.
 */

#define SMTP_QUEUE_MAX		16
#define SMTP_REPLY_MAX		4096

enum smtp_step {
	SMTP_CONNECT,		/* waiting for the connect, then the 220 greeting */
	SMTP_HELO,
	SMTP_MAIL,
	SMTP_RCPT,		/* rcpt_next addresses sent so far */
	SMTP_DATA,
	SMTP_BODY,
	SMTP_QUIT,
	SMTP_STEP__COUNT,
};

static const char *const smtp_step_name[] = {
	[SMTP_CONNECT] = "greeting",
	[SMTP_HELO] = "HELO",
	[SMTP_MAIL] = "MAIL FROM",
	[SMTP_RCPT] = "RCPT TO",
	[SMTP_DATA] = "DATA",
	[SMTP_BODY] = "message",
	[SMTP_QUIT] = "QUIT",
};
_Static_assert(VRRP_ARRAY_SIZE(smtp_step_name) == SMTP_STEP__COUNT, "smtp_step_name");

struct smtp_mail {
	struct smtp_mail *next;
	char *subject, *body;
};

static struct {
	struct smtp_mail *head, **tail;
	unsigned n;
	struct smtp_mail *cur;		/* being sent */
	int fd;				/* -1 = no session */
	enum smtp_step step;
	size_t rcpt_next;
	char in[SMTP_REPLY_MAX];
	size_t in_len;
	char *out;			/* pending output */
	size_t out_len, out_off;
	ev_timer_id tmr;
	ev_timer_id kick;		/* next session, from a fresh loop iteration */
	struct cfg_addr server;		/* smtp_server, resolved at (re)load */
} smtp = { .fd = -1 };

static void smtp_session_next(void);

static void smtp_kick_cb(void *ud)
{
	(void)ud;
	smtp.kick = 0;
	smtp_session_next();
}

/* The next session starts from the loop, never from inside this one's
 * callbacks (whose fd it could reuse). */
static void smtp_kick(void)
{
	if (!smtp.kick && smtp.head)
		smtp.kick = ev_timer_add(vrrp_rt.loop, 0, smtp_kick_cb, NULL);
}

static void smtp_close(void)
{
	if (smtp.fd >= 0) {
		ev_io_del(vrrp_rt.loop, smtp.fd);
		close(smtp.fd);
	}
	smtp.fd = -1;
	if (smtp.tmr)
		ev_timer_cancel(vrrp_rt.loop, smtp.tmr);
	smtp.tmr = 0;
	free(smtp.out);
	smtp.out = NULL;
	smtp.out_len = smtp.out_off = smtp.in_len = 0;
	if (smtp.cur) {
		free(smtp.cur->subject);
		free(smtp.cur->body);
		free(smtp.cur);
		smtp.cur = NULL;
	}
}

static void smtp_fail(const char *why)
{
	const struct cfg_global *g = vrrp_rt.root->global;

	log_warn("smtp_alert: mail '%s' to %s not sent: %s", smtp.cur ? smtp.cur->subject : "?",
		 g->smtp_server, why);
	smtp_close();
	smtp_kick();
}

static void smtp_timeout_cb(void *ud)
{
	char why[64];

	(void)ud;
	smtp.tmr = 0;
	snprintf(why, sizeof(why), "no answer (%s)", smtp_step_name[smtp.step]);
	smtp_fail(why);
}

static void smtp_arm(void)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	uint64_t t = (uint64_t)(g->smtp_connect_timeout_s ? g->smtp_connect_timeout_s : 30);

	if (smtp.tmr)
		ev_timer_cancel(vrrp_rt.loop, smtp.tmr);
	smtp.tmr = ev_timer_add(vrrp_rt.loop, t * 1000000u, smtp_timeout_cb, NULL);
}

static void smtp_flush(void)
{
	ssize_t n;

	while (smtp.out_off < smtp.out_len) {
		n = send(smtp.fd, smtp.out + smtp.out_off, smtp.out_len - smtp.out_off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0) {
			smtp_fail(strerror(errno));
			return;
		}
		smtp.out_off += (size_t)n;
	}
	ev_io_mod(vrrp_rt.loop, smtp.fd, EV_READ | (smtp.out_off < smtp.out_len ? EV_WRITE : 0));
}

static void smtp_send(const char *text)
{
	size_t len = strlen(text);

	if (smtp.fd < 0)
		return;
	smtp.out = xrealloc(smtp.out, smtp.out_len + len);
	memcpy(smtp.out + smtp.out_len, text, len);
	smtp.out_len += len;
	smtp_flush();
}

static void smtp_sendf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void smtp_sendf(const char *fmt, ...)
{
	va_list ap;
	char *t;

	va_start(ap, fmt);
	t = xvasprintf(fmt, ap);
	va_end(ap);
	smtp_send(t);
	free(t);
}

static void host_name(char *buf, size_t len)
{
	if (gethostname(buf, len) < 0 || !buf[0])
		snprintf(buf, len, "localhost");
	buf[len - 1] = '\0';
}

static void buf_addf(char **buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_addf(char **buf, const char *fmt, ...)
{
	va_list ap;
	char *t, *all;

	va_start(ap, fmt);
	t = xvasprintf(fmt, ap);
	va_end(ap);
	all = xasprintf("%s%s", *buf ? *buf : "", t);
	free(t);
	free(*buf);
	*buf = all;
}

/* The message (RFC 5322), dot-stuffed (RFC 5321 §4.5.2), with its end;
 * sent in one piece (a failed send closes the session). */
static void smtp_send_message(void)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	char date[64], host[256], *msg = NULL;
	time_t now = time(NULL);
	struct tm tm;
	const char *p;

	host_name(host, sizeof(host));
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	if (g->notification_email_from)
		buf_addf(&msg, "From: %s\r\n", g->notification_email_from);
	else
		buf_addf(&msg, "From: alived@%s\r\n", host);
	buf_addf(&msg, "To: ");
	for (size_t k = 0; k < g->notification_email.n; k++)
		buf_addf(&msg, "%s%s", k ? ", " : "", g->notification_email.v[k]);
	buf_addf(&msg, "\r\nDate: %s\r\nSubject: %s\r\nX-Mailer: alived\r\n\r\n", date,
		 smtp.cur->subject);
	for (p = smtp.cur->body; *p;) {
		size_t n = strcspn(p, "\n");

		buf_addf(&msg, "%s%.*s\r\n", *p == '.' ? "." : "", (int)n, p);
		p += n + (p[n] == '\n');
	}
	buf_addf(&msg, ".\r\n");
	smtp_send(msg);
	free(msg);
}

/* One complete reply with its code: the next command. */
static void smtp_reply(int code, const char *text)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	char host[256], why[160];
	bool ok;

	switch (smtp.step) {
	case SMTP_CONNECT:
		ok = code == 220;
		break;
	case SMTP_DATA:
		ok = code == 354;
		break;
	case SMTP_QUIT:
		ok = true;	/* sent already; whatever it says */
		break;
	default:
		ok = code == 250 || (smtp.step == SMTP_RCPT && code == 251);
		break;
	}
	if (!ok) {
		snprintf(why, sizeof(why), "%s: %d %.100s", smtp_step_name[smtp.step], code, text);
		smtp_fail(why);
		return;
	}
	smtp_arm();
	switch (smtp.step) {
	case SMTP_CONNECT:
		if (g->smtp_helo_name)
			snprintf(host, sizeof(host), "%s", g->smtp_helo_name);
		else
			host_name(host, sizeof(host));
		smtp.step = SMTP_HELO;
		smtp_sendf("HELO %s\r\n", host);
		break;
	case SMTP_HELO:
		smtp.step = SMTP_MAIL;
		if (g->notification_email_from) {
			smtp_sendf("MAIL FROM:<%s>\r\n", g->notification_email_from);
		} else {
			host_name(host, sizeof(host));
			smtp_sendf("MAIL FROM:<alived@%s>\r\n", host);
		}
		break;
	case SMTP_MAIL:
	case SMTP_RCPT:
		if (smtp.step == SMTP_MAIL)
			smtp.rcpt_next = 0;
		smtp.step = SMTP_RCPT;
		if (smtp.rcpt_next < g->notification_email.n) {
			smtp_sendf("RCPT TO:<%s>\r\n", g->notification_email.v[smtp.rcpt_next++]);
			break;
		}
		smtp.step = SMTP_DATA;
		smtp_send("DATA\r\n");
		break;
	case SMTP_DATA:
		smtp.step = SMTP_BODY;
		smtp_send_message();
		break;
	case SMTP_BODY:
		log_info("smtp_alert: mail '%s' sent through %s", smtp.cur->subject,
			 g->smtp_server);
		smtp.step = SMTP_QUIT;
		smtp_send("QUIT\r\n");
		break;
	case SMTP_QUIT:
	case SMTP_STEP__COUNT:
		smtp_close();
		smtp_kick();
		break;
	}
}

/* Complete lines in smtp.in: "NNN-text" continues, "NNN text" ends a reply. */
static void smtp_parse(void)
{
	char *nl;

	while (smtp.fd >= 0 && (nl = memchr(smtp.in, '\n', smtp.in_len))) {
		size_t len = (size_t)(nl - smtp.in) + 1;
		char line[SMTP_REPLY_MAX];
		bool last;
		int code;

		memcpy(line, smtp.in, len - 1);
		line[len - 1] = '\0';
		if (len >= 2 && line[len - 2] == '\r')
			line[len - 2] = '\0';
		memmove(smtp.in, smtp.in + len, smtp.in_len - len);
		smtp.in_len -= len;
		if (strlen(line) < 3 || line[0] < '1' || line[0] > '5') {
			smtp_fail("not an SMTP reply");
			return;
		}
		code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
		last = line[3] != '-';
		if (last)
			smtp_reply(code, line[3] ? line + 4 : "");
	}
	if (smtp.fd >= 0 && smtp.in_len == sizeof(smtp.in))
		smtp_fail("reply line too long");
}

static void smtp_io_cb(int fd, uint32_t events, void *ud)
{
	ssize_t n;
	int err;

	(void)ud;
	if (smtp.step == SMTP_CONNECT && (events & EV_WRITE) && !smtp.out_len) {
		socklen_t len = sizeof(err);

		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err) {
			smtp_fail(strerror(err));
			return;
		}
		ev_io_mod(vrrp_rt.loop, fd, EV_READ);	/* connected: the greeting */
		return;
	}
	if (events & EV_WRITE) {
		smtp_flush();
		if (smtp.fd < 0)
			return;
	}
	if (!(events & EV_READ))
		return;
	n = recv(fd, smtp.in + smtp.in_len, sizeof(smtp.in) - smtp.in_len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (smtp.step == SMTP_QUIT) {
			smtp_close();
			smtp_kick();
		} else {
			smtp_fail(n < 0 ? strerror(errno) : "connection closed");
		}
		return;
	}
	smtp.in_len += (size_t)n;
	smtp_parse();
}

/* Opens a session for the next queued mail, if any and none is open. */
static void smtp_session_next(void)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	const struct cfg_addr *a = &smtp.server;
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, r;

	if (smtp.fd < 0 && smtp.head) {
		smtp.cur = smtp.head;
		smtp.head = smtp.cur->next;
		if (!smtp.head)
			smtp.tail = &smtp.head;
		smtp.n--;
		memset(&ss, 0, sizeof(ss));
		if (a->family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

			sin->sin_family = AF_INET;
			sin->sin_addr = a->u.v4;
			sin->sin_port = htons(g->smtp_server_port);
			sl = sizeof(*sin);
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

			sin6->sin6_family = AF_INET6;
			sin6->sin6_addr = a->u.v6;
			sin6->sin6_port = htons(g->smtp_server_port);
			sl = sizeof(*sin6);
		}
		fd = socket(a->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			smtp_fail(strerror(errno));
			return;
		}
		r = connect(fd, (struct sockaddr *)&ss, sl);
		if (r < 0 && errno != EINPROGRESS) {
			r = errno;
			close(fd);
			smtp_fail(strerror(r));
			return;
		}
		if (ev_io_add(vrrp_rt.loop, fd, EV_READ | EV_WRITE, smtp_io_cb, NULL) < 0) {
			close(fd);
			smtp_fail("cannot watch the socket");
			return;
		}
		smtp.fd = fd;
		smtp.step = SMTP_CONNECT;
		smtp_arm();
	}
}

static void smtp_alert(const char *kind, const char *name, const char *state, unsigned prio,
		       int8_t local)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	char host[256];
	const char *rid;
	struct smtp_mail *m;

	if (!smtp_wanted(local, g) || !g->smtp_server || !g->notification_email.n)
		return;
	if (smtp.server.family == AF_UNSPEC)
		return;		/* not resolved: said at (re)load */
	if (smtp.n >= SMTP_QUEUE_MAX) {
		log_warn("smtp_alert: %u mails waiting already; the one about %s %s dropped",
			 smtp.n, name, state);
		return;
	}
	host_name(host, sizeof(host));
	rid = g->router_id ? g->router_id : host;
	m = xcalloc(1, sizeof(*m));
	m->subject = xasprintf("[%s] VRRP %s %s is now %s", rid,
			       !strcmp(kind, "GROUP") ? "sync group" : "instance", name, state);
	m->body = xasprintf("VRRP %s %s on %s (host %s) is now %s, priority %u.\n",
			    !strcmp(kind, "GROUP") ? "sync group" : "instance", name, rid, host,
			    state, prio);
	if (!smtp.tail)
		smtp.tail = &smtp.head;
	*smtp.tail = m;
	smtp.tail = &m->next;
	smtp.n++;
	smtp_kick();
}

/*
 * smtp_server as an address: as written, or a host name resolved here, at
 * start and reload (never on the loop), and only when some mail may go.
 */
static void smtp_resolve(void)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	const struct cfg_vrrp_inst *c;
	const struct cfg_vrrp_sync *sg;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	bool wanted = false;
	int r;

	memset(&smtp.server, 0, sizeof(smtp.server));
	for (c = vrrp_rt.root->vrrp->insts; c && !wanted; c = c->next)
		wanted = smtp_wanted(c->smtp_alert, g);
	for (sg = vrrp_rt.root->vrrp->syncs; sg && !wanted; sg = sg->next)
		wanted = smtp_wanted(sg->smtp_alert, g);
	if (!wanted || !g->smtp_server || !g->notification_email.n)
		return;
	if (g->smtp_server_addr.family != AF_UNSPEC) {
		smtp.server = g->smtp_server_addr;
		return;
	}
	r = getaddrinfo(g->smtp_server, NULL, &hints, &res);
	if (r != 0 || !res) {
		log_err("smtp_alert: smtp_server %s: %s; no mail will be sent", g->smtp_server,
			r ? gai_strerror(r) : "no address");
		return;
	}
	smtp.server.family = res->ai_family;
	if (res->ai_family == AF_INET)
		smtp.server.u.v4 = ((const struct sockaddr_in *)(void *)res->ai_addr)->sin_addr;
	else
		smtp.server.u.v6 = ((const struct sockaddr_in6 *)(void *)res->ai_addr)->sin6_addr;
	freeaddrinfo(res);
}

static void smtp_stop(void)
{
	struct smtp_mail *m, *next;

	if (smtp.cur || smtp.head)
		log_warn("smtp_alert: stopping: %u mail%s not sent", smtp.n + (smtp.cur != NULL),
			 smtp.n + (smtp.cur != NULL) == 1 ? "" : "s");
	smtp_close();
	if (smtp.kick)
		ev_timer_cancel(vrrp_rt.loop, smtp.kick);
	smtp.kick = 0;
	for (m = smtp.head; m; m = next) {
		next = m->next;
		free(m->subject);
		free(m->body);
		free(m);
	}
	smtp.head = NULL;
	smtp.tail = &smtp.head;
	smtp.n = 0;
}

/* ------------------------------------------------------------------ */
/* Life cycle */

/* Logs, once per (re)load, the notify scripts that will be refused. */
static void precheck(const char *owner, const struct cfg_notify *nt, unsigned n)
{
	char what[64 + VRRP_API_NAME_MAX];
	uid_t uid;
	gid_t gid;
	bool set;

	for (unsigned k = 0; k < n; k++) {
		if (!nt[k].script)
			continue;
		snprintf(what, sizeof(what), "%s: %s", owner, cfg_vrrp_notify_kw[k]);
		if (vrrp_script_ids(nt[k].user, nt[k].group, &uid, &gid, &set) < 0)
			log_err("%s: unknown user or group '%s'", what,
				nt[k].user ? nt[k].user : "");
		else
			vrrp_script_allowed(nt[k].script, set ? uid : geteuid(), what, true);
	}
}

static void open_all(void)
{
	const struct cfg_global *g = vrrp_rt.root->global;
	const struct cfg_vrrp_inst *c;
	const struct cfg_vrrp_sync *s;
	struct ntf_fifo *f, **pp;

	for (f = ntf_rt.fifos; f; f = f->next)
		f->used = false;
	fifo_use(&g->notify_fifo, &g->notify_fifo_script);
	fifo_use(&g->vrrp_notify_fifo, &g->vrrp_notify_fifo_script);
	for (c = vrrp_rt.root->vrrp->insts; c; c = c->next) {
		struct cfg_global_cmd spec = { .path = c->notify_fifo };

		fifo_use(&spec, NULL);
		precheck(c->name, c->notify, CFG_NOTIFY__COUNT);
	}
	for (s = vrrp_rt.root->vrrp->syncs; s; s = s->next)
		precheck(s->name, s->notify, CFG_NOTIFY__COUNT);
	smtp_resolve();
	for (pp = &ntf_rt.fifos; (f = *pp);) {
		if (f->used) {
			pp = &f->next;
			continue;
		}
		*pp = f->next;
		fifo_free(f);
	}
}

int vrrp_notify_start(void)
{
	vrrp_rt.notify = &ntf_rt;
	open_all();
	return 0;
}

void vrrp_notify_reload(void)
{
	const struct vrrp_inst *in;
	const struct vrrp_sync *g;

	open_all();
	if (!vrrp_rt.root->global->fifo_write_vrrp_states_on_reload)
		return;
	/* the states as they are, so a FIFO reader can resynchronise */
	for (in = vrrp_rt.insts; in; in = in->next) {
		enum cfg_vrrp_notify w = notify_of(in->fsm.state, false);

		if (w != CFG_NOTIFY__COUNT)
			fifo_line("INSTANCE", in->name, notify_state_kw[w], in->fsm.priority,
				  in->cfg->notify_fifo);
	}
	for (g = vrrp_rt.syncs; g; g = g->next)
		if (g->state == VRRP_API_ST_MASTER || g->state == VRRP_API_ST_BACKUP ||
		    g->state == VRRP_API_ST_FAULT)
			fifo_line("GROUP", g->name, vrrp_api_state_name(g->state), 0, NULL);
}

static void detached_done(pid_t pid, int wstatus, bool timed_out, void *ud)
{
	(void)pid;
	(void)wstatus;
	(void)timed_out;
	ev_break(ud, 0);
}

/*
 * The rest of a queue, in a process of its own: wait for the run in
 * flight (until its deadline, then kill it), then run what waits, in
 * order, each with the timeout. Never returns in that process.
 */
static void chan_detach(struct ntf_chan *ch)
{
	struct ntf_cmd *c;
	struct ev_loop *l;
	pid_t pid = fork();

	if (pid < 0) {
		log_err_errno(errno, "%s: cannot hand the last notifications over", ch->key);
		return;
	}
	if (pid > 0)
		return;
	if (ch->pid > 0) {
		uint64_t end = ch->deadline_us;
		struct timespec ts = { 0, 10000000 };

		/* (a zombie counts as alive until the VRRP process, gone soon, is) */
		while (kill(ch->pid, 0) == 0 && ev_time_us() < end)
			nanosleep(&ts, NULL);
		if (kill(ch->pid, 0) == 0)
			kill(-ch->pid, SIGKILL);	/* its timeout, which we inherit */
	}
	l = ev_loop_new();
	if (!l)
		_exit(1);
	for (c = ch->head; c; c = c->next) {
		struct spawn_opts o = {
			.argv = (const char *const *)c->argv, .uid = c->uid, .gid = c->gid,
			.set_ids = c->set_ids, .timeout_us = VRRP_NOTIFY_TIMEOUT_US,
		};

		if (spawn_run(l, &o, detached_done, l, NULL) == 0)
			ev_run(l);
	}
	_exit(0);	/* no atexit handlers: they belong to the VRRP process */
}

void vrrp_notify_stop(void)
{
	struct ntf_chan *ch, *next;
	struct ntf_fifo *f, *fn;

	smtp_stop();
	for (ch = ntf_rt.chans; ch; ch = next) {
		next = ch->next;
		if (ch->head)
			chan_detach(ch);
		if (ch->running) {
			/* its run goes on; the loop frees it if it ends in time */
			struct ntf_cmd *c, *cn;

			for (c = ch->head; c; c = cn) {
				cn = c->next;
				cmd_free(c);
			}
			ch->head = NULL;
			ch->tail = &ch->head;
			ch->n_wait = 0;
			ch->orphan = true;
		} else {
			chan_free(ch);
		}
	}
	for (f = ntf_rt.fifos; f; f = fn) {
		fn = f->next;
		fifo_free(f);
	}
	ntf_rt.fifos = NULL;
	vrrp_rt.notify = NULL;
}
