/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * alived event loop: one single-threaded loop per process, built on epoll.
 *
 *  - fds: level-triggered readiness callbacks;
 *  - timers: a binary min-heap on CLOCK_MONOTONIC in microseconds. A timer
 *    is known by its ID (never 0, never reused), so an owner can cancel it
 *    at any time without dangling pointers; cancel is O(log n);
 *  - signals: through a signalfd (the signals are blocked while watched);
 *  - children: the loop reaps every child (SIGCHLD through the signalfd,
 *    waitpid(-1, WNOHANG) until none is left), so there are never zombies;
 *    a watched child's callback sees its wait status, others are reaped
 *    silently;
 *  - prepare hooks: called before each wait, so a foreign library (net-snmp,
 *    libdbus) can sync its fds and timeouts with the loop.
 *
 * Removing an fd, a timer, a signal, a child watch or a prepare hook is safe
 * from inside any callback: an event already collected for it in the same
 * batch is dropped. Every fd the loop opens is O_CLOEXEC.
 */
#ifndef ALIVED_EV_H
#define ALIVED_EV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct ev_loop;

/* Events of an fd. EPOLLERR/EPOLLHUP are reported as EV_READ | EV_WRITE. */
#define EV_READ		1u
#define EV_WRITE	2u

typedef void (*ev_io_cb)(int fd, uint32_t events, void *ud);

typedef uint64_t ev_timer_id;	/* 0 = no timer */
typedef void (*ev_timer_cb)(void *ud);

typedef void (*ev_signal_cb)(int signo, void *ud);
typedef void (*ev_child_cb)(pid_t pid, int wstatus, void *ud);
typedef void (*ev_prepare_cb)(void *ud);
typedef uint64_t (*ev_clock_fn)(void *ud);	/* returns monotonic microseconds */

/* Returns a new loop; NULL (errno set) when epoll or signalfd fails. */
struct ev_loop *ev_loop_new(void);
/*
 * Frees the loop: closes its own fds (not the watched ones), drops every
 * watcher without calling it, and unblocks the signals it blocked. NULL is
 * a no-op. Must not be called from a callback of the same loop.
 */
void ev_loop_free(struct ev_loop *loop);

/* 0, -EEXIST (fd already watched), -EINVAL, or epoll_ctl's -errno. */
int ev_io_add(struct ev_loop *loop, int fd, uint32_t events, ev_io_cb cb, void *ud);
/* Changes the events of a watched fd (0 = pause). 0, -ENOENT or -errno. */
int ev_io_mod(struct ev_loop *loop, int fd, uint32_t events);
/* Stops watching fd (call before closing it). 0 or -ENOENT. */
int ev_io_del(struct ev_loop *loop, int fd);

/*
 * Arms a one-shot timer delay_us from now (a fresh clock reading, so it
 * never fires early). Timers fire in order of due time, then of creation.
 * A timer added from a callback that is already due fires on the next
 * loop iteration, never in the current one. Never fails (OOM aborts).
 */
ev_timer_id ev_timer_add(struct ev_loop *loop, uint64_t delay_us, ev_timer_cb cb, void *ud);
/* Same at an absolute time of the loop's clock (ev_time_us() scale). */
ev_timer_id ev_timer_at(struct ev_loop *loop, uint64_t when_us, ev_timer_cb cb, void *ud);
/* Cancels a pending timer. false when id is 0, unknown, fired or cancelled. */
bool ev_timer_cancel(struct ev_loop *loop, ev_timer_id id);
bool ev_timer_pending(const struct ev_loop *loop, ev_timer_id id);
/* Due time of a pending timer. 0 or -ENOENT. */
int ev_timer_when(const struct ev_loop *loop, ev_timer_id id, uint64_t *ret_when_us);

/* The loop's time, read once per iteration (after the wait). */
uint64_t ev_now_us(const struct ev_loop *loop);
/* Re-reads the loop's clock into ev_now_us(). */
void ev_now_update(struct ev_loop *loop);
/* A fresh CLOCK_MONOTONIC reading in microseconds. */
uint64_t ev_time_us(void);
/* Replaces the loop's clock (unit tests); now_us NULL restores the real one. */
void ev_set_clock(struct ev_loop *loop, ev_clock_fn now_us, void *ud);

/*
 * Calls cb when signo arrives; blocks signo with sigprocmask while watched.
 * 0, -EEXIST (already watched), -EINVAL (SIGKILL, SIGSTOP, out of range) or
 * -errno. SIGCHLD may be watched too; the loop still reaps the children.
 */
int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb cb, void *ud);
/*
 * Stops watching signo and restores its blocked state; pending instances
 * are discarded first. 0 or -ENOENT.
 */
int ev_signal_del(struct ev_loop *loop, int signo);

/*
 * Calls cb once when child pid has been reaped (exited or killed); the
 * watch then ends by itself. Register right after fork(), before returning
 * to the loop. 0, -EEXIST or -EINVAL.
 */
int ev_child_watch(struct ev_loop *loop, pid_t pid, ev_child_cb cb, void *ud);
/* 0 or -ENOENT. The child is still reaped, silently. */
int ev_child_unwatch(struct ev_loop *loop, pid_t pid);
/*
 * When pid has terminated, send signo to its process group (-pid) while pid
 * is still a zombie, i.e. before it is reaped, so the group ID cannot have
 * been reused. 0 disables. Used to kill what a timed-out script left
 * behind. 0 or -ENOENT (pid not watched).
 */
int ev_child_set_killpg(struct ev_loop *loop, pid_t pid, int signo);

/* Adds a hook called before each wait. Returns its ID (> 0). */
uint64_t ev_prepare_add(struct ev_loop *loop, ev_prepare_cb cb, void *ud);
/* 0 or -ENOENT. */
int ev_prepare_del(struct ev_loop *loop, uint64_t id);

/*
 * Runs until ev_break() and returns its rc (a break requested before
 * ev_run() is entered makes it return at once). Returns -errno if the
 * wait fails for another reason than EINTR.
 */
int ev_run(struct ev_loop *loop);
/*
 * One iteration: prepare hooks, wait at most max_wait_us (-1 = until
 * something happens; 0 = poll), then dispatch fds, signals, children and
 * due timers. Returns the number of callbacks called, or -errno.
 */
int ev_run_once(struct ev_loop *loop, int64_t max_wait_us);
/* Makes ev_run() return rc once the current iteration is done. */
void ev_break(struct ev_loop *loop, int rc);
bool ev_broken(const struct ev_loop *loop);

#endif
