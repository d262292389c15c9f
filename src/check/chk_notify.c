// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Notification FIFOs of the checker process (global_defs notify_fifo and
 * lvs_notify_fifo): one line per transition, written as it happens:
 *
 *   RS <real server> <virtual server> UP|DOWN     a real server's state
 *   VS <virtual server> UP|DOWN                   a virtual server's quorum
 *
 * with servers written "[10.0.0.2]:tcp:8080", "[fe80::2]:udp:53"; a
 * virtual server by fwmark "FWM:3" and by group "group:NAME", so that
 * each line splits into words on blanks. The VRRP process writes its own
 * lines to notify_fifo.
 *
 * A FIFO that does not exist is created (mode 0600, owned by the user and
 * group given after its path) and removed when we stop; an existing path
 * that is not a FIFO is refused. It is opened read-write and non-blocking,
 * so writing never waits for a reader: with none, lines queue in the pipe
 * and are dropped (said once) when it is full.
 *
 * lvs_notify_fifo_script, and notify_fifo_script when the configuration
 * has no VRRP instance (else the VRRP process runs it), are started with
 * the FIFO's path as argument, and get SIGTERM when we stop or when a
 * reload changes their FIFO.
 *
 * The lines come from the check API's observer hook (check_api.h), like
 * any other observer of the engine.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "alived/cfg_global.h"
#include "alived/cfg_vrrp.h"
#include "alived/log.h"
#include "alived/spawn.h"
#include "alived/xalloc.h"
#include "check/chk.h"

enum chk_fifo_kind {
	CHK_FIFO_GLOBAL,	/* notify_fifo */
	CHK_FIFO_LVS,		/* lvs_notify_fifo */
	CHK_FIFO__COUNT,
};

static const char *const chk_fifo_kw[] = {
	[CHK_FIFO_GLOBAL] = "notify_fifo",
	[CHK_FIFO_LVS] = "lvs_notify_fifo",
};
_Static_assert(ARRAY_SIZE(chk_fifo_kw) == CHK_FIFO__COUNT, "chk_fifo_kw");

struct chk_fifo {
	char *path;		/* NULL: not configured */
	char *script;		/* the command line as configured, or NULL */
	int fd;
	bool created;		/* we made it: we remove it */
	bool full_said;		/* "FIFO full" logged */
	pid_t script_pid;	/* 0: none running */
};

static struct {
	struct ev_loop *loop;
	struct chk_fifo f[CHK_FIFO__COUNT];
	int sub;
} N = { .f = { { .fd = -1 }, { .fd = -1 } } };

/* "[10.0.0.2]:tcp:8080" */
static const char *fifo_addr(const struct cfg_addr *a, enum cfg_lvs_proto p, uint16_t port,
			     char *buf, size_t len)
{
	char ab[CFG_ADDRSTRLEN], proto[8];
	struct cfg_addr plain = *a;
	size_t i;

	plain.has_prefix = false;
	cfg_addr_fmt(&plain, ab, sizeof(ab));
	snprintf(proto, sizeof(proto), "%s", cfg_lvs_proto_name(p));
	for (i = 0; proto[i]; i++)
		if (proto[i] >= 'A' && proto[i] <= 'Z')
			proto[i] = (char)(proto[i] - 'A' + 'a');
	snprintf(buf, len, "[%s]:%s:%u", ab, proto, (unsigned)port);
	return buf;
}

const char *chk_notify_vs_label(const struct chk_vs *vs, char *buf, size_t len)
{
	const struct cfg_vs *v = vs->cfg;

	switch (v->kind) {
	case CFG_VS_FWMARK:
		snprintf(buf, len, "FWM:%" PRIu32, v->fwmark);
		return buf;
	case CFG_VS_GROUP:
		snprintf(buf, len, "group:%s", v->group ? v->group : "?");
		return buf;
	default:
		return fifo_addr(&v->addr, v->protocol, v->port, buf, len);
	}
}

const char *chk_notify_rs_label(const struct chk_rs *rs, char *buf, size_t len)
{
	return fifo_addr(&rs->cfg->addr, rs->vs->cfg->protocol, rs->cfg->eff_port, buf, len);
}

/* ---- writing ---- */

static void fifo_write(struct chk_fifo *f, const char *line, size_t len)
{
	ssize_t n;

	if (f->fd < 0)
		return;
	n = write(f->fd, line, len);	/* < PIPE_BUF: all or nothing */
	if (n == (ssize_t)len) {
		f->full_said = false;
		return;
	}
	if (!f->full_said)
		log_warn("%s %s: %s; notifications are dropped until it is read", "FIFO",
			 f->path, n < 0 && errno != EAGAIN ? strerror(errno) : "full");
	f->full_said = true;
}

static void fifo_line(const char *line)
{
	size_t len = strlen(line);

	for (unsigned k = 0; k < CHK_FIFO__COUNT; k++)
		fifo_write(&N.f[k], line, len);
}

static void notify_evt(const struct chk_evt_info *e, void *ud)
{
	const struct chk_model *m = chk_api_model();
	char vs[CHK_LABEL_MAX], rs[CHK_LABEL_MAX], line[3 * CHK_LABEL_MAX];
	const struct chk_vs *v;

	(void)ud;
	if (!m || e->vs_id == 0 || e->vs_id > m->n_vs)
		return;
	v = &m->vs[e->vs_id - 1];
	chk_notify_vs_label(v, vs, sizeof(vs));
	if (e->evt == CHK_EVT_QUORUM) {
		snprintf(line, sizeof(line), "VS %s %s\n", vs, e->new_up ? "UP" : "DOWN");
	} else if (e->evt == CHK_EVT_RS_STATE && e->rs_id && e->rs_id <= v->n_rs) {
		snprintf(line, sizeof(line), "RS %s %s %s\n",
			 chk_notify_rs_label(&v->rs[e->rs_id - 1], rs, sizeof(rs)), vs,
			 e->new_up ? "UP" : "DOWN");
	} else {
		return;
	}
	fifo_line(line);
}

/* ---- opening and closing ---- */

/*
 * The owner of a FIFO we create: its own user and group when given, else
 * those its script runs as (which must open it), else ours.
 */
static void fifo_owner(const struct chk_model *m, const struct cfg_global_cmd *c,
		       const struct cfg_global_cmd *s, uid_t *uid, gid_t *gid, bool *set)
{
	*set = false;
	if (c->user || c->group)
		chk_script_ids(m, c->user, c->group, uid, gid, set);
	else if (s)
		chk_script_ids(m, s->user, s->group, uid, gid, set);
}

static int fifo_open(const struct chk_model *m, struct chk_fifo *f, const char *kw,
		     const struct cfg_global_cmd *c, const struct cfg_global_cmd *s)
{
	struct stat st;
	uid_t uid = 0;
	gid_t gid = 0;
	bool set = false;
	int fd;

	if (mkfifo(c->path, 0600) == 0) {
		f->created = true;
		fifo_owner(m, c, s, &uid, &gid, &set);
		if (set && chown(c->path, uid, gid) < 0)
			log_warn_errno(errno, "%s %s: cannot give it to uid %ld", kw, c->path,
				       (long)uid);
	} else if (errno != EEXIST) {
		return log_err_errno(errno, "%s %s: cannot create the FIFO", kw, c->path);
	}
	fd = open(c->path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return log_err_errno(errno, "%s %s: cannot open it", kw, c->path);
	if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		close(fd);
		return log_err_errno(EINVAL, "%s %s: exists and is not a FIFO; not used", kw,
				     c->path);
	}
	f->fd = fd;
	return 0;
}

static void fifo_script_start(const struct chk_model *m, struct chk_fifo *f, const char *kw,
			      const struct cfg_global_cmd *s)
{
	struct spawn_opts o = { 0 };
	char **words = NULL;
	const char **argv;
	int n, r;

	r = chk_script_ids(m, s->user, s->group, &o.uid, &o.gid, &o.set_ids);
	if (r < 0) {
		log_err("%s_script '%s': unknown user or group", kw, s->path);
		return;
	}
	if (!chk_script_allowed(m, s->path)) {
		log_err("%s_script '%s': not run (enable_script_security)", kw, s->path);
		return;
	}
	/* the configured line may hold arguments: the FIFO's path comes last */
	n = spawn_split(s->path, &words);
	if (n < 0) {
		log_err("%s_script '%s': bad quoting", kw, s->path);
		return;
	}
	argv = xcalloc((size_t)n + 2, sizeof(*argv));
	for (int i = 0; i < n; i++)
		argv[i] = words[i];
	argv[n] = f->path;
	o.argv = argv;
	r = spawn_run(N.loop, &o, NULL, NULL, &f->script_pid);
	free(argv);
	spawn_argv_free(words);
	if (r < 0) {
		f->script_pid = 0;
		log_err_errno(r, "%s_script '%s': cannot run it", kw, s->path);
		return;
	}
	f->script = xstrdup(s->path);
	log_info("%s_script '%s' started on %s (pid %ld)", kw, s->path, f->path,
		 (long)f->script_pid);
}

static void fifo_close(struct chk_fifo *f)
{
	if (f->script_pid > 0) {
		/* it reads until the FIFO closes: tell it first */
		if (spawn_cancel(N.loop, f->script_pid, SIGTERM) < 0)
			kill(f->script_pid, SIGTERM);
		f->script_pid = 0;
	}
	if (f->fd >= 0)
		close(f->fd);
	if (f->created && f->path)
		unlink(f->path);
	free(f->path);
	free(f->script);
	*f = (struct chk_fifo){ .fd = -1 };
}

static bool str_same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The FIFO and script a configuration asks for, as pointers into it. */
static void fifo_wanted(const struct cfg_root *root, enum chk_fifo_kind k,
			const struct cfg_global_cmd **ret_fifo, const struct cfg_global_cmd **ret_script)
{
	const struct cfg_global *g = root->global;
	bool vrrp = root->vrrp && root->vrrp->insts;

	*ret_fifo = NULL;
	*ret_script = NULL;
	if (!g)
		return;
	if (k == CHK_FIFO_GLOBAL) {
		*ret_fifo = g->notify_fifo.path ? &g->notify_fifo : NULL;
		if (!vrrp && g->notify_fifo_script.path)
			*ret_script = &g->notify_fifo_script;
	} else {
		*ret_fifo = g->lvs_notify_fifo.path ? &g->lvs_notify_fifo : NULL;
		if (g->lvs_notify_fifo_script.path)
			*ret_script = &g->lvs_notify_fifo_script;
	}
	if (!*ret_fifo)
		*ret_script = NULL;
}

static void fifo_setup(const struct chk_model *m, enum chk_fifo_kind k)
{
	const struct cfg_global_cmd *c, *s;
	struct chk_fifo *f = &N.f[k];

	fifo_wanted(m->root, k, &c, &s);
	/* the same FIFO and script: keep both running through a reload */
	if (c && f->path && f->fd >= 0 && strcmp(c->path, f->path) == 0 &&
	    str_same(s ? s->path : NULL, f->script))
		return;
	fifo_close(f);
	if (!c)
		return;
	if (k == CHK_FIFO_LVS && N.f[CHK_FIFO_GLOBAL].path &&
	    strcmp(N.f[CHK_FIFO_GLOBAL].path, c->path) == 0) {
		log_warn("lvs_notify_fifo %s: the same as notify_fifo; lines go there once",
			 c->path);
		return;
	}
	if (fifo_open(m, f, chk_fifo_kw[k], c, s) < 0)
		return;
	f->path = xstrdup(c->path);
	if (s)
		fifo_script_start(m, f, chk_fifo_kw[k], s);
}

void chk_notify_start(struct ev_loop *loop, const struct chk_model *m)
{
	N.loop = loop;
	for (unsigned k = 0; k < CHK_FIFO__COUNT; k++)
		fifo_setup(m, (enum chk_fifo_kind)k);
	if (!N.sub)
		N.sub = chk_api_subscribe(CHK_EVT_MASK(CHK_EVT_RS_STATE) |
					  CHK_EVT_MASK(CHK_EVT_QUORUM), notify_evt, NULL);
}

void chk_notify_stop(void)
{
	if (N.sub)
		chk_api_unsubscribe(N.sub);
	N.sub = 0;
	for (unsigned k = 0; k < CHK_FIFO__COUNT; k++)
		fifo_close(&N.f[k]);
}
