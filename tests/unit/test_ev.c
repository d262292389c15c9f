// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the event loop (src/lib/ev.c). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <setjmp.h>
#include <cmocka.h>

#include "alived/ev.h"

/* ---- helpers ---- */

struct tclock {
	uint64_t now_us;
};

static uint64_t tclock_now(void *ud)
{
	return ((struct tclock *)ud)->now_us;
}

static struct ev_loop *loop_with_clock(struct tclock *c, uint64_t start_us)
{
	struct ev_loop *loop = ev_loop_new();

	assert_non_null(loop);
	c->now_us = start_us;
	ev_set_clock(loop, tclock_now, c);
	return loop;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	/* xorshift64*: deterministic across runs */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* Records the order in which timers fire. */
struct fired {
	unsigned seq[8192];
	unsigned n;
};

struct trec {
	struct fired *log;
	struct ev_loop *loop;
	ev_timer_id id;
	uint64_t when_us;
	unsigned idx;
	bool cancelled;
	bool fired;
	uint64_t fired_now_us;
};

static void trec_cb(void *ud)
{
	struct trec *t = ud;

	assert_false(t->fired);
	assert_false(t->cancelled);
	t->fired = true;
	t->fired_now_us = ev_now_us(t->loop);
	t->log->seq[t->log->n++] = t->idx;
}

static void trec_arm(struct ev_loop *loop, struct fired *log, struct trec *t, unsigned idx,
		     uint64_t when_us)
{
	memset(t, 0, sizeof(*t));
	t->log = log;
	t->loop = loop;
	t->idx = idx;
	t->when_us = when_us;
	t->id = ev_timer_at(loop, when_us, trec_cb, t);
	assert_true(t->id != 0);
	assert_true(ev_timer_pending(loop, t->id));
}

/* ---- timers ---- */

#define NRAND 3000

static void test_timer_heap_random(void **state)
{
	static struct trec recs[NRAND + 1000];
	static struct fired log;
	struct tclock c;
	struct ev_loop *loop = loop_with_clock(&c, 1000);
	unsigned i, n = NRAND, ncancel = 0;

	(void)state;
	memset(&log, 0, sizeof(log));
	for (i = 0; i < n; i++)
		trec_arm(loop, &log, &recs[i], i, 1000 + rng() % 800);	/* many equal times */
	for (i = 0; i < n; i++) {
		if (rng() % 10 < 3) {
			assert_true(ev_timer_cancel(loop, recs[i].id));
			assert_false(ev_timer_cancel(loop, recs[i].id));
			assert_false(ev_timer_pending(loop, recs[i].id));
			recs[i].cancelled = true;
			ncancel++;
		}
	}
	/* Advance in steps; add and cancel more timers on the way. */
	while (c.now_us < 4000) {
		c.now_us += 1 + rng() % 40;
		if (n < NRAND + 1000 && c.now_us < 3000 && rng() % 2) {
			trec_arm(loop, &log, &recs[n], n, c.now_us + rng() % 300);
			n++;
		}
		i = (unsigned)(rng() % n);
		if (!recs[i].fired && !recs[i].cancelled && rng() % 4 == 0) {
			assert_true(ev_timer_cancel(loop, recs[i].id));
			recs[i].cancelled = true;
			ncancel++;
		}
		assert_true(ev_run_once(loop, 0) >= 0);
		/* Everything due has fired, nothing early. */
		for (i = 0; i < n; i++) {
			if (recs[i].cancelled)
				continue;
			assert_int_equal(recs[i].fired, recs[i].when_us <= c.now_us);
			assert_int_equal(ev_timer_pending(loop, recs[i].id), !recs[i].fired);
		}
	}
	assert_int_equal(log.n, n - ncancel);
	/* Global order: due time, then creation. */
	for (i = 1; i < log.n; i++) {
		const struct trec *a = &recs[log.seq[i - 1]], *b = &recs[log.seq[i]];

		assert_true(a->when_us < b->when_us ||
			    (a->when_us == b->when_us && a->id < b->id));
	}
	for (i = 0; i < n; i++)
		if (recs[i].fired)
			assert_true(recs[i].fired_now_us >= recs[i].when_us);
	ev_loop_free(loop);
}

static void test_timer_same_time_order(void **state)
{
	static struct trec recs[12];
	static struct fired log;
	struct tclock c;
	struct ev_loop *loop = loop_with_clock(&c, 100);
	unsigned i;

	(void)state;
	memset(&log, 0, sizeof(log));
	for (i = 0; i < 10; i++)
		trec_arm(loop, &log, &recs[i], i, 500);
	trec_arm(loop, &log, &recs[10], 10, 400);	/* created last, due first */
	/* Relative timer landing on the same time: after the ten. */
	memset(&recs[11], 0, sizeof(recs[11]));
	recs[11].log = &log;
	recs[11].loop = loop;
	recs[11].idx = 11;
	recs[11].id = ev_timer_add(loop, 400, trec_cb, &recs[11]);
	c.now_us = 499;
	assert_int_equal(ev_run_once(loop, 0), 1);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.seq[0], 10);
	c.now_us = 500;
	assert_int_equal(ev_run_once(loop, 0), 11);
	for (i = 0; i < 10; i++)
		assert_int_equal(log.seq[i + 1], i);
	assert_int_equal(log.seq[11], 11);
	ev_loop_free(loop);
}

struct cancel_ctx {
	struct ev_loop *loop;
	ev_timer_id self, b, c;
	unsigned a_calls, rearm_calls;
	ev_timer_id rearm_id;
};

static void cancel_a_cb(void *ud)
{
	struct cancel_ctx *x = ud;

	x->a_calls++;
	assert_false(ev_timer_cancel(x->loop, x->self));	/* already fired */
	assert_false(ev_timer_pending(x->loop, x->self));
	assert_true(ev_timer_cancel(x->loop, x->b));		/* due in this same round */
	assert_true(ev_timer_cancel(x->loop, x->c));
	assert_false(ev_timer_cancel(x->loop, 0));
	assert_false(ev_timer_cancel(x->loop, 0xdeadbeefULL));
}

static void never_cb(void *ud)
{
	(void)ud;
	fail_msg("cancelled timer fired");
}

static void rearm_cb(void *ud)
{
	struct cancel_ctx *x = ud;

	x->rearm_calls++;
	if (x->rearm_calls < 5)
		x->rearm_id = ev_timer_add(x->loop, 0, rearm_cb, x);
}

static void test_timer_cancel_from_cb(void **state)
{
	struct tclock c;
	struct ev_loop *loop = loop_with_clock(&c, 0);
	struct cancel_ctx x = { .loop = loop };
	unsigned i;

	(void)state;
	x.self = ev_timer_at(loop, 10, cancel_a_cb, &x);
	x.b = ev_timer_at(loop, 10, never_cb, NULL);
	x.c = ev_timer_at(loop, 20, never_cb, NULL);
	c.now_us = 30;
	assert_int_equal(ev_run_once(loop, 0), 1);
	assert_int_equal(x.a_calls, 1);
	assert_false(ev_timer_pending(loop, x.b));
	assert_false(ev_timer_pending(loop, x.c));

	/* A timer re-arming itself with delay 0 fires once per iteration. */
	x.rearm_id = ev_timer_add(loop, 0, rearm_cb, &x);
	for (i = 1; i <= 5; i++) {
		assert_int_equal(ev_run_once(loop, 0), 1);
		assert_int_equal(x.rearm_calls, i);
	}
	assert_int_equal(ev_run_once(loop, 0), 0);
	ev_loop_free(loop);
}

static void test_timer_test_clock(void **state)
{
	struct tclock c;
	struct ev_loop *loop = loop_with_clock(&c, 1000);
	static struct trec rec;
	static struct fired log;
	uint64_t when = 0;

	(void)state;
	assert_int_equal(ev_now_us(loop), 1000);
	memset(&log, 0, sizeof(log));
	memset(&rec, 0, sizeof(rec));
	rec.log = &log;
	rec.loop = loop;
	rec.id = ev_timer_add(loop, 100, trec_cb, &rec);
	assert_int_equal(ev_timer_when(loop, rec.id, &when), 0);
	assert_int_equal(when, 1100);
	assert_int_equal(ev_timer_when(loop, 12345, &when), -ENOENT);
	c.now_us = 1099;
	assert_int_equal(ev_run_once(loop, 0), 0);
	assert_int_equal(ev_now_us(loop), 1099);
	assert_false(rec.fired);
	c.now_us = 1100;
	assert_int_equal(ev_run_once(loop, 0), 1);
	assert_true(rec.fired);
	assert_int_equal(rec.fired_now_us, 1100);
	c.now_us = 5000;
	ev_now_update(loop);
	assert_int_equal(ev_now_us(loop), 5000);
	/* Back to the real clock. */
	ev_set_clock(loop, NULL, NULL);
	assert_true(ev_now_us(loop) > 0);
	assert_true(ev_now_us(loop) <= ev_time_us());
	ev_loop_free(loop);
}

static void test_timer_free_pending(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	unsigned i;

	(void)state;
	assert_non_null(loop);
	for (i = 0; i < 500; i++)
		assert_true(ev_timer_add(loop, 1000000 + i, never_cb, NULL) != 0);
	assert_int_equal(ev_timer_at(loop, 1, NULL, NULL), 0);
	ev_loop_free(loop);	/* ASan: nothing leaks */
	ev_loop_free(NULL);
}

/* ---- fds ---- */

struct io_rec {
	unsigned calls;
	uint32_t events;
	int fd;
};

static void io_rec_cb(int fd, uint32_t events, void *ud)
{
	struct io_rec *r = ud;

	r->calls++;
	r->events = events;
	r->fd = fd;
}

static void test_io_pipe(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct io_rec rd = { 0 }, wr = { 0 };
	int p[2], fd;
	char ch = 'x';

	(void)state;
	assert_non_null(loop);
	assert_int_equal(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	assert_int_equal(ev_io_add(loop, p[0], EV_READ, io_rec_cb, &rd), 0);
	assert_int_equal(ev_io_add(loop, p[0], EV_READ, io_rec_cb, &rd), -EEXIST);
	assert_int_equal(ev_io_add(loop, p[1], 4u, io_rec_cb, &wr), -EINVAL);
	assert_int_equal(ev_io_add(loop, -1, EV_READ, io_rec_cb, &wr), -EINVAL);
	assert_int_equal(ev_io_add(loop, p[1], EV_READ, NULL, &wr), -EINVAL);
	assert_int_equal(ev_io_mod(loop, 1000, EV_READ), -ENOENT);
	assert_int_equal(ev_io_del(loop, 1000), -ENOENT);

	assert_int_equal(ev_run_once(loop, 0), 0);
	assert_int_equal(rd.calls, 0);
	assert_int_equal(write(p[1], &ch, 1), 1);
	assert_int_equal(ev_run_once(loop, 0), 1);
	assert_int_equal(rd.calls, 1);
	assert_int_equal(rd.events, EV_READ);
	assert_int_equal(rd.fd, p[0]);
	/* Paused: still readable, not reported. */
	assert_int_equal(ev_io_mod(loop, p[0], 0), 0);
	assert_int_equal(ev_run_once(loop, 0), 0);
	assert_int_equal(ev_io_mod(loop, p[0], EV_READ), 0);
	assert_int_equal(ev_run_once(loop, 0), 1);
	assert_int_equal(rd.calls, 2);

	assert_int_equal(ev_io_add(loop, p[1], EV_WRITE, io_rec_cb, &wr), 0);
	assert_int_equal(ev_run_once(loop, 0), 2);
	assert_int_equal(wr.events, EV_WRITE);

	/* Writer gone: the reader sees HUP as READ | WRITE. */
	assert_int_equal(ev_io_del(loop, p[1]), 0);
	close(p[1]);
	rd.calls = 0;
	assert_int_equal(ev_run_once(loop, 0), 1);
	assert_int_equal(rd.calls, 1);
	assert_int_equal(rd.events, EV_READ | EV_WRITE);
	assert_int_equal(ev_io_del(loop, p[0]), 0);
	assert_int_equal(ev_io_del(loop, p[0]), -ENOENT);
	close(p[0]);

	/* epoll refuses regular files. */
	fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(ev_io_add(loop, fd, EV_READ, io_rec_cb, &rd), -EPERM);
	close(fd);
	ev_loop_free(loop);
}

/* Two readable pipes; whichever callback runs first removes the other. */
struct del_ctx {
	struct ev_loop *loop;
	int rfd[2], wfd[2];
	unsigned calls[2];
	int new_r, new_w;
	unsigned new_calls;
};

static void del_new_cb(int fd, uint32_t events, void *ud)
{
	struct del_ctx *x = ud;

	(void)fd;
	(void)events;
	x->new_calls++;
}

static void del_cb(int fd, uint32_t events, void *ud)
{
	struct del_ctx *x = ud;
	int me = fd == x->rfd[0] ? 0 : 1, other = !me;
	int p[2];
	char ch = 'y';

	assert_true(events & EV_READ);
	x->calls[me]++;
	assert_int_equal(ev_io_del(x->loop, x->rfd[other]), 0);
	close(x->rfd[other]);
	/* The number is free again: a new readable pipe takes it. */
	assert_int_equal(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	if (p[0] != x->rfd[other]) {
		assert_int_equal(dup3(p[0], x->rfd[other], O_CLOEXEC), x->rfd[other]);
		close(p[0]);
		p[0] = x->rfd[other];
	}
	assert_int_equal(write(p[1], &ch, 1), 1);
	assert_int_equal(ev_io_add(x->loop, p[0], EV_READ, del_new_cb, x), 0);
	x->new_r = p[0];
	x->new_w = p[1];
	x->rfd[other] = -1;
	/* Also remove myself. */
	assert_int_equal(ev_io_del(x->loop, fd), 0);
}

static void test_io_del_pending(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct del_ctx x = { .loop = loop };
	char ch = 'x';
	int i, p[2];

	(void)state;
	assert_non_null(loop);
	for (i = 0; i < 2; i++) {
		assert_int_equal(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
		x.rfd[i] = p[0];
		x.wfd[i] = p[1];
		assert_int_equal(write(p[1], &ch, 1), 1);
		assert_int_equal(ev_io_add(loop, p[0], EV_READ, del_cb, &x), 0);
	}
	/* Both events are in this batch: exactly one callback runs. */
	assert_int_equal(ev_run_once(loop, 0), 1);
	assert_int_equal(x.calls[0] + x.calls[1], 1);
	assert_int_equal(x.new_calls, 0);
	/* The new registration on the reused number works. */
	assert_int_equal(ev_run_once(loop, 0), 1);
	assert_int_equal(x.new_calls, 1);
	assert_int_equal(x.calls[0] + x.calls[1], 1);

	ev_io_del(loop, x.new_r);
	close(x.new_r);
	close(x.new_w);
	for (i = 0; i < 2; i++) {
		if (x.rfd[i] >= 0)
			close(x.rfd[i]);
		close(x.wfd[i]);
	}
	ev_loop_free(loop);
}

/* The first callback pauses the other fd: its collected event is dropped. */
struct mod_ctx {
	struct ev_loop *loop;
	int rfd[2];
	unsigned calls;
};

static void mod_cb(int fd, uint32_t events, void *ud)
{
	struct mod_ctx *x = ud;

	(void)events;
	x->calls++;
	assert_int_equal(ev_io_mod(x->loop, fd == x->rfd[0] ? x->rfd[1] : x->rfd[0], EV_WRITE),
			 0);
	assert_int_equal(ev_io_mod(x->loop, fd, 0), 0);
}

static void test_io_mod_pending(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct mod_ctx x = { .loop = loop };
	int p[2][2], i;
	char ch = 'x';

	(void)state;
	assert_non_null(loop);
	for (i = 0; i < 2; i++) {
		assert_int_equal(pipe2(p[i], O_NONBLOCK | O_CLOEXEC), 0);
		x.rfd[i] = p[i][0];
		assert_int_equal(write(p[i][1], &ch, 1), 1);
		assert_int_equal(ev_io_add(loop, p[i][0], EV_READ, mod_cb, &x), 0);
	}
	assert_int_equal(ev_run_once(loop, 0), 1);
	assert_int_equal(x.calls, 1);
	for (i = 0; i < 2; i++) {
		assert_int_equal(ev_io_del(loop, p[i][0]), 0);
		close(p[i][0]);
		close(p[i][1]);
	}
	ev_loop_free(loop);
}

/* ---- signals ---- */

struct sig_rec {
	unsigned calls;
	int signo;
};

static void sig_cb(int signo, void *ud)
{
	struct sig_rec *r = ud;

	r->calls++;
	r->signo = signo;
}

static bool sig_blocked(int signo)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, signo) == 1;
}

static void test_signal(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct sig_rec r1 = { 0 }, r2 = { 0 };

	(void)state;
	assert_non_null(loop);
	assert_false(sig_blocked(SIGUSR1));
	assert_true(sig_blocked(SIGCHLD));	/* the loop owns SIGCHLD */
	assert_int_equal(ev_signal_add(loop, SIGUSR1, sig_cb, &r1), 0);
	assert_int_equal(ev_signal_add(loop, SIGUSR1, sig_cb, &r1), -EEXIST);
	assert_int_equal(ev_signal_add(loop, SIGKILL, sig_cb, &r1), -EINVAL);
	assert_int_equal(ev_signal_add(loop, 0, sig_cb, &r1), -EINVAL);
	assert_int_equal(ev_signal_add(loop, SIGUSR2, sig_cb, &r2), 0);
	assert_true(sig_blocked(SIGUSR1));

	assert_int_equal(raise(SIGUSR1), 0);
	assert_int_equal(ev_run_once(loop, 1000000), 1);
	assert_int_equal(r1.calls, 1);
	assert_int_equal(r1.signo, SIGUSR1);
	assert_int_equal(r2.calls, 0);

	assert_int_equal(raise(SIGUSR2), 0);
	assert_int_equal(raise(SIGUSR1), 0);
	assert_int_equal(ev_run_once(loop, 1000000), 2);
	assert_int_equal(r1.calls, 2);
	assert_int_equal(r2.calls, 1);
	assert_int_equal(r2.signo, SIGUSR2);

	/* A pending signal is discarded on del, not delivered with its default action. */
	assert_int_equal(raise(SIGUSR2), 0);
	assert_int_equal(ev_signal_del(loop, SIGUSR2), 0);
	assert_int_equal(ev_signal_del(loop, SIGUSR2), -ENOENT);
	assert_false(sig_blocked(SIGUSR2));
	assert_int_equal(ev_run_once(loop, 0), 0);
	assert_int_equal(r2.calls, 1);

	ev_loop_free(loop);	/* also drops SIGUSR1 */
	assert_false(sig_blocked(SIGUSR1));
	assert_false(sig_blocked(SIGCHLD));
}

/* ---- children ---- */

struct child_rec {
	struct ev_loop *loop;
	unsigned calls;
	pid_t pid;
	int wstatus;
};

static void child_cb(pid_t pid, int wstatus, void *ud)
{
	struct child_rec *r = ud;

	r->calls++;
	r->pid = pid;
	r->wstatus = wstatus;
	ev_break(r->loop, 0);
}

static void timeout_fail_cb(void *ud)
{
	struct ev_loop *loop = ud;

	ev_break(loop, -ETIMEDOUT);
}

static pid_t fork_exit(int code)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(code);
	return pid;
}

/* Waits (without reaping) until pid is a zombie. */
static void wait_zombie(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	assert_int_equal(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
	assert_int_equal(si.si_pid, pid);
}

static bool reaped(pid_t pid)
{
	return waitpid(pid, NULL, WNOHANG) < 0 && errno == ECHILD;
}

static void test_child(void **state)
{
	struct ev_loop *loop;
	struct child_rec r = { 0 };
	pid_t early, silent, pid;
	ev_timer_id guard;

	(void)state;
	/* A child that died before the loop existed is reaped too. */
	early = fork_exit(0);
	wait_zombie(early);
	loop = ev_loop_new();
	assert_non_null(loop);
	r.loop = loop;
	assert_int_equal(ev_run_once(loop, 0), 0);
	assert_true(reaped(early));

	silent = fork_exit(1);
	wait_zombie(silent);
	pid = fork_exit(3);
	assert_int_equal(ev_child_watch(loop, pid, child_cb, &r), 0);
	assert_int_equal(ev_child_watch(loop, pid, child_cb, &r), -EEXIST);
	assert_int_equal(ev_child_watch(loop, 0, child_cb, &r), -EINVAL);
	guard = ev_timer_add(loop, 3000000, timeout_fail_cb, loop);
	assert_int_equal(ev_run(loop), 0);
	assert_true(ev_timer_cancel(loop, guard));
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.pid, pid);
	assert_true(WIFEXITED(r.wstatus));
	assert_int_equal(WEXITSTATUS(r.wstatus), 3);
	/* No zombies: the watched one and the one nobody watched. */
	assert_true(reaped(pid));
	assert_true(reaped(silent));
	/* The watch ended with the child. */
	assert_int_equal(ev_child_unwatch(loop, pid), -ENOENT);

	/* Unwatched: reaped silently, callback not called. */
	pid = fork_exit(4);
	assert_int_equal(ev_child_watch(loop, pid, child_cb, &r), 0);
	assert_int_equal(ev_child_unwatch(loop, pid), 0);
	wait_zombie(pid);
	assert_true(ev_run_once(loop, 1000000) >= 0);
	assert_int_equal(r.calls, 1);
	assert_true(reaped(pid));
	ev_loop_free(loop);
}

/* ---- prepare hooks, break ---- */

struct prep_ctx {
	struct ev_loop *loop;
	unsigned calls, self_calls, timer_calls;
	uint64_t self_id;
	bool add_timer;
};

static void prep_count_cb(void *ud)
{
	((struct prep_ctx *)ud)->calls++;
}

static void prep_timer_cb(void *ud)
{
	((struct prep_ctx *)ud)->timer_calls++;
}

static void prep_self_del_cb(void *ud)
{
	struct prep_ctx *x = ud;

	x->self_calls++;
	if (x->add_timer) {
		/* A foreign library arming its timeout just before the wait. */
		ev_timer_add(x->loop, 0, prep_timer_cb, x);
		x->add_timer = false;
	}
	if (x->self_calls == 2)
		assert_int_equal(ev_prepare_del(x->loop, x->self_id), 0);
}

static void test_prepare(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	struct prep_ctx x = { .loop = loop, .add_timer = true };
	uint64_t id;

	(void)state;
	assert_non_null(loop);
	id = ev_prepare_add(loop, prep_count_cb, &x);
	assert_true(id > 0);
	x.self_id = ev_prepare_add(loop, prep_self_del_cb, &x);
	assert_true(x.self_id > id);
	assert_int_equal(ev_prepare_add(loop, NULL, NULL), 0);

	/* The timer added by the hook is due now: fired in the same iteration. */
	assert_int_equal(ev_run_once(loop, 1000000), 1);
	assert_int_equal(x.timer_calls, 1);
	assert_int_equal(x.calls, 1);
	assert_int_equal(x.self_calls, 1);
	assert_int_equal(ev_run_once(loop, 0), 0);
	assert_int_equal(ev_run_once(loop, 0), 0);
	assert_int_equal(x.calls, 3);
	assert_int_equal(x.self_calls, 2);	/* deleted itself on its 2nd call */
	assert_int_equal(ev_prepare_del(loop, x.self_id), -ENOENT);
	assert_int_equal(ev_prepare_del(loop, id), 0);
	assert_int_equal(ev_run_once(loop, 0), 0);
	assert_int_equal(x.calls, 3);
	ev_loop_free(loop);
}

static void break_cb(void *ud)
{
	struct ev_loop *loop = *(struct ev_loop **)ud;

	ev_break(loop, 42);
}

static void break7_cb(void *ud)
{
	ev_break(ud, 7);
}

static void test_break(void **state)
{
	struct ev_loop *loop = ev_loop_new();
	uint64_t t0;
	int r;

	(void)state;
	assert_non_null(loop);
	ev_timer_add(loop, 1000, break_cb, &loop);
	assert_false(ev_broken(loop));
	assert_int_equal(ev_run(loop), 42);
	assert_false(ev_broken(loop));
	/* A second run needs a second break. */
	ev_timer_add(loop, 1000, break7_cb, loop);
	assert_int_equal(ev_run(loop), 7);
	/* Requested before ev_run(): returns at once. */
	ev_break(loop, 9);
	assert_int_equal(ev_run(loop), 9);

	/* ev_run_once waits at most max_wait_us when nothing happens. */
	t0 = ev_time_us();
	r = ev_run_once(loop, 3000);
	assert_int_equal(r, 0);
	assert_true(ev_time_us() - t0 >= 3000);
	ev_loop_free(loop);
}

/* ---- precision ---- */

struct prec_ctx {
	struct ev_loop *loop;
	uint64_t fired_us;
};

static void prec_cb(void *ud)
{
	struct prec_ctx *x = ud;

	x->fired_us = ev_time_us();
	ev_break(x->loop, 0);
}

static void test_precision(void **state)
{
	static const uint64_t delays_us[] = { 2000, 500, 1500, 10, 3000 };
	struct ev_loop *loop = ev_loop_new();
	struct prec_ctx x = { .loop = loop };
	uint64_t t0, when, best_loop = UINT64_MAX, best_sleep = UINT64_MAX;
	const struct timespec two_ms = { 0, 2000000 };
	ev_timer_id id;
	size_t i;

	(void)state;
	assert_non_null(loop);
	/* At least 10 rounds; up to 60 while a busy machine hides the result. */
	for (i = 0; i < 60; i++) {
		uint64_t delay_us = i < 5 ? delays_us[i] : 2000;

		if (i >= 10 && best_loop < best_sleep + 500)
			break;

		t0 = ev_time_us();
		id = ev_timer_add(loop, delay_us, prec_cb, &x);
		assert_int_equal(ev_timer_when(loop, id, &when), 0);
		assert_true(when >= t0 + delay_us);
		/* One wait is enough: it is never cut short by rounding. */
		assert_int_equal(ev_run_once(loop, -1), 1);
		assert_true(ev_broken(loop));
		assert_int_equal(ev_run(loop), 0);
		/* Never early; late by a bounded amount even on a busy machine. */
		assert_true(x.fired_us >= when);
		assert_true(x.fired_us - t0 >= delay_us);
		assert_true(x.fired_us - t0 < delay_us + 200000);
		if (delay_us != 2000)
			continue;
		if (x.fired_us - t0 < best_loop)
			best_loop = x.fired_us - t0;
		/* The machine's own latency, for comparison. */
		t0 = ev_time_us();
		nanosleep(&two_ms, NULL);
		if (ev_time_us() - t0 < best_sleep)
			best_sleep = ev_time_us() - t0;
	}
	/*
	 * Microsecond waits: a 2 ms timer is about as punctual as a 2 ms
	 * nanosleep, not rounded up to the next millisecond.
	 */
	print_message("best 2 ms: timer %llu us, nanosleep %llu us\n",
		      (unsigned long long)best_loop, (unsigned long long)best_sleep);
	assert_true(best_loop < best_sleep + 700);
	ev_loop_free(loop);
}

/* ---- fds are close-on-exec ---- */

static unsigned list_fds(int *fds, unsigned max)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	unsigned n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) && n < max) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		fds[n++] = atoi(de->d_name);
	}
	closedir(d);
	return n;
}

static bool in_list(const int *fds, unsigned n, int fd)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (fds[i] == fd)
			return true;
	return false;
}

static void test_cloexec(void **state)
{
	int before[256], after[256];
	unsigned nb, na, i, nnew = 0;
	struct sig_rec r = { 0 };
	struct ev_loop *loop;

	(void)state;
	nb = list_fds(before, 256);
	loop = ev_loop_new();
	assert_non_null(loop);
	assert_int_equal(ev_signal_add(loop, SIGUSR1, sig_cb, &r), 0);
	ev_timer_add(loop, 1000000, never_cb, NULL);
	na = list_fds(after, 256);
	for (i = 0; i < na; i++) {
		int flags;

		if (in_list(before, nb, after[i]))
			continue;
		flags = fcntl(after[i], F_GETFD);
		assert_true(flags >= 0);
		nnew++;
		assert_true(flags & FD_CLOEXEC);
	}
	assert_true(nnew >= 2);	/* epoll and signalfd */
	ev_loop_free(loop);
	na = list_fds(after, 256);
	assert_int_equal(na, nb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_heap_random),
		cmocka_unit_test(test_timer_same_time_order),
		cmocka_unit_test(test_timer_cancel_from_cb),
		cmocka_unit_test(test_timer_test_clock),
		cmocka_unit_test(test_timer_free_pending),
		cmocka_unit_test(test_io_pipe),
		cmocka_unit_test(test_io_del_pending),
		cmocka_unit_test(test_io_mod_pending),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_child),
		cmocka_unit_test(test_prepare),
		cmocka_unit_test(test_break),
		cmocka_unit_test(test_precision),
		cmocka_unit_test(test_cloexec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
