// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checker core: when each checker runs, and what its results mean.
 *
 * A checker starts up, or down with alpha. Its first attempt comes at a
 * random time within warmup (scattering thousands of checks), then one
 * every delay_loop. A failed attempt of an up checker is retried `retry`
 * times, delay_before_retry apart; only when the last retry fails too does
 * the checker go down. A down checker is tried every delay_loop and goes
 * up at its first success. Transitions go to vs.c, which decides the real
 * server's state; failures that cause no transition are logged under the
 * "check" debug category, or at info level with log_all_failures.
 *
 * Also here: the result names, address labels, the non-blocking socket
 * every network checker starts from, and script running.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "alived/cfg_global.h"
#include "alived/log.h"
#include "alived/spawn.h"
#include "alived/xalloc.h"
#include "check/chk.h"

static const char *const chk_result_names[] = {
	[CHK_NONE] = "not checked",
	[CHK_OK] = "ok",
	[CHK_CONNECT_TIMEOUT] = "connect timeout",
	[CHK_CONNECT_REFUSED] = "connection refused",
	[CHK_CONNECT_FAILED] = "connect failed",
	[CHK_SOCKET_ERROR] = "socket error",
	[CHK_TLS_FAILED] = "TLS handshake failed",
	[CHK_TLS_TIMEOUT] = "TLS handshake timeout",
	[CHK_SEND_FAILED] = "send failed",
	[CHK_READ_TIMEOUT] = "read timeout",
	[CHK_READ_FAILED] = "read failed",
	[CHK_HTTP_MALFORMED] = "malformed HTTP response",
	[CHK_HTTP_STATUS] = "unexpected HTTP status",
	[CHK_HTTP_DIGEST] = "digest mismatch",
	[CHK_HTTP_REGEX] = "regex mismatch",
	[CHK_SCRIPT_FAILED] = "script failed",
	[CHK_SCRIPT_TIMEOUT] = "script timeout",
	[CHK_SCRIPT_ERROR] = "script error",
	[CHK_SMTP_REPLY] = "unexpected SMTP reply",
	[CHK_DNS_REPLY] = "bad DNS reply",
	[CHK_UDP_REPLY] = "bad UDP reply",
	[CHK_UNREACHABLE] = "unreachable",
	[CHK_UNSUPPORTED] = "not supported",
};
_Static_assert(ARRAY_SIZE(chk_result_names) == CHK_RESULT__COUNT, "chk_result_names");

const char *chk_result_name(enum chk_result r)
{
	return (unsigned)r < CHK_RESULT__COUNT ? chk_result_names[r] : "?";
}

struct ev_loop *chk_loop(const struct chk *c)
{
	return c->rs->vs->m->loop;
}

/* ---- labels ---- */

const char *chk_addr_label(const struct cfg_addr *a, uint16_t port, char *buf, size_t len)
{
	char ab[CFG_ADDRSTRLEN];
	struct cfg_addr plain = *a;

	plain.has_prefix = false;
	cfg_addr_fmt(&plain, ab, sizeof(ab));
	snprintf(buf, len, "[%s]:%u", ab, (unsigned)port);
	return buf;
}

const char *chk_vs_label(const struct chk_vs *vs, char *buf, size_t len)
{
	const struct cfg_vs *v = vs->cfg;

	switch (v->kind) {
	case CFG_VS_FWMARK:
		snprintf(buf, len, "fwmark %" PRIu32, v->fwmark);
		break;
	case CFG_VS_GROUP:
		snprintf(buf, len, "group %s", v->group ? v->group : "?");
		break;
	default:
		chk_addr_label(&v->addr, v->port, buf, len);
		break;
	}
	return buf;
}

const char *chk_rs_label(const struct chk_rs *rs, char *buf, size_t len)
{
	char a[CHK_LABEL_MAX / 2], v[CHK_LABEL_MAX / 2];

	chk_addr_label(&rs->cfg->addr, rs->cfg->eff_port, a, sizeof(a));
	chk_vs_label(rs->vs, v, sizeof(v));
	snprintf(buf, len, "%s in VS %s", a, v);
	return buf;
}

/* ---- scheduling ---- */

uint64_t chk_random_us(struct chk_model *m, uint64_t max_us)
{
	uint64_t x = m->rng;

	if (!max_us)
		return 0;
	/* xorshift64: scattering checks needs no better */
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	m->rng = x;
	return max_us == UINT64_MAX ? x : x % (max_us + 1);
}

void chk_init(struct chk *c, struct chk_rs *rs, const struct cfg_checker *cfg,
	      const struct chk_ops *ops)
{
	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->rs = rs;
	c->ops = ops;
	/* alpha: down until a first success; a type we do not run always passes */
	c->up = !ops || !cfg->eff.alpha;
	c->last = ops ? CHK_NONE : CHK_UNSUPPORTED;
}

static void chk_timer_cb(void *ud)
{
	struct chk *c = ud;

	c->timer = 0;
	if (c->rs->vs->m->stopping || !c->ops || c->rs->vs->suspended)
		return;
	if (c->run) {
		c->ops->abort(c);
		c->run = NULL;
	}
	c->ops->start(c);
}

void chk_schedule(struct chk *c, uint64_t delay_us)
{
	if (!c->ops)
		return;
	if (c->timer)
		ev_timer_cancel(chk_loop(c), c->timer);
	c->timer = ev_timer_add(chk_loop(c), delay_us, chk_timer_cb, c);
}

void chk_cancel(struct chk *c)
{
	if (c->timer) {
		ev_timer_cancel(chk_loop(c), c->timer);
		c->timer = 0;
	}
	if (c->run && c->ops) {
		c->ops->abort(c);
		c->run = NULL;
	}
}

static bool chk_log_failures(const struct chk *c)
{
	const struct cfg_global *g = c->rs->vs->m->root->global;

	return c->cfg->log_all_failures || (g && g->checker_log_all_failures);
}

/* "HTTP_GET" or "HTTP_GET to [10.0.0.9]:8080" when it checks elsewhere. */
static const char *chk_name(const struct chk *c, char *buf, size_t len)
{
	const struct cfg_rs *rs = c->rs->cfg;
	const struct cfg_checker *k = c->cfg;
	char a[CHK_LABEL_MAX / 2];

	if (k->eff_connect_port && (k->eff_connect_port != rs->eff_port ||
				    !cfg_addr_equal(&k->eff_connect_ip, &rs->addr)))
		snprintf(buf, len, "%s to %s", cfg_chk_type_name(k->type),
			 chk_addr_label(&k->eff_connect_ip, k->eff_connect_port, a, sizeof(a)));
	else
		snprintf(buf, len, "%s", cfg_chk_type_name(k->type));
	return buf;
}

void chk_done(struct chk *c, enum chk_result res, const char *detail)
{
	const struct cfg_chk_timing *t = &c->cfg->eff;
	char label[CHK_LABEL_MAX], name[CHK_LABEL_MAX], why[CHK_DETAIL_MAX + CHK_LABEL_MAX];

	c->n_checks++;
	c->last = (uint8_t)res;
	c->rs->last = (uint8_t)res;
	c->rs->last_type = (uint8_t)c->cfg->type;
	if (c->rs->vs->m->stopping)
		return;
	if (!detail)
		detail = chk_result_name(res);
	if (res == CHK_OK) {
		/* the common case, 5,000 times a second in bench/checkers: no text */
		c->tries = 0;
		c->step = 0;
		chk_schedule(c, t->delay_loop_us);
		if (!c->up) {
			c->up = true;
			snprintf(why, sizeof(why), "%s: ok", chk_name(c, name, sizeof(name)));
			chk_vs_checker_changed(c, res, why);
		}
		return;
	}
	chk_name(c, name, sizeof(name));
	c->n_failed++;
	chk_rs_label(c->rs, label, sizeof(label));
	if (c->up && c->tries < t->retry) {
		c->tries++;
		chk_schedule(c, t->delay_before_retry_us);
		if (chk_log_failures(c))
			log_info("%s: %s failed (%s); retry %" PRIu32 " of %" PRIu32 " in %.3f s",
				 label, name, detail, c->tries, t->retry,
				 (double)t->delay_before_retry_us / 1e6);
		else
			log_debug(LOG_CAT_CHECK, "%s: %s failed (%s); retry %" PRIu32 " of %"
				  PRIu32 " in %.3f s", label, name, detail, c->tries, t->retry,
				  (double)t->delay_before_retry_us / 1e6);
		return;
	}
	c->tries = 0;
	c->step = 0;
	chk_schedule(c, t->delay_loop_us);
	snprintf(why, sizeof(why), "%s: %s", name, detail);
	if (c->up) {
		c->up = false;
		chk_vs_checker_changed(c, res, why);
	} else {
		log_debug(LOG_CAT_CHECK, "%s: still down (%s)", label, why);
	}
}

void chk_step_ok(struct chk *c)
{
	const struct cfg_checker *k = c->cfg;
	bool fast = (k->type == CFG_CHK_HTTP || k->type == CFG_CHK_SSL) && k->u.http.fast_recovery;

	c->n_checks++;
	c->last = CHK_OK;
	c->tries = 0;
	c->step++;
	if (c->rs->vs->m->stopping)
		return;
	/* RS down and no fast_recovery: one URL per delay_loop */
	chk_schedule(c, c->up || fast ? 0 : k->eff.delay_loop_us);
}

/* ---- sockets ---- */

static int chk_sockaddr(const struct cfg_addr *a, uint16_t port, unsigned ifindex,
			struct sockaddr_storage *ss, socklen_t *ret_len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr = a->u.v4;
		*ret_len = sizeof(*s4);
	} else if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = a->u.v6;
		if (IN6_IS_ADDR_LINKLOCAL(&a->u.v6))
			s6->sin6_scope_id = ifindex;
		*ret_len = sizeof(*s6);
	} else {
		return -EAFNOSUPPORT;
	}
	return 0;
}

int chk_sock_connect_to(const struct cfg_chk_conn *cn, const struct cfg_addr *dst, uint16_t port,
			int type, int protocol, int *ret_fd)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	unsigned ifindex = 0;
	int fd, r, on = 1;

	fd = socket(dst->family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		return -errno;
	if (cn->fwmark && setsockopt(fd, SOL_SOCKET, SO_MARK, &cn->fwmark, sizeof(cn->fwmark)) < 0)
		goto fail;
	if (cn->bind_if) {
		ifindex = if_nametoindex(cn->bind_if);
		if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, cn->bind_if,
			       (socklen_t)strlen(cn->bind_if) + 1) < 0)
			goto fail;
	}
	if (cn->bindto.family != AF_UNSPEC || cn->bind_port) {
		struct cfg_addr any = { .family = dst->family };
		const struct cfg_addr *src = cn->bindto.family != AF_UNSPEC ? &cn->bindto : &any;

		if (cn->bind_port)
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		r = chk_sockaddr(src, cn->bind_port, ifindex, &ss, &sl);
		if (r < 0) {
			close(fd);
			return r;
		}
		if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
			goto fail;
	}
	r = chk_sockaddr(dst, port, ifindex, &ss, &sl);
	if (r < 0) {
		close(fd);
		return r;
	}
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)
		goto fail;
	*ret_fd = fd;
	return 0;
fail:
	r = -errno;
	close(fd);
	return r;
}

int chk_sock_connect(const struct chk *c, int type, int protocol, int *ret_fd)
{
	return chk_sock_connect_to(&c->cfg->conn, &c->cfg->eff_connect_ip,
				   c->cfg->eff_connect_port, type, protocol, ret_fd);
}

int chk_sock_error(int fd)
{
	int err = 0;
	socklen_t l = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0)
		return -errno;
	return -err;
}

enum chk_result chk_connect_result(int err)
{
	switch (err < 0 ? -err : err) {
	case ECONNREFUSED:
		return CHK_CONNECT_REFUSED;
	case ETIMEDOUT:
		return CHK_CONNECT_TIMEOUT;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case ECONNRESET:
	case ECONNABORTED:
	case EHOSTDOWN:
	case ENETDOWN:
	case EPIPE:
		return CHK_CONNECT_FAILED;
	default:
		return CHK_SOCKET_ERROR;
	}
}

/* ---- scripts ---- */

/* A live NSS lookup: only at load, or for a pair the load did not see. */
static int ids_lookup(const struct cfg_global *g, const char *user, const char *group,
		      struct chk_ids *ret)
{
	struct passwd *pw = NULL;
	struct group *gr;

	memset(ret, 0, sizeof(*ret));
	if (!user && g && g->script_user) {
		user = g->script_user;
		if (!group)
			group = g->script_group;
	}
	if (!user && geteuid() == 0)
		pw = getpwnam("keepalived_script");
	if (!user && !pw)
		return 0;
	if (!pw)
		pw = getpwnam(user);
	if (!pw) {
		ret->err = -ENOENT;
		return 0;
	}
	ret->uid = pw->pw_uid;
	ret->gid = pw->pw_gid;
	if (group) {
		gr = getgrnam(group);
		if (!gr) {
			ret->err = -ENOENT;
			return 0;
		}
		ret->gid = gr->gr_gid;
	}
	ret->set = true;
	return 0;
}

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static const struct chk_ids *ids_find(const struct chk_model *m, const char *user,
				      const char *group)
{
	for (uint32_t i = 0; i < m->n_ids; i++)
		if (str_same(m->ids[i].user, user) && str_same(m->ids[i].group, group))
			return &m->ids[i];
	return NULL;
}

static const struct chk_ids *ids_add(struct chk_model *m, const char *user, const char *group)
{
	const struct chk_ids *have = ids_find(m, user, group);
	struct chk_ids *e;

	if (have)
		return have;
	m->ids = xreallocarray(m->ids, m->n_ids + 1, sizeof(*m->ids));
	e = &m->ids[m->n_ids++];
	ids_lookup(m->root->global, user, group, e);
	e->user = user;
	e->group = group;
	return e;
}

int chk_script_ids(const struct chk_model *m, const char *user, const char *group,
		   uid_t *ret_uid, gid_t *ret_gid, bool *ret_set)
{
	const struct chk_ids *e = ids_find(m, user, group);
	struct chk_ids live;

	if (!e) {
		ids_lookup(m->root->global, user, group, &live);
		e = &live;
	}
	if (e->err)
		return e->err;
	if (e->set) {
		*ret_uid = e->uid;
		*ret_gid = e->gid;
	}
	*ret_set = e->set;
	return 0;
}

/* ---- script security ---- */

/* Someone other than root may change what this file or directory holds. */
static bool sec_writable(const struct stat *st)
{
	bool sticky = S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX);

	if (st->st_uid != 0 && (st->st_mode & S_IWUSR))
		return true;
	if (sticky)
		return false;	/* /tmp: others cannot replace root's entries */
	return (st->st_gid != 0 && (st->st_mode & S_IWGRP)) || (st->st_mode & S_IWOTH);
}

/* The program of cmd, as spawn would find it (PATH for a bare name); NULL. */
static char *sec_program(const char *cmd)
{
	const char *path = getenv("PATH");
	char **words = NULL, *found = NULL;

	if (spawn_split(cmd, &words) < 0)
		return NULL;
	if (strchr(words[0], '/')) {
		found = realpath(words[0], NULL);
	} else {
		char *dirs = xstrdup(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin"), *save = NULL;

		for (char *d = strtok_r(dirs, ":", &save); d && !found;
		     d = strtok_r(NULL, ":", &save)) {
			char *p = xasprintf("%s/%s", d, words[0]);

			if (access(p, X_OK) == 0)
				found = realpath(p, NULL);
			free(p);
		}
		free(dirs);
	}
	spawn_argv_free(words);
	return found;
}

/* The first of the program and its directories up to / that others may
 * write, or NULL. */
static char *sec_check(const char *cmd)
{
	char *prog = sec_program(cmd), *bad = NULL, *slash;
	struct stat st;

	if (!prog)
		return NULL;	/* not there (yet): spawning it will say so */
	for (;;) {
		if (stat(prog, &st) == 0 && sec_writable(&st)) {
			bad = xstrdup(prog);
			break;
		}
		slash = strrchr(prog, '/');
		if (!slash || strcmp(prog, "/") == 0)
			break;
		if (slash == prog)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	free(prog);
	return bad;
}

static void sec_script(struct chk_model *m, const char *what, const char *cmd, const char *user,
		       const char *group)
{
	const struct cfg_global *g = m->root->global;
	const struct chk_ids *ids = ids_add(m, user, group);
	bool root = ids->set ? ids->uid == 0 : geteuid() == 0;
	char *bad;

	if (!cmd || !root)
		return;
	for (uint32_t i = 0; i < m->n_refused; i++)
		if (strcmp(m->refused[i], cmd) == 0)
			return;
	bad = sec_check(cmd);
	if (!bad)
		return;
	if (g && g->enable_script_security) {
		log_err("%s '%s': %s is writable by users other than root; not run "
			"(enable_script_security)", what, cmd, bad);
		m->refused = xreallocarray(m->refused, m->n_refused + 1, sizeof(*m->refused));
		m->refused[m->n_refused++] = cmd;
	} else {
		log_warn("%s '%s': runs as root, and %s is writable by users other than root "
			 "(enable_script_security would refuse it)", what, cmd, bad);
	}
	free(bad);
}

static void sec_cfg_script(struct chk_model *m, const char *what, const struct cfg_script *s)
{
	if (s->cmd)
		sec_script(m, what, s->cmd, s->user, s->group);
}

void chk_scripts_prepare(struct chk_model *m)
{
	const struct cfg_global *g = m->root->global;

	ids_add(m, NULL, NULL);
	for (uint32_t v = 0; v < m->n_vs; v++) {
		const struct chk_vs *vs = &m->vs[v];

		sec_cfg_script(m, "quorum_up", &vs->cfg->quorum_up);
		sec_cfg_script(m, "quorum_down", &vs->cfg->quorum_down);
		for (uint32_t r = 0; r < vs->n_rs; r++) {
			const struct chk_rs *rs = &vs->rs[r];

			sec_cfg_script(m, "notify_up", &rs->cfg->notify_up);
			sec_cfg_script(m, "notify_down", &rs->cfg->notify_down);
			for (unsigned k = 0; k < rs->n_chk; k++) {
				const struct cfg_checker *c = rs->chk[k].cfg;

				if (c->type == CFG_CHK_MISC)
					sec_script(m, "misc_path", c->u.misc.path, c->u.misc.user,
						   c->u.misc.group);
			}
		}
	}
	if (!g)
		return;
	if (g->notify_fifo.path)
		ids_add(m, g->notify_fifo.user, g->notify_fifo.group);
	if (g->lvs_notify_fifo.path)
		ids_add(m, g->lvs_notify_fifo.user, g->lvs_notify_fifo.group);
	if (g->notify_fifo_script.path)
		sec_script(m, "notify_fifo_script", g->notify_fifo_script.path,
			   g->notify_fifo_script.user, g->notify_fifo_script.group);
	if (g->lvs_notify_fifo_script.path)
		sec_script(m, "lvs_notify_fifo_script", g->lvs_notify_fifo_script.path,
			   g->lvs_notify_fifo_script.user, g->lvs_notify_fifo_script.group);
}

void chk_scripts_release(struct chk_model *m)
{
	free(m->ids);
	free(m->refused);
	m->ids = NULL;
	m->refused = NULL;
	m->n_ids = m->n_refused = 0;
}

bool chk_script_allowed(const struct chk_model *m, const char *cmd)
{
	for (uint32_t i = 0; cmd && i < m->n_refused; i++)
		if (strcmp(m->refused[i], cmd) == 0)
			return false;
	return true;
}

static void chk_script_done(pid_t pid, int wstatus, bool timed_out, void *ud)
{
	char *what = ud;

	(void)pid;
	(void)timed_out;
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0)
		log_warn("%s: exited with status %d", what, WEXITSTATUS(wstatus));
	else if (WIFSIGNALED(wstatus))
		log_warn("%s: killed by signal %d", what, WTERMSIG(wstatus));
	free(what);
}

int chk_script_run(struct chk_model *m, const struct cfg_script *s, const char *what)
{
	struct spawn_opts o = { .cmdline = s->cmd };
	char *w;
	int r;

	if (!s->cmd)
		return 0;
	r = chk_script_ids(m, s->user, s->group, &o.uid, &o.gid, &o.set_ids);
	if (r < 0)
		return log_err_errno(r, "%s: '%s': unknown user or group %s%s%s", what, s->cmd,
				     s->user ? s->user : "", s->group ? ":" : "",
				     s->group ? s->group : "");
	if (!chk_script_allowed(m, s->cmd)) {
		log_err("%s: '%s' not run (enable_script_security)", what, s->cmd);
		return -EPERM;
	}
	w = xasprintf("%s: '%s'", what, s->cmd);
	o.ud_free = free;
	r = spawn_run(m->loop, &o, chk_script_done, w, NULL);
	if (r < 0) {
		log_err_errno(r, "%s: cannot run", w);
		free(w);
		return r;
	}
	log_debug(LOG_CAT_CHECK, "%s: started", w);
	return 0;
}

static void chk_detached_done(pid_t pid, int wstatus, bool timed_out, void *ud)
{
	(void)pid;
	(void)wstatus;
	(void)timed_out;
	ev_break(ud, 0);
}

/*
 * For the last scripts of a process (omega at shutdown): our loop ends
 * right after, so the script is watched by an intermediate child with a
 * loop of its own, which exits when the script has. Never returns in the
 * intermediate child.
 */
int chk_script_run_detached(struct chk_model *m, const struct cfg_script *s, const char *what)
{
	struct spawn_opts o = { .cmdline = s->cmd };
	struct ev_loop *l;
	pid_t pid;
	int r;

	if (!s->cmd)
		return 0;
	r = chk_script_ids(m, s->user, s->group, &o.uid, &o.gid, &o.set_ids);
	if (r < 0)
		return log_err_errno(r, "%s: '%s': unknown user or group", what, s->cmd);
	if (!chk_script_allowed(m, s->cmd))
		return log_err_errno(EPERM, "%s: '%s' not run (enable_script_security)", what,
				     s->cmd);
	pid = fork();
	if (pid < 0)
		return log_err_errno(errno, "%s: cannot fork", what);
	if (pid > 0)
		return 0;	/* our loop reaps it, or init does */
	l = ev_loop_new();
	if (!l)
		_exit(1);
	r = spawn_run(l, &o, chk_detached_done, l, NULL);
	if (r < 0) {
		log_err_errno(r, "%s: '%s': cannot run", what, s->cmd);
		_exit(1);
	}
	ev_run(l);
	_exit(0);	/* no atexit handlers: they belong to the parent */
}
