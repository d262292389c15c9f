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
	if (c->rs->vs->m->stopping || !c->ops)
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
	chk_name(c, name, sizeof(name));
	if (res == CHK_OK) {
		c->tries = 0;
		c->step = 0;
		chk_schedule(c, t->delay_loop_us);
		if (!c->up) {
			c->up = true;
			snprintf(why, sizeof(why), "%s: ok", name);
			chk_vs_checker_changed(c, res, why);
		}
		return;
	}
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

int chk_script_ids(const struct chk_model *m, const char *user, const char *group,
		   uid_t *ret_uid, gid_t *ret_gid, bool *ret_set)
{
	const struct cfg_global *g = m->root->global;
	struct passwd *pw = NULL;
	struct group *gr;

	/* NSS lookups: local files in practice; scripts are rare events */
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
	w = xasprintf("%s: '%s'", what, s->cmd);
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
