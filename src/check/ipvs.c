// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPVS client: libnl-genl-3 carries the messages that ipvs_msg.c encodes
 * and decodes. One request at a time, answered before the call returns
 * (see ipvs.h for why that does not block the loop). libnl's own
 * sequence checking and automatic ACK request are kept: every non-dump
 * request ends with the kernel's ACK or error, every dump with DONE.
 * Nothing here logs; callers do.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netlink/netlink.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/socket.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "alived/xalloc.h"
#include "check/ipvs.h"

typedef int (*ipvs_msg_cb)(const struct ipvs_msg *m, void *ud);

struct ipvs_client {
	struct nl_sock *sk;	/* NULL: reconnect before the next request */
	struct nl_cb *cb;
	int family;
	/* the request in flight */
	bool done;
	int kerr;		/* the kernel's -errno, 0 = none */
	int cb_err;		/* first error of on_msg or of decoding */
	ipvs_msg_cb on_msg;
	void *ud;
};

int ipvs_nl_errno(int nle)
{
	switch (nle < 0 ? -nle : nle) {
	case NLE_SUCCESS:
		return 0;
	case NLE_INTR:
		return -EINTR;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_MSGSIZE:
	case NLE_MSG_OVERFLOW:
		return -EMSGSIZE;
	case NLE_OPNOTSUPP:
	case NLE_MSGTYPE_NOSUPPORT:
		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_NOATTR:
	case NLE_MISSING_ATTR:
	case NLE_AF_MISMATCH:
	case NLE_OBJ_MISMATCH:
	case NLE_ATTRSIZE:
		return -EINVAL;
	case NLE_SEQ_MISMATCH:
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_PARSE_ERR:
		return -EPROTO;
	case NLE_NOADDR:
		return -EADDRNOTAVAIL;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_PROTO_MISMATCH:
		return -EPROTONOSUPPORT;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_PERM:
		return -EPERM;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_IMMUTABLE:
		return -EROFS;
	case NLE_DUMP_INTR:
		return -EINTR;
	default:
		return -EIO;
	}
}

/* ---- callbacks ---- */

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct ipvs_client *c = arg;
	struct nlmsghdr *nh = nlmsg_hdr(msg);
	struct ipvs_msg m;
	int r;

	r = ipvs_msg_decode(nh, nh->nlmsg_len, &m, NULL, 0);
	if (r == 0 && c->on_msg)
		r = c->on_msg(&m, c->ud);
	if (r < 0 && !c->cb_err)
		c->cb_err = r;
	return NL_OK;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct ipvs_client *c = arg;

	(void)msg;
	c->done = true;
	return NL_STOP;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct ipvs_client *c = arg;

	(void)nla;
	c->kerr = e->error < 0 ? e->error : -e->error;
	c->done = true;
	return NL_STOP;
}

/* ---- connection ---- */

static void client_disconnect(struct ipvs_client *c)
{
	if (c->sk)
		nl_socket_free(c->sk);
	c->sk = NULL;
}

static int client_connect(struct ipvs_client *c)
{
	struct timeval tv = {
		.tv_sec = IPVS_TIMEOUT_MS / 1000, .tv_usec = (IPVS_TIMEOUT_MS % 1000) * 1000,
	};
	int r;

	c->sk = nl_socket_alloc();
	if (!c->sk)
		return -ENOMEM;
	r = genl_connect(c->sk);
	if (r < 0) {
		r = ipvs_nl_errno(r);
		goto fail;
	}
	if (setsockopt(nl_socket_get_fd(c->sk), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		r = -errno;
		goto fail;
	}
	/* the kernel loads ip_vs on demand (its genl family alias) */
	r = genl_ctrl_resolve(c->sk, IPVS_GENL_NAME);
	if (r < 0) {
		r = r == -NLE_OBJ_NOTFOUND ? -EPROTONOSUPPORT : ipvs_nl_errno(r);
		goto fail;
	}
	c->family = r;
	return 0;
fail:
	client_disconnect(c);
	return r;
}

int ipvs_open(struct ipvs_client **ret_client)
{
	struct ipvs_client *c = xcalloc(1, sizeof(*c));
	int r;

	c->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!c->cb) {
		free(c);
		return -ENOMEM;
	}
	nl_cb_set(c->cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, c);
	nl_cb_set(c->cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, c);
	nl_cb_set(c->cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, c);
	nl_cb_err(c->cb, NL_CB_CUSTOM, on_error, c);
	r = client_connect(c);
	if (r < 0) {
		ipvs_close(c);
		return r;
	}
	*ret_client = c;
	return 0;
}

void ipvs_close(struct ipvs_client *c)
{
	if (!c)
		return;
	client_disconnect(c);
	if (c->cb)
		nl_cb_put(c->cb);
	free(c);
}

int ipvs_family_id(const struct ipvs_client *c)
{
	return c->family;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Sends m and reads the answer; on_msg sees each decoded reply. */
static int request(struct ipvs_client *c, const struct ipvs_msg *m, int flags,
		   ipvs_msg_cb on_msg, void *ud)
{
	uint8_t buf[IPVS_MSG_MAX];
	struct nl_msg *msg = NULL;
	uint64_t deadline;
	int n, r;

	n = ipvs_msg_encode(m, buf, sizeof(buf));
	if (n < 0)
		return n;
	if (!c->sk) {
		r = client_connect(c);
		if (r < 0)
			return r;
	}
	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0, flags, m->cmd,
			 IPVS_GENL_VERSION) ||
	    (n && nlmsg_append(msg, buf, (size_t)n, NLMSG_ALIGNTO) < 0)) {
		r = -ENOMEM;
		goto out;
	}
	c->done = false;
	c->kerr = 0;
	c->cb_err = 0;
	c->on_msg = on_msg;
	c->ud = ud;
	r = nl_send_auto(c->sk, msg);
	if (r < 0) {
		r = ipvs_nl_errno(r);
		client_disconnect(c);
		goto out;
	}
	deadline = now_ms() + IPVS_TIMEOUT_MS;
	while (!c->done) {
		r = nl_recvmsgs(c->sk, c->cb);
		if (c->kerr)
			break;
		if (r < 0) {
			r = ipvs_nl_errno(r);
			client_disconnect(c);
			goto out;
		}
		if (!c->done && now_ms() > deadline) {
			r = -ETIMEDOUT;
			client_disconnect(c);
			goto out;
		}
	}
	r = c->kerr ? c->kerr : c->cb_err;
out:
	c->on_msg = NULL;
	c->ud = NULL;
	nlmsg_free(msg);
	return r;
}

/* ---- requests ---- */

static int info_cb(const struct ipvs_msg *m, void *ud)
{
	if (m->has_info)
		*(struct ipvs_info *)ud = m->info;
	return 0;
}

int ipvs_get_info(struct ipvs_client *c, struct ipvs_info *ret_info)
{
	struct ipvs_msg m = { .cmd = IPVS_CMD_GET_INFO };
	struct ipvs_info info = { 0 };
	int r = request(c, &m, 0, info_cb, &info);

	if (r == 0 && !info.version)
		r = -EPROTO;
	if (r == 0)
		*ret_info = info;
	return r;
}

static int svc_cmd(struct ipvs_client *c, uint8_t cmd, const struct ipvs_service *s)
{
	struct ipvs_msg m = { .cmd = cmd, .has_svc = true, .svc = *s };

	m.svc.has_stats = false;
	return request(c, &m, 0, NULL, NULL);
}

int ipvs_service_add(struct ipvs_client *c, const struct ipvs_service *s)
{
	return svc_cmd(c, IPVS_CMD_NEW_SERVICE, s);
}

int ipvs_service_edit(struct ipvs_client *c, const struct ipvs_service *s)
{
	return svc_cmd(c, IPVS_CMD_SET_SERVICE, s);
}

int ipvs_service_del(struct ipvs_client *c, const struct ipvs_service *key)
{
	return svc_cmd(c, IPVS_CMD_DEL_SERVICE, key);
}

struct svc_one {
	bool found;
	struct ipvs_service svc;
};

static int svc_one_cb(const struct ipvs_msg *m, void *ud)
{
	struct svc_one *o = ud;

	if (m->has_svc && !o->found) {
		o->found = true;
		o->svc = m->svc;
	}
	return 0;
}

int ipvs_service_get(struct ipvs_client *c, const struct ipvs_service *key,
		     struct ipvs_service *ret_svc)
{
	struct ipvs_msg m = { .cmd = IPVS_CMD_GET_SERVICE, .has_svc = true, .svc = *key };
	struct svc_one o = { .found = false };
	int r = request(c, &m, 0, svc_one_cb, &o);

	if (r == -ESRCH || (r == 0 && !o.found))
		r = -ENOENT;
	if (r == 0)
		*ret_svc = o.svc;
	return r;
}

struct svc_vec {
	struct ipvs_service *v;
	size_t n;
};

static int svc_vec_cb(const struct ipvs_msg *m, void *ud)
{
	struct svc_vec *a = ud;

	if (!m->has_svc)
		return 0;
	a->v = xreallocarray(a->v, a->n + 1, sizeof(*a->v));
	a->v[a->n++] = m->svc;
	return 0;
}

int ipvs_service_list(struct ipvs_client *c, struct ipvs_service **ret_v, size_t *ret_n)
{
	struct ipvs_msg m = { .cmd = IPVS_CMD_GET_SERVICE };
	struct svc_vec a = { NULL, 0 };
	int r = request(c, &m, NLM_F_DUMP, svc_vec_cb, &a);

	if (r < 0) {
		free(a.v);
		return r;
	}
	*ret_v = a.v;
	*ret_n = a.n;
	return 0;
}

static int dest_cmd(struct ipvs_client *c, uint8_t cmd, const struct ipvs_service *svc,
		    const struct ipvs_dest *d)
{
	struct ipvs_msg m = {
		.cmd = cmd, .has_svc = true, .svc = *svc, .has_dest = true, .dest = *d,
	};

	m.dest.has_stats = false;
	return request(c, &m, 0, NULL, NULL);
}

int ipvs_dest_add(struct ipvs_client *c, const struct ipvs_service *svc,
		  const struct ipvs_dest *d)
{
	return dest_cmd(c, IPVS_CMD_NEW_DEST, svc, d);
}

int ipvs_dest_edit(struct ipvs_client *c, const struct ipvs_service *svc,
		   const struct ipvs_dest *d)
{
	return dest_cmd(c, IPVS_CMD_SET_DEST, svc, d);
}

int ipvs_dest_del(struct ipvs_client *c, const struct ipvs_service *svc,
		  const struct ipvs_dest *d)
{
	return dest_cmd(c, IPVS_CMD_DEL_DEST, svc, d);
}

struct dest_vec {
	struct ipvs_dest *v;
	size_t n;
};

static int dest_vec_cb(const struct ipvs_msg *m, void *ud)
{
	struct dest_vec *a = ud;

	if (!m->has_dest)
		return 0;
	a->v = xreallocarray(a->v, a->n + 1, sizeof(*a->v));
	a->v[a->n++] = m->dest;
	return 0;
}

int ipvs_dest_list(struct ipvs_client *c, const struct ipvs_service *svc,
		   struct ipvs_dest **ret_v, size_t *ret_n)
{
	struct ipvs_msg m = { .cmd = IPVS_CMD_GET_DEST, .has_svc = true, .svc = *svc };
	struct dest_vec a = { NULL, 0 };
	int r = request(c, &m, NLM_F_DUMP, dest_vec_cb, &a);

	if (r == -ESRCH)
		r = -ENOENT;
	if (r < 0) {
		free(a.v);
		return r;
	}
	*ret_v = a.v;
	*ret_n = a.n;
	return 0;
}

int ipvs_daemon_start(struct ipvs_client *c, const struct ipvs_daemon *d)
{
	struct ipvs_msg m = { .cmd = IPVS_CMD_NEW_DAEMON, .has_daemon = true, .daemon = *d };

	return request(c, &m, 0, NULL, NULL);
}

int ipvs_daemon_stop(struct ipvs_client *c, uint32_t state)
{
	struct ipvs_msg m = { .cmd = IPVS_CMD_DEL_DAEMON, .has_daemon = true };

	m.daemon.state = state;
	return request(c, &m, 0, NULL, NULL);
}

struct daemon_vec {
	struct ipvs_daemon *v;
	size_t n;
};

static int daemon_cb(const struct ipvs_msg *m, void *ud)
{
	struct daemon_vec *a = ud;

	if (m->has_daemon && a->n < 2)
		a->v[a->n++] = m->daemon;
	return 0;
}

int ipvs_daemon_list(struct ipvs_client *c, struct ipvs_daemon ret_v[2], size_t *ret_n)
{
	struct ipvs_msg m = { .cmd = IPVS_CMD_GET_DAEMON };
	struct ipvs_daemon v[2];
	struct daemon_vec a = { v, 0 };
	int r = request(c, &m, NLM_F_DUMP, daemon_cb, &a);

	if (r < 0)
		return r;
	memcpy(ret_v, v, a.n * sizeof(v[0]));
	*ret_n = a.n;
	return 0;
}

int ipvs_set_timeouts(struct ipvs_client *c, const struct ipvs_timeouts *t)
{
	struct ipvs_msg m = { .cmd = IPVS_CMD_SET_CONFIG, .has_timeouts = true, .timeouts = *t };

	return request(c, &m, 0, NULL, NULL);
}

static int timeouts_cb(const struct ipvs_msg *m, void *ud)
{
	if (m->has_timeouts)
		*(struct ipvs_timeouts *)ud = m->timeouts;
	return 0;
}

int ipvs_get_timeouts(struct ipvs_client *c, struct ipvs_timeouts *ret_t)
{
	struct ipvs_msg m = { .cmd = IPVS_CMD_GET_CONFIG };
	struct ipvs_timeouts t = { 0, 0, 0 };
	int r = request(c, &m, 0, timeouts_cb, &t);

	if (r == 0)
		*ret_t = t;
	return r;
}

int ipvs_flush(struct ipvs_client *c)
{
	struct ipvs_msg m = { .cmd = IPVS_CMD_FLUSH };

	return request(c, &m, 0, NULL, NULL);
}
