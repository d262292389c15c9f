// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TCP_CHECK: the real server passes when a TCP connection to it completes
 * within connect_timeout. One step: connect (non-blocking), wait for
 * EV_WRITE or the timer, read SO_ERROR, close.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "alived/log.h"
#include "alived/xalloc.h"
#include "check/chk.h"

struct tcp_run {
	int fd;
	ev_timer_id timer;
};

static void tcp_abort(struct chk *c)
{
	struct tcp_run *t = c->run;

	if (!t)
		return;
	if (t->timer)
		ev_timer_cancel(chk_loop(c), t->timer);
	if (t->fd >= 0) {
		ev_io_del(chk_loop(c), t->fd);
		close(t->fd);
	}
	free(t);
	c->run = NULL;
}

static void tcp_finish(struct chk *c, enum chk_result res, const char *detail)
{
	tcp_abort(c);
	chk_done(c, res, detail);
}

static void tcp_io_cb(int fd, uint32_t events, void *ud)
{
	struct chk *c = ud;
	char detail[CHK_DETAIL_MAX];
	int err = chk_sock_error(fd);

	(void)events;
	if (err == 0) {
		tcp_finish(c, CHK_OK, NULL);
		return;
	}
	snprintf(detail, sizeof(detail), "connect: %s", strerror(-err));
	tcp_finish(c, chk_connect_result(err), detail);
}

static void tcp_timeout_cb(void *ud)
{
	struct chk *c = ud;
	struct tcp_run *t = c->run;
	char detail[CHK_DETAIL_MAX];

	t->timer = 0;
	snprintf(detail, sizeof(detail), "no connection within %.3f s",
		 (double)c->cfg->eff.connect_timeout_us / 1e6);
	tcp_finish(c, CHK_CONNECT_TIMEOUT, detail);
}

static void tcp_start(struct chk *c)
{
	struct tcp_run *t;
	char detail[CHK_DETAIL_MAX];
	int fd = -1, r;

	r = chk_sock_connect(c, SOCK_STREAM, 0, &fd);
	if (r < 0) {
		snprintf(detail, sizeof(detail), "connect: %s", strerror(-r));
		chk_done(c, chk_connect_result(r), detail);
		return;
	}
	t = xcalloc(1, sizeof(*t));
	t->fd = fd;
	c->run = t;
	r = ev_io_add(chk_loop(c), fd, EV_WRITE, tcp_io_cb, c);
	if (r < 0) {
		close(fd);
		t->fd = -1;
		snprintf(detail, sizeof(detail), "event loop: %s", strerror(-r));
		tcp_finish(c, CHK_SOCKET_ERROR, detail);
		return;
	}
	t->timer = ev_timer_add(chk_loop(c), c->cfg->eff.connect_timeout_us, tcp_timeout_cb, c);
}

const struct chk_ops chk_tcp_ops = {
	.name = "TCP_CHECK",
	.start = tcp_start,
	.abort = tcp_abort,
};
