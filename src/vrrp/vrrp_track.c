// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tracking: what an instance watches besides its own interface, and what
 * that does to it (keepalived.conf(5) "VRRP script(s)", "Track files",
 * track_interface):
 *
 *  - vrrp_script: run every interval on the loop (never waited for), killed
 *    at its timeout (which counts as a failure); `fall` consecutive failures
 *    make it bad, `rise` consecutive successes good again; init_fail starts
 *    it bad. A script runs only if something tracks it.
 *  - track_interface: up means IFF_UP and IFF_RUNNING, from the netlink
 *    monitor (vrrp_link.c through an AF_UNSPEC vrrp_if).
 *  - track_file: the number in the file, re-read when inotify reports the
 *    file written, moved or removed (polled every second where a directory
 *    cannot be watched).
 *
 * Effect, per tracked object: weight 0 means fault while failed (reverse:
 * while good); a positive weight is added while good, a negative one while
 * failed, reverse negates it; a file adds number times weight, a result
 * below -253 is a fault, and weight 0 makes any non-zero number a fault.
 * The effective priority is base plus all effects, within 1..254; the
 * address owner (255) never changes, so its weighted trackers count as
 * weight 0, as do the weights of scripts and files an instance of a sync
 * group tracks itself, unless the group says sync_group_tracking_weight
 * (both as keepalived.conf(5) requires); a warning says so.
 *
 * The results go to vrrp_inst_apply(), which feeds the state machine
 * PRIORITY_CHANGE / FAULT / FAULT_CLEAR events.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "alived/spawn.h"
#include "alived/xalloc.h"
#include "vrrp/vrrp.h"

#define TRK_POLL_US		1000000ULL	/* files that cannot be watched */
#define TRK_FILE_READ_MAX	63		/* bytes read from a track file */
#define TRK_PRIO_FAULT_BELOW	(-253)		/* a file result below this is a fault */
#define TRK_DELTA_MAX		254
#define TRK_INO_MASK		(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | \
				 IN_DELETE_SELF | IN_MOVE_SELF)

/* ------------------------------------------------------------------ */
/* Pure parts */

void vrrp_track_rf_init(struct vrrp_track_rf *rf, uint32_t rise, uint32_t fall, bool init_fail)
{
	rf->rise = rise ? rise : 1;
	rf->fall = fall ? fall : 1;
	rf->run = 0;
	rf->ok = !init_fail;
}

bool vrrp_track_rf_result(struct vrrp_track_rf *rf, bool success)
{
	if (success == rf->ok) {
		rf->run = 0;	/* a result that agrees breaks the streak */
		return false;
	}
	rf->run++;
	if (rf->run < (rf->ok ? rf->fall : rf->rise))
		return false;
	rf->ok = success;
	rf->run = 0;
	return true;
}

void vrrp_track_effect(const struct vrrp_track_input *in, struct vrrp_track_effect *ret)
{
	int64_t v;

	memset(ret, 0, sizeof(*ret));
	switch (in->kind) {
	case VRRP_TRK_IF:
	case VRRP_TRK_SCRIPT:
		if (in->weight == 0) {
			ret->fault = in->reverse ? in->up : !in->up;
			return;
		}
		/* positive: while up; negative: while down */
		if ((in->weight > 0) == in->up)
			ret->delta = in->reverse ? -in->weight : in->weight;
		return;
	case VRRP_TRK_FILE:
		if (in->weight == 0) {
			ret->fault = in->reverse ? in->value == 0 : in->value != 0;
			return;
		}
		v = in->value;
		if (v > INT32_MAX)
			v = INT32_MAX;
		if (v < INT32_MIN)
			v = INT32_MIN;
		v *= in->weight;
		if (in->reverse)
			v = -v;
		if (v < TRK_PRIO_FAULT_BELOW) {
			ret->fault = true;
			return;
		}
		ret->delta = (int32_t)(v > TRK_DELTA_MAX ? TRK_DELTA_MAX : v);
		return;
	case VRRP_TRK__COUNT:
		break;
	}
}

uint8_t vrrp_track_eff_prio(uint8_t base, int64_t delta)
{
	int64_t p;

	if (base == VRRP_PRIO_OWNER)
		return base;
	p = (int64_t)base + delta;
	if (p < 1)
		return 1;
	if (p > VRRP_PRIO_OWNER - 1)
		return VRRP_PRIO_OWNER - 1;
	return (uint8_t)p;
}

/* ------------------------------------------------------------------ */
/* Tracked objects */

struct trk_run;

struct trk_script {
	struct trk_script *next;
	const struct cfg_vrrp_script *cfg;	/* borrowed from the running root */
	char *name, *cmd, *user, *group;	/* owned copies (reload matching) */
	struct vrrp_track_rf rf;
	uid_t uid;
	gid_t gid;
	bool set_ids;
	bool disabled;			/* refused: security or an unknown user */
	uint64_t interval_us, timeout_us;
	ev_timer_id tmr;
	struct trk_run *run;		/* in flight; NULL = none */
	uint64_t runs, failures;
	char last[64];			/* last result, for logs and dumps */
};

/* A run outlives a script removed by a reload: it then points to NULL. */
struct trk_run {
	struct trk_script *s;
	pid_t pid;
};

struct trk_file {
	struct trk_file *next;
	const struct cfg_track_file *cfg;	/* borrowed */
	char *name, *path, *dir, *base;
	int64_t value;
	int wd;				/* inotify watch of dir; -1 = polled */
	int read_err;			/* last read error (0 = none), logged once */
};

struct trk_if {
	struct trk_if *next;
	char name[IFNAMSIZ];
	struct vrrp_if *vif;		/* a reference (vrrp_if_track) */
	bool up;
};

struct vrrp_track_rt {
	struct trk_script *scripts;
	struct trk_file *files;
	struct trk_if *ifs;
	/* during a reload: the previous objects, taken over by name */
	struct trk_script *old_scripts;
	struct trk_file *old_files;
	struct trk_if *old_ifs;
	int ino_fd;			/* -1 = none */
	ev_timer_id poll_tmr;
};

static struct vrrp_track_rt trk_rt = { .ino_fd = -1 };

static const struct cfg_vrrp *cfgv(void)
{
	return vrrp_rt.root->vrrp;
}

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Every instance tracking something re-evaluated; changes applied. */
static void eval_all(void)
{
	struct vrrp_inst *in;

	for (in = vrrp_rt.insts; in; in = in->next)
		if (vrrp_track_eval(in))
			vrrp_inst_apply(in);
}

/* ---- scripts ---- */

static void script_schedule(struct trk_script *s, uint64_t delay_us);

static void script_set(struct trk_script *s, bool ok, const char *detail)
{
	s->runs++;
	if (!ok)
		s->failures++;
	snprintf(s->last, sizeof(s->last), "%s", detail);
	if (!vrrp_track_rf_result(&s->rf, ok)) {
		log_debug(LOG_CAT_PROTO, "vrrp_script %s: %s", s->name, detail);
		return;
	}
	if (ok)
		log_info("vrrp_script %s: now succeeds", s->name);
	else
		log_warn("vrrp_script %s: now fails (%s)", s->name, detail);
	eval_all();
}

static void script_done(pid_t pid, int wstatus, bool timed_out, void *ud)
{
	struct trk_run *run = ud;
	struct trk_script *s = run->s;
	char d[64];

	(void)pid;
	free(run);
	if (!s)
		return;		/* removed by a reload meanwhile */
	s->run = NULL;
	if (timed_out)
		snprintf(d, sizeof(d), "timed out after %" PRIu64 " ms, killed",
			 s->timeout_us / 1000);
	else if (WIFEXITED(wstatus))
		snprintf(d, sizeof(d), "exit status %d", WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		snprintf(d, sizeof(d), "killed by signal %d", WTERMSIG(wstatus));
	else
		snprintf(d, sizeof(d), "wait status %#x", (unsigned)wstatus);
	script_set(s, !timed_out && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0, d);
}

static void script_launch(struct trk_script *s)
{
	struct spawn_opts o = {
		.cmdline = s->cmd, .uid = s->uid, .gid = s->gid, .set_ids = s->set_ids,
		.timeout_us = s->timeout_us,
	};
	struct trk_run *run = xcalloc(1, sizeof(*run));
	char d[64];
	int r;

	run->s = s;
	r = spawn_run(vrrp_rt.loop, &o, script_done, run, &run->pid);
	if (r < 0) {
		free(run);
		snprintf(d, sizeof(d), "cannot run: %s", strerror(-r));
		script_set(s, false, d);
		return;
	}
	s->run = run;
}

static void script_tick(void *ud)
{
	struct trk_script *s = ud;

	s->tmr = 0;
	script_schedule(s, s->interval_us);
	if (s->run) {
		/* the timeout is at most the interval in practice: a late one */
		log_debug(LOG_CAT_PROTO, "vrrp_script %s: still running; this run skipped",
			  s->name);
		return;
	}
	script_launch(s);
}

static void script_schedule(struct trk_script *s, uint64_t delay_us)
{
	if (s->tmr)
		ev_timer_cancel(vrrp_rt.loop, s->tmr);
	s->tmr = ev_timer_add(vrrp_rt.loop, delay_us, script_tick, s);
}

/* Times, user and security from the configuration (new or reloaded). */
static void script_configure(struct trk_script *s, const struct cfg_vrrp_script *c)
{
	char what[160];
	int r;

	s->cfg = c;
	s->interval_us = (uint64_t)(c->interval_ms ? c->interval_ms : 1000) * 1000u;
	s->timeout_us = c->timeout_ms ? (uint64_t)c->timeout_ms * 1000u : s->interval_us;
	s->disabled = false;
	r = vrrp_script_ids(c->user, c->group, &s->uid, &s->gid, &s->set_ids);
	if (r < 0) {
		log_err("vrrp_script %s: unknown user or group '%s%s%s'; not run, not tracked",
			s->name, c->user ? c->user : "", c->group ? ":" : "",
			c->group ? c->group : "");
		s->disabled = true;
		return;
	}
	snprintf(what, sizeof(what), "vrrp_script %s", s->name);
	if (!vrrp_script_allowed(s->cmd, s->set_ids ? s->uid : geteuid(), what, true))
		s->disabled = true;
}

static struct trk_script *script_new(const struct cfg_vrrp_script *c)
{
	struct trk_script *s = xcalloc(1, sizeof(*s));

	s->name = xstrdup(c->name);
	s->cmd = xstrdup(c->script ? c->script : "");
	s->user = dup_or_null(c->user);
	s->group = dup_or_null(c->group);
	vrrp_track_rf_init(&s->rf, c->rise, c->fall, c->init_fail);
	snprintf(s->last, sizeof(s->last), "%s", c->init_fail ? "init_fail" : "not run yet");
	script_configure(s, c);
	if (s->disabled)
		log_warn("vrrp_script %s: instances tracking it ignore it", s->name);
	else
		script_schedule(s, 0);	/* first run now */
	return s;
}

static void script_free(struct trk_script *s)
{
	if (s->tmr)
		ev_timer_cancel(vrrp_rt.loop, s->tmr);
	if (s->run) {
		/* let it finish (its timeout is gone with us): just forget it */
		s->run->s = NULL;
		kill(-s->run->pid, SIGTERM);
	}
	free(s->name);
	free(s->cmd);
	free(s->user);
	free(s->group);
	free(s);
}

static struct trk_script *script_get(const char *name)
{
	const struct cfg_vrrp_script *c = cfg_vrrp_find_script(cfgv(), name);
	struct trk_script *s, **pp;
	uint64_t old_int;

	if (!c)
		return NULL;
	for (s = trk_rt.scripts; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	/* reload: the same script keeps its state and its run */
	for (pp = &trk_rt.old_scripts; (s = *pp); pp = &s->next) {
		if (strcmp(s->name, name) || !str_eq(s->cmd, c->script) ||
		    !str_eq(s->user, c->user) || !str_eq(s->group, c->group))
			continue;
		*pp = s->next;
		old_int = s->interval_us;
		script_configure(s, c);
		s->rf.rise = c->rise ? c->rise : 1;
		s->rf.fall = c->fall ? c->fall : 1;
		if (s->disabled && s->tmr) {
			ev_timer_cancel(vrrp_rt.loop, s->tmr);
			s->tmr = 0;
		} else if (!s->disabled && (!s->tmr || old_int != s->interval_us)) {
			script_schedule(s, s->interval_us);
		}
		break;
	}
	if (!s)
		s = script_new(c);
	s->next = trk_rt.scripts;
	trk_rt.scripts = s;
	return s;
}

/* ---- files ---- */

static void file_read(struct trk_file *f, bool initial)
{
	char buf[TRK_FILE_READ_MAX + 1], *end;
	int64_t v = 0;
	ssize_t n;
	int fd, err = 0;

	fd = open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
	} else {
		n = read(fd, buf, TRK_FILE_READ_MAX);
		if (n < 0)
			err = errno;
		close(fd);
		if (n >= 0) {
			buf[n] = '\0';
			errno = 0;
			v = strtoll(buf, &end, 10);
			if (end == buf || errno)
				err = EINVAL;
		}
	}
	if (err) {
		v = 0;
		if (err != f->read_err)
			log_warn("track_file %s: %s: %s; taken as 0", f->name, f->path,
				 err == EINVAL ? "no number" : strerror(err));
	}
	f->read_err = err;
	if (!initial && v == f->value)
		return;
	if (!initial)
		log_info("track_file %s: %s now holds %" PRId64 " (was %" PRId64 ")", f->name,
			 f->path, v, f->value);
	f->value = v;
	if (!initial)
		eval_all();
}

static void poll_cb(void *ud);

static void poll_arm(void)
{
	struct trk_file *f;

	for (f = trk_rt.files; f && f->wd >= 0; f = f->next)
		;
	if (f && !trk_rt.poll_tmr)
		trk_rt.poll_tmr = ev_timer_add(vrrp_rt.loop, TRK_POLL_US, poll_cb, NULL);
}

static void poll_cb(void *ud)
{
	struct trk_file *f, *next;

	(void)ud;
	trk_rt.poll_tmr = 0;
	for (f = trk_rt.files; f; f = next) {
		next = f->next;
		if (f->wd < 0)
			file_read(f, false);
	}
	poll_arm();
}

static void ino_cb(int fd, uint32_t events, void *ud)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *e;
	struct trk_file *f;
	bool lost = false;
	ssize_t n;

	(void)events;
	(void)ud;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (char *p = buf; p < buf + n; p += sizeof(*e) + e->len) {
			e = (const struct inotify_event *)(void *)p;
			if (e->mask & IN_Q_OVERFLOW)
				lost = true;
			for (f = trk_rt.files; f; f = f->next) {
				if (f->wd != e->wd)
					continue;
				if (e->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
					f->wd = -1;	/* the directory went: poll */
					file_read(f, false);
				} else if (e->len && !strcmp(e->name, f->base)) {
					file_read(f, false);
				}
			}
		}
	}
	if (lost)
		for (f = trk_rt.files; f; f = f->next)
			file_read(f, false);
	poll_arm();
}

static void ino_open(void)
{
	int fd, r;

	if (trk_rt.ino_fd >= 0)
		return;
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0) {
		log_warn_errno(errno, "track_file: inotify unavailable; files are polled");
		return;
	}
	r = ev_io_add(vrrp_rt.loop, fd, EV_READ, ino_cb, NULL);
	if (r < 0) {
		close(fd);
		log_warn_errno(r, "track_file: cannot watch inotify; files are polled");
		return;
	}
	trk_rt.ino_fd = fd;
}

static void ino_close(void)
{
	if (trk_rt.ino_fd < 0)
		return;
	ev_io_del(vrrp_rt.loop, trk_rt.ino_fd);
	close(trk_rt.ino_fd);
	trk_rt.ino_fd = -1;
}

static void file_watch(struct trk_file *f)
{
	f->wd = -1;
	ino_open();
	if (trk_rt.ino_fd >= 0)
		f->wd = inotify_add_watch(trk_rt.ino_fd, f->dir, TRK_INO_MASK);
	if (f->wd < 0)
		log_info("track_file %s: %s cannot be watched; polled every second", f->name,
			 f->dir);
}

/* init_file: write the value when the file is missing (or always with
 * overwrite). */
static void file_init(const struct trk_file *f, const struct cfg_track_file *c)
{
	char buf[32];
	int fd, n;

	if (!c->init_file)
		return;
	fd = open(f->path, O_WRONLY | O_CREAT | O_CLOEXEC | (c->init_overwrite ? O_TRUNC : O_EXCL),
		  0644);
	if (fd < 0) {
		if (errno != EEXIST)
			log_warn_errno(errno, "track_file %s: cannot initialise %s", f->name,
				       f->path);
		return;
	}
	n = snprintf(buf, sizeof(buf), "%" PRId64 "\n", c->init_value);
	if (write(fd, buf, (size_t)n) != n)
		log_warn_errno(errno, "track_file %s: cannot write %s", f->name, f->path);
	close(fd);
}

static struct trk_file *file_new(const struct cfg_track_file *c)
{
	struct trk_file *f = xcalloc(1, sizeof(*f));
	const char *slash;

	f->name = xstrdup(c->name);
	f->path = xstrdup(c->path ? c->path : "");
	slash = strrchr(f->path, '/');
	if (!slash) {
		f->dir = xstrdup(".");
		f->base = xstrdup(f->path);
	} else {
		f->dir = slash == f->path ? xstrdup("/") :
					    xstrndup(f->path, (size_t)(slash - f->path));
		f->base = xstrdup(slash + 1);
	}
	file_init(f, c);
	return f;
}

static void file_free(struct trk_file *f)
{
	free(f->name);
	free(f->path);
	free(f->dir);
	free(f->base);
	free(f);
}

static struct trk_file *file_get(const char *name)
{
	const struct cfg_track_file *c = cfg_vrrp_find_track_file(cfgv(), name);
	struct trk_file *f, **pp;

	if (!c)
		return NULL;
	for (f = trk_rt.files; f; f = f->next)
		if (!strcmp(f->name, name))
			return f;
	for (pp = &trk_rt.old_files; (f = *pp); pp = &f->next) {
		if (!strcmp(f->name, name) && str_eq(f->path, c->path)) {
			*pp = f->next;
			break;
		}
	}
	if (!f)
		f = file_new(c);
	f->cfg = c;
	file_watch(f);
	file_read(f, true);
	f->next = trk_rt.files;
	trk_rt.files = f;
	poll_arm();
	return f;
}

/* ---- interfaces ---- */

static bool if_is_up(const struct vrrp_if *vif)
{
	return vif->ifindex && vif->up;
}

static struct trk_if *if_get(const char *name)
{
	struct trk_if *t, **pp;

	for (t = trk_rt.ifs; t; t = t->next)
		if (!strcmp(t->name, name))
			return t;
	for (pp = &trk_rt.old_ifs; (t = *pp); pp = &t->next) {
		if (!strcmp(t->name, name)) {
			*pp = t->next;
			break;
		}
	}
	if (!t) {
		t = xcalloc(1, sizeof(*t));
		snprintf(t->name, sizeof(t->name), "%s", name);
		t->vif = vrrp_if_track(name);
	}
	t->up = if_is_up(t->vif);
	t->next = trk_rt.ifs;
	trk_rt.ifs = t;
	return t;
}

static void if_free(struct trk_if *t)
{
	vrrp_if_untrack(t->vif);
	free(t);
}

void vrrp_track_if_changed(struct vrrp_if *vif)
{
	struct trk_if *t;

	for (t = trk_rt.ifs; t; t = t->next) {
		if (t->vif != vif || t->up == if_is_up(vif))
			continue;
		t->up = if_is_up(vif);
		log_info("track_interface %s: %s", t->name,
			 t->up ? "up" : vif->ifindex ? "down" : "gone");
		eval_all();
	}
}

/* ------------------------------------------------------------------ */
/* Per instance */

static const enum vrrp_trk_kind kind_of[CFG_TRACK__COUNT] = {
	[CFG_TRACK_IF] = VRRP_TRK_IF,
	[CFG_TRACK_SCRIPT] = VRRP_TRK_SCRIPT,
	[CFG_TRACK_FILE] = VRRP_TRK_FILE,
	[CFG_TRACK_PROCESS] = VRRP_TRK__COUNT,	/* not supported */
	[CFG_TRACK_BFD] = VRRP_TRK__COUNT,	/* not supported */
};

static const char *const kind_kw[VRRP_TRK__COUNT] = {
	[VRRP_TRK_IF] = "track_interface",
	[VRRP_TRK_SCRIPT] = "track_script",
	[VRRP_TRK_FILE] = "track_file",
};
_Static_assert(VRRP_ARRAY_SIZE(kind_kw) == VRRP_TRK__COUNT, "kind_kw");

static const char *obj_name(const struct vrrp_trk_ref *r)
{
	switch (r->kind) {
	case VRRP_TRK_IF:
		return ((const struct trk_if *)r->obj)->name;
	case VRRP_TRK_SCRIPT:
		return ((const struct trk_script *)r->obj)->name;
	case VRRP_TRK_FILE:
		return ((const struct trk_file *)r->obj)->name;
	default:
		return "?";
	}
}

/* Weight and direction of a reference: its own, else the object's. */
static void ref_weight(const struct cfg_track_ref *cr, enum vrrp_trk_kind k, const void *obj,
		       int32_t *ret_w, bool *ret_rev)
{
	int32_t w = 0;
	bool rev = false;

	if (k == VRRP_TRK_SCRIPT) {
		w = ((const struct trk_script *)obj)->cfg->weight;
		rev = ((const struct trk_script *)obj)->cfg->weight_reverse;
	} else if (k == VRRP_TRK_FILE) {
		w = ((const struct trk_file *)obj)->cfg->weight;
		rev = ((const struct trk_file *)obj)->cfg->weight_reverse;
	}
	if (cr->has_weight) {
		w = cr->weight;
		rev = cr->reverse;
	} else {
		rev = rev || cr->reverse;
	}
	*ret_w = w;
	*ret_rev = rev;
}

static void add_refs(struct vrrp_inst *in, const struct cfg_track_ref *const track[],
		     bool from_group, unsigned *cap)
{
	const struct cfg_vrrp_inst *c = in->cfg;
	const struct cfg_vrrp_sync *g = c->sync;
	const struct cfg_track_ref *cr;

	for (unsigned k = 0; k < CFG_TRACK__COUNT; k++) {
		enum vrrp_trk_kind tk = kind_of[k];

		for (cr = track[k]; cr; cr = cr->next) {
			struct vrrp_trk_ref r = { .kind = tk };
			const char *why = NULL;

			if (tk == VRRP_TRK__COUNT) {
				if (k == CFG_TRACK_PROCESS)
					log_warn("%s: track_process %s: not supported by alived; "
						 "ignored", in->name, cr->name);
				continue;
			}
			r.obj = tk == VRRP_TRK_IF ? (void *)if_get(cr->name) :
				tk == VRRP_TRK_SCRIPT ? (void *)script_get(cr->name) :
							(void *)file_get(cr->name);
			if (!r.obj)
				continue;	/* validated: cannot happen */
			ref_weight(cr, tk, r.obj, &r.weight, &r.reverse);
			if (r.weight && c->priority == VRRP_PRIO_OWNER)
				why = "the address owner's priority (255) cannot change";
			else if (r.weight && g && !from_group && tk != VRRP_TRK_IF &&
				 !g->sync_group_tracking_weight)
				why = "a member of a sync group keeps its priority "
				      "(sync_group_tracking_weight allows it)";
			if (why) {
				log_warn("%s: %s %s: weight %" PRId32 " taken as 0 (fault on "
					 "failure): %s", in->name, kind_kw[tk], cr->name, r.weight,
					 why);
				r.weight = 0;
			}
			if (in->n_trk == *cap) {
				*cap = *cap ? *cap * 2 : 4;
				in->trk = xreallocarray(in->trk, *cap, sizeof(*in->trk));
			}
			in->trk[in->n_trk++] = r;
		}
	}
}

void vrrp_track_inst_build(struct vrrp_inst *in)
{
	unsigned cap = 0;

	vrrp_track_inst_free(in);
	add_refs(in, (const struct cfg_track_ref *const *)in->cfg->track, false, &cap);
	if (in->cfg->sync)
		add_refs(in, (const struct cfg_track_ref *const *)in->cfg->sync->track, true,
			 &cap);
	vrrp_track_eval(in);
}

void vrrp_track_inst_free(struct vrrp_inst *in)
{
	free(in->trk);
	in->trk = NULL;
	in->n_trk = 0;
}

static void ref_input(const struct vrrp_trk_ref *r, struct vrrp_track_input *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->kind = r->kind;
	ret->weight = r->weight;
	ret->reverse = r->reverse;
	switch (r->kind) {
	case VRRP_TRK_IF:
		ret->up = ((const struct trk_if *)r->obj)->up;
		break;
	case VRRP_TRK_SCRIPT:
		ret->up = ((const struct trk_script *)r->obj)->rf.ok;
		break;
	case VRRP_TRK_FILE:
		ret->value = ((const struct trk_file *)r->obj)->value;
		break;
	case VRRP_TRK__COUNT:
		break;
	}
}

static bool ref_ignored(const struct vrrp_trk_ref *r)
{
	return r->kind == VRRP_TRK_SCRIPT && ((const struct trk_script *)r->obj)->disabled;
}

bool vrrp_track_eval(struct vrrp_inst *in)
{
	struct vrrp_track_input ti;
	struct vrrp_track_effect e;
	int64_t delta = 0;
	bool fault = false;
	char what[sizeof(in->trk_fault_what)] = "";

	for (unsigned k = 0; k < in->n_trk; k++) {
		const struct vrrp_trk_ref *r = &in->trk[k];

		if (ref_ignored(r))
			continue;
		ref_input(r, &ti);
		vrrp_track_effect(&ti, &e);
		delta += e.delta;
		if (e.fault && !fault) {
			fault = true;
			if (r->kind == VRRP_TRK_FILE)
				snprintf(what, sizeof(what), "track_file %s holds %" PRId64,
					 obj_name(r), ti.value);
			else
				snprintf(what, sizeof(what), "%s %s %s%s", kind_kw[r->kind],
					 obj_name(r), ti.up ? "up" : r->kind == VRRP_TRK_IF ?
					 "down" : "failed", r->reverse ? " (reverse)" : "");
		}
	}
	if (delta > INT16_MAX)
		delta = INT16_MAX;
	if (delta < INT16_MIN)
		delta = INT16_MIN;
	snprintf(in->trk_fault_what, sizeof(in->trk_fault_what), "%s", what);
	if (fault == in->fault_track && delta == in->trk_delta)
		return false;
	in->fault_track = fault;
	in->trk_delta = (int32_t)delta;
	return true;
}

void vrrp_track_dump(FILE *out, const struct vrrp_inst *in)
{
	struct vrrp_track_input ti;
	struct vrrp_track_effect e;

	for (unsigned k = 0; k < in->n_trk; k++) {
		const struct vrrp_trk_ref *r = &in->trk[k];

		ref_input(r, &ti);
		vrrp_track_effect(&ti, &e);
		fprintf(out, "    %s %s weight %" PRId32 "%s: ", kind_kw[r->kind], obj_name(r),
			r->weight, r->reverse ? " reverse" : "");
		if (r->kind == VRRP_TRK_FILE)
			fprintf(out, "value %" PRId64, ti.value);
		else if (r->kind == VRRP_TRK_SCRIPT)
			fprintf(out, "%s (%s)", ti.up ? "good" : "failed",
				((const struct trk_script *)r->obj)->last);
		else
			fprintf(out, "%s", ti.up ? "up" : "down");
		if (ref_ignored(r))
			fprintf(out, ", ignored (refused)\n");
		else if (e.fault)
			fprintf(out, ", fault\n");
		else
			fprintf(out, ", %+" PRId32 "\n", e.delta);
	}
}

/* ------------------------------------------------------------------ */
/* Life cycle */

static void build_all(void)
{
	struct vrrp_inst *in;

	for (in = vrrp_rt.insts; in; in = in->next)
		vrrp_track_inst_build(in);
}

int vrrp_track_start(void)
{
	vrrp_rt.track = &trk_rt;
	build_all();
	return 0;
}

static void free_lists(struct trk_script *s, struct trk_file *f, struct trk_if *t)
{
	void *next;

	for (; s; s = next) {
		next = s->next;
		script_free(s);
	}
	for (; f; f = next) {
		next = f->next;
		file_free(f);
	}
	for (; t; t = next) {
		next = t->next;
		if_free(t);
	}
}

void vrrp_track_reload(void)
{
	struct vrrp_inst *in;

	trk_rt.old_scripts = trk_rt.scripts;
	trk_rt.old_files = trk_rt.files;
	trk_rt.old_ifs = trk_rt.ifs;
	trk_rt.scripts = NULL;
	trk_rt.files = NULL;
	trk_rt.ifs = NULL;
	/* watches are set again on a fresh inotify instance */
	ino_close();
	build_all();
	free_lists(trk_rt.old_scripts, trk_rt.old_files, trk_rt.old_ifs);
	trk_rt.old_scripts = NULL;
	trk_rt.old_files = NULL;
	trk_rt.old_ifs = NULL;
	if (!trk_rt.files && trk_rt.poll_tmr) {
		ev_timer_cancel(vrrp_rt.loop, trk_rt.poll_tmr);
		trk_rt.poll_tmr = 0;
	}
	for (in = vrrp_rt.insts; in; in = in->next)
		if (in->started)
			vrrp_inst_apply(in);
}

void vrrp_track_stop(void)
{
	struct vrrp_inst *in;

	for (in = vrrp_rt.insts; in; in = in->next)
		vrrp_track_inst_free(in);
	free_lists(trk_rt.scripts, trk_rt.files, trk_rt.ifs);
	trk_rt.scripts = NULL;
	trk_rt.files = NULL;
	trk_rt.ifs = NULL;
	ino_close();
	if (trk_rt.poll_tmr)
		ev_timer_cancel(vrrp_rt.loop, trk_rt.poll_tmr);
	trk_rt.poll_tmr = 0;
	vrrp_rt.track = NULL;
}
