// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * alived event loop: epoll for fds, a binary min-heap of timers keyed by
 * (due time, ID), a signalfd for signals and SIGCHLD, prepare hooks for
 * foreign loops. See include/alived/ev.h for the contract.
 *
 * Timers are nodes in a pool (indices, so the pool can grow); the heap holds
 * node indices and every node knows its heap slot; an open-addressing hash
 * maps a timer ID to its node. IDs come from a 64-bit counter: they never
 * wrap in practice, and they order timers due at the same time by creation.
 *
 * Each fd's epoll data carries (generation << 32 | fd). Deleting an fd bumps
 * its generation, so an event collected for it earlier in the same batch is
 * recognised as stale and dropped, even if the fd number was reused.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* epoll_pwait2, signalfd, waitid */
#endif
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include "alived/ev.h"
#include "alived/xalloc.h"

#define EV_BATCH	64		/* epoll events per wait */
#define EV_SIG_BATCH	16		/* signalfd records per read */
#define EV_NONE		UINT32_MAX	/* end of the free node list */

struct ev_io {
	ev_io_cb cb;
	void *ud;
	uint32_t events;	/* EV_READ | EV_WRITE */
	uint32_t gen;		/* bumped on every add and del */
	bool active;
};

struct ev_tnode {
	uint64_t when_us;
	ev_timer_id id;		/* 0 while the node is free */
	ev_timer_cb cb;
	void *ud;
	uint32_t slot;		/* heap index; next free node while free */
};

struct ev_thash_ent {
	ev_timer_id id;		/* 0 = empty */
	uint32_t node;
};

struct ev_sig {
	ev_signal_cb cb;
	void *ud;
	bool active;
};

struct ev_child {
	pid_t pid;
	ev_child_cb cb;
	void *ud;
	int killpg_signo;
};

struct ev_prep {
	uint64_t id;
	ev_prepare_cb cb;	/* NULL: deleted while the hooks were running */
	void *ud;
};

struct ev_loop {
	pid_t owner_pid;		/* process that created the loop */
	int epfd;
	int sigfd;
	sigset_t sigmask;		/* the signals the signalfd reads */

	struct ev_io *ios;		/* indexed by fd */
	size_t n_ios;

	struct ev_tnode *tnodes;
	uint32_t n_tnodes;		/* pool capacity */
	uint32_t free_tnode;		/* head of the free list */
	uint32_t *heap;			/* node indices */
	uint32_t heap_len;
	struct ev_thash_ent *thash;
	uint32_t thash_cap;		/* power of two */
	uint32_t thash_len;
	ev_timer_id next_timer_id;

	struct ev_sig sigs[_NSIG];

	struct ev_child *children;
	size_t n_children, cap_children;

	struct ev_prep *preps;
	size_t n_preps, cap_preps;
	uint64_t next_prep_id;
	bool in_prepare;
	bool prep_dirty;

	uint64_t now_us;
	ev_clock_fn clock;
	void *clock_ud;

	unsigned ncalls;		/* user callbacks in this iteration */
	int break_rc;
	bool broken;
	bool need_reap;
	bool no_pwait2;			/* epoll_pwait2 gave ENOSYS */
};

/*
 * Signals are a process-wide resource: a signal is blocked while at least
 * one loop watches it, and unblocked again when the last one stops, unless
 * it was blocked before any loop took it.
 */
static unsigned ev_sig_refs[_NSIG];
static bool ev_sig_preblocked[_NSIG];

static void ev_sig_ref(int signo)
{
	sigset_t set, old;

	if (ev_sig_refs[signo]++)
		return;
	sigemptyset(&set);
	sigaddset(&set, signo);
	sigprocmask(SIG_BLOCK, &set, &old);
	ev_sig_preblocked[signo] = sigismember(&old, signo) == 1;
}

static void ev_sig_unref(int signo)
{
	const struct timespec zero = { 0, 0 };
	sigset_t set;

	if (!ev_sig_refs[signo] || --ev_sig_refs[signo] || ev_sig_preblocked[signo])
		return;
	sigemptyset(&set);
	sigaddset(&set, signo);
	/* Discard pending instances: nobody asked for their default action. */
	while (sigtimedwait(&set, NULL, &zero) == signo)
		;
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

uint64_t ev_time_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t ev_clock(const struct ev_loop *loop)
{
	return loop->clock ? loop->clock(loop->clock_ud) : ev_time_us();
}

uint64_t ev_now_us(const struct ev_loop *loop)
{
	return loop->now_us;
}

void ev_now_update(struct ev_loop *loop)
{
	loop->now_us = ev_clock(loop);
}

void ev_set_clock(struct ev_loop *loop, ev_clock_fn now_us, void *ud)
{
	loop->clock = now_us;
	loop->clock_ud = now_us ? ud : NULL;
	ev_now_update(loop);
}

/* ---- fds ---- */

static uint64_t ev_io_key(int fd, uint32_t gen)
{
	return (uint64_t)gen << 32 | (uint32_t)fd;
}

static uint32_t ev_to_epoll(uint32_t events)
{
	return (events & EV_READ ? EPOLLIN : 0) | (events & EV_WRITE ? EPOLLOUT : 0);
}

int ev_io_add(struct ev_loop *loop, int fd, uint32_t events, ev_io_cb cb, void *ud)
{
	struct epoll_event ee = { 0 };
	struct ev_io *io;

	if (fd < 0 || !cb || (events & ~(EV_READ | EV_WRITE)))
		return -EINVAL;
	if ((size_t)fd >= loop->n_ios) {
		size_t n = loop->n_ios ? loop->n_ios : 64;

		while (n <= (size_t)fd)
			n *= 2;
		loop->ios = xreallocarray(loop->ios, n, sizeof(*loop->ios));
		memset(loop->ios + loop->n_ios, 0, (n - loop->n_ios) * sizeof(*loop->ios));
		loop->n_ios = n;
	}
	io = &loop->ios[fd];
	if (io->active)
		return -EEXIST;
	ee.events = ev_to_epoll(events);
	ee.data.u64 = ev_io_key(fd, io->gen + 1);
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ee) < 0)
		return -errno;
	io->gen++;
	io->cb = cb;
	io->ud = ud;
	io->events = events;
	io->active = true;
	return 0;
}

static struct ev_io *ev_io_get(struct ev_loop *loop, int fd)
{
	if (fd < 0 || (size_t)fd >= loop->n_ios || !loop->ios[fd].active)
		return NULL;
	return &loop->ios[fd];
}

int ev_io_mod(struct ev_loop *loop, int fd, uint32_t events)
{
	struct epoll_event ee = { 0 };
	struct ev_io *io = ev_io_get(loop, fd);

	if (!io)
		return -ENOENT;
	if (events & ~(EV_READ | EV_WRITE))
		return -EINVAL;
	if (events == io->events)
		return 0;
	ee.events = ev_to_epoll(events);
	ee.data.u64 = ev_io_key(fd, io->gen);
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ee) < 0)
		return -errno;
	io->events = events;
	return 0;
}

int ev_io_del(struct ev_loop *loop, int fd)
{
	struct ev_io *io = ev_io_get(loop, fd);

	if (!io)
		return -ENOENT;
	/* Fails harmlessly when the caller closed fd already. */
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	io->active = false;
	io->gen++;
	io->cb = NULL;
	io->ud = NULL;
	return 0;
}

static void ev_io_dispatch(struct ev_loop *loop, const struct epoll_event *ee)
{
	int fd = (int)(uint32_t)ee->data.u64;
	uint32_t gen = (uint32_t)(ee->data.u64 >> 32);
	struct ev_io *io = ev_io_get(loop, fd);
	uint32_t events = 0;

	if (!io || io->gen != gen)
		return;		/* deleted (maybe re-added) since the wait */
	if (ee->events & (EPOLLERR | EPOLLHUP)) {
		events = EV_READ | EV_WRITE;
	} else {
		if (ee->events & (EPOLLIN | EPOLLPRI | EPOLLRDHUP))
			events |= EV_READ;
		if (ee->events & EPOLLOUT)
			events |= EV_WRITE;
		events &= io->events;	/* ev_io_mod() since the wait */
	}
	if (!events)
		return;
	if (fd != loop->sigfd)
		loop->ncalls++;
	io->cb(fd, events, io->ud);
}

/* ---- timers: ID hash ---- */

static uint32_t ev_thash_slot(const struct ev_loop *loop, ev_timer_id id)
{
	uint64_t x = id;

	/* splitmix64 finaliser */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return (uint32_t)x & (loop->thash_cap - 1);
}

static void ev_thash_put(struct ev_loop *loop, ev_timer_id id, uint32_t node);

static void ev_thash_grow(struct ev_loop *loop)
{
	struct ev_thash_ent *old = loop->thash;
	uint32_t old_cap = loop->thash_cap, i;

	if (old_cap > UINT32_MAX / 2)
		abort();
	loop->thash_cap = old_cap ? old_cap * 2 : 64;
	loop->thash = xcalloc(loop->thash_cap, sizeof(*loop->thash));
	loop->thash_len = 0;
	for (i = 0; i < old_cap; i++)
		if (old[i].id)
			ev_thash_put(loop, old[i].id, old[i].node);
	free(old);
}

static void ev_thash_put(struct ev_loop *loop, ev_timer_id id, uint32_t node)
{
	uint32_t mask, i;

	if ((loop->thash_len + 1) * 2 > loop->thash_cap)
		ev_thash_grow(loop);
	mask = loop->thash_cap - 1;
	for (i = ev_thash_slot(loop, id); loop->thash[i].id; i = (i + 1) & mask)
		;
	loop->thash[i].id = id;
	loop->thash[i].node = node;
	loop->thash_len++;
}

/* Slot of id in the hash, or UINT32_MAX. */
static uint32_t ev_thash_find(const struct ev_loop *loop, ev_timer_id id)
{
	uint32_t mask, i;

	if (!id || !loop->thash_cap)
		return UINT32_MAX;
	mask = loop->thash_cap - 1;
	for (i = ev_thash_slot(loop, id); loop->thash[i].id; i = (i + 1) & mask)
		if (loop->thash[i].id == id)
			return i;
	return UINT32_MAX;
}

/* Linear-probing removal with backward shift (no tombstones). */
static void ev_thash_del(struct ev_loop *loop, uint32_t i)
{
	uint32_t mask = loop->thash_cap - 1, j = i, k;

	loop->thash_len--;
	for (;;) {
		loop->thash[i].id = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (!loop->thash[j].id)
				return;
			k = ev_thash_slot(loop, loop->thash[j].id);
			/* Entry j may stay unless its home k lies cyclically in (i, j]. */
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		loop->thash[i] = loop->thash[j];
		i = j;
	}
}

/* ---- timers: heap ---- */

static bool ev_tless(const struct ev_loop *loop, uint32_t a, uint32_t b)
{
	const struct ev_tnode *x = &loop->tnodes[a], *y = &loop->tnodes[b];

	return x->when_us < y->when_us || (x->when_us == y->when_us && x->id < y->id);
}

static void ev_heap_set(struct ev_loop *loop, uint32_t slot, uint32_t node)
{
	loop->heap[slot] = node;
	loop->tnodes[node].slot = slot;
}

static void ev_heap_up(struct ev_loop *loop, uint32_t slot)
{
	uint32_t node = loop->heap[slot];

	while (slot > 0) {
		uint32_t parent = (slot - 1) / 2;

		if (!ev_tless(loop, node, loop->heap[parent]))
			break;
		ev_heap_set(loop, slot, loop->heap[parent]);
		slot = parent;
	}
	ev_heap_set(loop, slot, node);
}

static void ev_heap_down(struct ev_loop *loop, uint32_t slot)
{
	uint32_t node = loop->heap[slot];

	for (;;) {
		uint32_t c = 2 * slot + 1;

		if (c >= loop->heap_len)
			break;
		if (c + 1 < loop->heap_len && ev_tless(loop, loop->heap[c + 1], loop->heap[c]))
			c++;
		if (!ev_tless(loop, loop->heap[c], node))
			break;
		ev_heap_set(loop, slot, loop->heap[c]);
		slot = c;
	}
	ev_heap_set(loop, slot, node);
}

static uint32_t ev_tnode_alloc(struct ev_loop *loop)
{
	uint32_t i, n;

	if (loop->free_tnode == EV_NONE) {
		n = loop->n_tnodes ? loop->n_tnodes * 2 : 64;
		if (n <= loop->n_tnodes || n == EV_NONE)
			abort();
		loop->tnodes = xreallocarray(loop->tnodes, n, sizeof(*loop->tnodes));
		loop->heap = xreallocarray(loop->heap, n, sizeof(*loop->heap));
		for (i = loop->n_tnodes; i < n; i++) {
			loop->tnodes[i].id = 0;
			loop->tnodes[i].slot = i + 1 < n ? i + 1 : EV_NONE;
		}
		loop->free_tnode = loop->n_tnodes;
		loop->n_tnodes = n;
	}
	i = loop->free_tnode;
	loop->free_tnode = loop->tnodes[i].slot;
	return i;
}

/* Takes node out of the heap and the hash and returns it to the pool. */
static void ev_timer_remove(struct ev_loop *loop, uint32_t hslot)
{
	uint32_t node = loop->thash[hslot].node;
	uint32_t slot = loop->tnodes[node].slot;
	uint32_t last = loop->heap[--loop->heap_len];

	if (slot < loop->heap_len) {
		ev_heap_set(loop, slot, last);
		ev_heap_down(loop, slot);
		ev_heap_up(loop, loop->tnodes[last].slot);
	}
	ev_thash_del(loop, hslot);
	loop->tnodes[node].id = 0;
	loop->tnodes[node].cb = NULL;
	loop->tnodes[node].ud = NULL;
	loop->tnodes[node].slot = loop->free_tnode;
	loop->free_tnode = node;
}

ev_timer_id ev_timer_at(struct ev_loop *loop, uint64_t when_us, ev_timer_cb cb, void *ud)
{
	struct ev_tnode *t;
	uint32_t node;

	if (!cb)
		return 0;
	node = ev_tnode_alloc(loop);
	t = &loop->tnodes[node];
	t->when_us = when_us;
	t->id = loop->next_timer_id++;
	t->cb = cb;
	t->ud = ud;
	loop->heap[loop->heap_len] = node;
	ev_heap_up(loop, loop->heap_len++);
	ev_thash_put(loop, t->id, node);
	return t->id;
}

ev_timer_id ev_timer_add(struct ev_loop *loop, uint64_t delay_us, ev_timer_cb cb, void *ud)
{
	uint64_t now = ev_clock(loop);
	uint64_t when = delay_us > UINT64_MAX - now ? UINT64_MAX : now + delay_us;

	return ev_timer_at(loop, when, cb, ud);
}

bool ev_timer_cancel(struct ev_loop *loop, ev_timer_id id)
{
	uint32_t hslot = ev_thash_find(loop, id);

	if (hslot == UINT32_MAX)
		return false;
	ev_timer_remove(loop, hslot);
	return true;
}

bool ev_timer_pending(const struct ev_loop *loop, ev_timer_id id)
{
	return ev_thash_find(loop, id) != UINT32_MAX;
}

int ev_timer_when(const struct ev_loop *loop, ev_timer_id id, uint64_t *ret_when_us)
{
	uint32_t hslot = ev_thash_find(loop, id);

	if (hslot == UINT32_MAX)
		return -ENOENT;
	*ret_when_us = loop->tnodes[loop->thash[hslot].node].when_us;
	return 0;
}

/* Fires the timers due at now that existed when this phase began. */
static void ev_timers_run(struct ev_loop *loop)
{
	ev_timer_id limit = loop->next_timer_id;

	while (loop->heap_len) {
		const struct ev_tnode *t = &loop->tnodes[loop->heap[0]];
		ev_timer_cb cb = t->cb;
		void *ud = t->ud;

		/*
		 * Stopping at a timer created during this phase keeps the
		 * (due time, ID) order: what is behind it fires next time.
		 */
		if (t->when_us > loop->now_us || t->id >= limit)
			break;
		ev_timer_remove(loop, ev_thash_find(loop, t->id));
		loop->ncalls++;
		cb(ud);
	}
}

/* ---- signals and children ---- */

static int ev_sigfd_update(struct ev_loop *loop)
{
	return signalfd(loop->sigfd, &loop->sigmask, 0) < 0 ? -errno : 0;
}

int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb cb, void *ud)
{
	int r;

	if (signo <= 0 || signo >= _NSIG || signo == SIGKILL || signo == SIGSTOP || !cb)
		return -EINVAL;
	if (loop->sigs[signo].active)
		return -EEXIST;
	if (signo != SIGCHLD) {
		ev_sig_ref(signo);
		sigaddset(&loop->sigmask, signo);
		r = ev_sigfd_update(loop);
		if (r < 0) {
			sigdelset(&loop->sigmask, signo);
			ev_sig_unref(signo);
			return r;
		}
	}
	loop->sigs[signo].cb = cb;
	loop->sigs[signo].ud = ud;
	loop->sigs[signo].active = true;
	return 0;
}

int ev_signal_del(struct ev_loop *loop, int signo)
{
	if (signo <= 0 || signo >= _NSIG || !loop->sigs[signo].active)
		return -ENOENT;
	loop->sigs[signo].active = false;
	loop->sigs[signo].cb = NULL;
	loop->sigs[signo].ud = NULL;
	if (signo != SIGCHLD) {	/* the loop itself keeps SIGCHLD */
		sigdelset(&loop->sigmask, signo);
		ev_sigfd_update(loop);
		ev_sig_unref(signo);
	}
	return 0;
}

static ssize_t ev_child_find(const struct ev_loop *loop, pid_t pid)
{
	size_t i;

	for (i = 0; i < loop->n_children; i++)
		if (loop->children[i].pid == pid)
			return (ssize_t)i;
	return -1;
}

int ev_child_watch(struct ev_loop *loop, pid_t pid, ev_child_cb cb, void *ud)
{
	struct ev_child *c;

	if (pid <= 0 || !cb)
		return -EINVAL;
	if (ev_child_find(loop, pid) >= 0)
		return -EEXIST;
	if (loop->n_children == loop->cap_children) {
		loop->cap_children = loop->cap_children ? loop->cap_children * 2 : 16;
		loop->children = xreallocarray(loop->children, loop->cap_children,
					       sizeof(*loop->children));
	}
	c = &loop->children[loop->n_children++];
	c->pid = pid;
	c->cb = cb;
	c->ud = ud;
	c->killpg_signo = 0;
	return 0;
}

int ev_child_unwatch(struct ev_loop *loop, pid_t pid)
{
	ssize_t i = ev_child_find(loop, pid);

	if (i < 0)
		return -ENOENT;
	loop->children[i] = loop->children[--loop->n_children];
	return 0;
}

int ev_child_set_killpg(struct ev_loop *loop, pid_t pid, int signo)
{
	ssize_t i = ev_child_find(loop, pid);

	if (i < 0)
		return -ENOENT;
	if (signo < 0 || signo >= _NSIG)
		return -EINVAL;
	loop->children[i].killpg_signo = signo;
	return 0;
}

/* Reaps every terminated child; calls the watchers. */
static void ev_reap(struct ev_loop *loop)
{
	loop->need_reap = false;
	for (;;) {
		siginfo_t si;
		ssize_t i;
		pid_t pid;
		int wstatus;

		/* Peek first (WNOWAIT): pid stays a zombie, its group ID is still ours. */
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid <= 0)
			break;
		pid = si.si_pid;
		i = ev_child_find(loop, pid);
		if (i >= 0 && loop->children[i].killpg_signo)
			kill(-pid, loop->children[i].killpg_signo);
		if (waitpid(pid, &wstatus, WNOHANG) != pid)
			break;
		if (i >= 0) {
			struct ev_child c = loop->children[i];

			loop->children[i] = loop->children[--loop->n_children];
			loop->ncalls++;
			c.cb(pid, wstatus, c.ud);
		}
	}
}

static void ev_sigfd_cb(int fd, uint32_t events, void *ud)
{
	struct signalfd_siginfo si[EV_SIG_BATCH];
	struct ev_loop *loop = ud;
	ssize_t n;
	size_t i;

	(void)events;
	for (;;) {
		n = read(fd, si, sizeof(si));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (i = 0; i < (size_t)n / sizeof(si[0]); i++) {
			int signo = (int)si[i].ssi_signo;

			if (signo == SIGCHLD)
				loop->need_reap = true;
			if (signo > 0 && signo < _NSIG && loop->sigs[signo].active) {
				loop->ncalls++;
				loop->sigs[signo].cb(signo, loop->sigs[signo].ud);
			}
		}
		if ((size_t)n < sizeof(si))
			break;
	}
	if (loop->need_reap)
		ev_reap(loop);
}

/* ---- prepare hooks ---- */

uint64_t ev_prepare_add(struct ev_loop *loop, ev_prepare_cb cb, void *ud)
{
	struct ev_prep *p;

	if (!cb)
		return 0;
	if (loop->n_preps == loop->cap_preps) {
		loop->cap_preps = loop->cap_preps ? loop->cap_preps * 2 : 8;
		loop->preps = xreallocarray(loop->preps, loop->cap_preps, sizeof(*loop->preps));
	}
	p = &loop->preps[loop->n_preps++];
	p->id = loop->next_prep_id++;
	p->cb = cb;
	p->ud = ud;
	return p->id;
}

int ev_prepare_del(struct ev_loop *loop, uint64_t id)
{
	size_t i;

	for (i = 0; i < loop->n_preps; i++) {
		if (loop->preps[i].id != id || !loop->preps[i].cb)
			continue;
		if (loop->in_prepare) {
			loop->preps[i].cb = NULL;	/* compacted after the round */
			loop->prep_dirty = true;
		} else {
			memmove(&loop->preps[i], &loop->preps[i + 1],
				(loop->n_preps - i - 1) * sizeof(*loop->preps));
			loop->n_preps--;
		}
		return 0;
	}
	return -ENOENT;
}

static void ev_prepare_run(struct ev_loop *loop)
{
	size_t i, j, n = loop->n_preps;	/* hooks added now run next time */

	loop->in_prepare = true;
	for (i = 0; i < n; i++) {
		ev_prepare_cb cb = loop->preps[i].cb;

		if (cb)
			cb(loop->preps[i].ud);
	}
	loop->in_prepare = false;
	if (!loop->prep_dirty)
		return;
	for (i = j = 0; i < loop->n_preps; i++)
		if (loop->preps[i].cb)
			loop->preps[j++] = loop->preps[i];
	loop->n_preps = j;
	loop->prep_dirty = false;
}

/* ---- loop ---- */

struct ev_loop *ev_loop_new(void)
{
	struct ev_loop *loop = xcalloc(1, sizeof(*loop));
	int err;

	loop->owner_pid = getpid();
	loop->epfd = -1;
	loop->sigfd = -1;
	loop->free_tnode = EV_NONE;
	loop->next_timer_id = 1;
	loop->next_prep_id = 1;
	sigemptyset(&loop->sigmask);
	sigaddset(&loop->sigmask, SIGCHLD);
	ev_sig_ref(SIGCHLD);

	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0)
		goto fail;
	loop->sigfd = signalfd(-1, &loop->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (loop->sigfd < 0)
		goto fail;
	err = ev_io_add(loop, loop->sigfd, EV_READ, ev_sigfd_cb, loop);
	if (err < 0) {
		errno = -err;
		goto fail;
	}
	/* Children that ended before the loop existed left no pending SIGCHLD. */
	loop->need_reap = true;
	ev_now_update(loop);
	return loop;

fail:
	err = errno;
	ev_loop_free(loop);
	errno = err;
	return NULL;
}

void ev_loop_free(struct ev_loop *loop)
{
	int signo;

	if (!loop)
		return;
	/*
	 * After fork() the epoll instance and the signalfd are shared with
	 * the process that made the loop: changing them here would change
	 * them there too. A forked child only closes its copies of the fds.
	 */
	if (loop->owner_pid == getpid()) {
		for (signo = 1; signo < _NSIG; signo++)
			if (loop->sigs[signo].active)
				ev_signal_del(loop, signo);
		ev_sig_unref(SIGCHLD);
	}
	if (loop->sigfd >= 0)
		close(loop->sigfd);
	if (loop->epfd >= 0)
		close(loop->epfd);
	free(loop->ios);
	free(loop->tnodes);
	free(loop->heap);
	free(loop->thash);
	free(loop->children);
	free(loop->preps);
	free(loop);
}

void ev_break(struct ev_loop *loop, int rc)
{
	loop->broken = true;
	loop->break_rc = rc;
}

bool ev_broken(const struct ev_loop *loop)
{
	return loop->broken;
}

/* Time to wait: -1 (forever) or microseconds. */
static int64_t ev_wait_us(struct ev_loop *loop, int64_t max_wait_us)
{
	int64_t wait_us = max_wait_us < 0 ? -1 : max_wait_us;
	uint64_t when, now, d;

	if (loop->broken || loop->need_reap)
		return 0;
	if (!loop->heap_len)
		return wait_us;
	when = loop->tnodes[loop->heap[0]].when_us;
	now = ev_clock(loop);
	d = when > now ? when - now : 0;
	if (d > INT64_MAX)
		d = INT64_MAX;
	if (wait_us < 0 || (int64_t)d < wait_us)
		wait_us = (int64_t)d;
	return wait_us;
}

static int ev_wait(struct ev_loop *loop, struct epoll_event *evs, int64_t wait_us)
{
	int ms, n;

	if (!loop->no_pwait2) {
		struct timespec ts, *tsp = NULL;

		if (wait_us >= 0) {
			ts.tv_sec = (time_t)(wait_us / 1000000);
			ts.tv_nsec = (long)(wait_us % 1000000) * 1000;
			tsp = &ts;
		}
		n = epoll_pwait2(loop->epfd, evs, EV_BATCH, tsp, NULL);
		if (n >= 0 || errno != ENOSYS)
			return n;
		loop->no_pwait2 = true;
	}
	/* Millisecond fallback: round up, a timer must never fire early. */
	if (wait_us < 0)
		ms = -1;
	else if (wait_us / 1000 >= INT_MAX)
		ms = INT_MAX;
	else
		ms = (int)((wait_us + 999) / 1000);
	return epoll_wait(loop->epfd, evs, EV_BATCH, ms);
}

int ev_run_once(struct ev_loop *loop, int64_t max_wait_us)
{
	struct epoll_event evs[EV_BATCH];
	int i, n;

	loop->ncalls = 0;
	if (loop->need_reap)
		ev_reap(loop);
	ev_prepare_run(loop);

	n = ev_wait(loop, evs, ev_wait_us(loop, max_wait_us));
	if (n < 0) {
		if (errno != EINTR)
			return -errno;
		n = 0;
	}
	ev_now_update(loop);
	for (i = 0; i < n; i++)
		ev_io_dispatch(loop, &evs[i]);
	if (loop->need_reap)
		ev_reap(loop);
	if (n)
		ev_now_update(loop);
	ev_timers_run(loop);
	return (int)loop->ncalls;
}

int ev_run(struct ev_loop *loop)
{
	int r;

	while (!loop->broken) {
		r = ev_run_once(loop, -1);
		if (r < 0)
			return r;
	}
	loop->broken = false;
	return loop->break_rc;
}
