/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * alived logging: syslog (default), stderr and/or a file; one line per
 * event. Levels are syslog's (LOG_ERR .. LOG_DEBUG). Debug messages belong
 * to a category, switchable at run time. The stderr and file format is
 *   "YYYY-mm-dd HH:MM:SS.mmm ident[pid]: message"
 * A per-object rate limiter keeps remote-triggered messages bounded.
 */
#ifndef ALIVED_LOG_H
#define ALIVED_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

/* Destinations, combinable. */
#define LOG_TO_SYSLOG	1u
#define LOG_TO_STDERR	2u
#define LOG_TO_FILE	4u

#define LOG_IDENT_MAX	32	/* longer idents are truncated */
#define LOG_LINE_MAX	2048	/* longer messages are cut and end in "..." */

enum log_cat {
	LOG_CAT_PROTO,
	LOG_CAT_PKT,
	LOG_CAT_SOCK,
	LOG_CAT_NETLINK,
	LOG_CAT_CHECK,
	LOG_CAT_AGENTX,
	LOG_CAT_DBUS,
	LOG_CAT_CONFIG,
	LOG_CAT__COUNT,
};

struct log_opts {
	unsigned dest;		/* LOG_TO_*; 0 = LOG_TO_SYSLOG */
	const char *ident;	/* NULL = "alived" */
	int facility;		/* LOG_DAEMON, LOG_LOCAL0..7; 0 (LOG_KERN) = LOG_DAEMON */
	const char *file;	/* with LOG_TO_FILE: opened O_APPEND, created 0640 */
	int level;		/* highest level logged; 0 (LOG_EMERG) = LOG_INFO */
};

/*
 * (Re)configures logging. Returns 0, or -errno when the file cannot be
 * opened (the other destinations are set up all the same). Before the
 * first call, messages go to stderr with ident "alived".
 */
int log_open(const struct log_opts *opts);
/* Closes syslog and the file; later messages go to stderr. */
void log_close(void);
/* Reopens the log file (after rotation). 0 or -errno. */
int log_reopen(void);
/* Copies ident (e.g. "alived_vrrp" after fork). */
void log_set_ident(const char *ident);
void log_set_level(int level);
int log_get_level(void);
/* LOG_LOCAL0 + n for n in 0..7, or -EINVAL. */
int log_facility_local(unsigned n);

void log_cat_set(enum log_cat cat, bool on);
void log_cat_set_all(bool on);
bool log_cat_enabled(enum log_cat cat);
const char *log_cat_name(enum log_cat cat);
/* Category by name ("proto", "pkt", ...), or -EINVAL. */
int log_cat_parse(const char *name);

void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(int level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Same, with ": strerror(err)" appended; err may be negative (-errno) or
 * positive. They return -abs(err), so "return log_err_errno(r, ...);" works.
 */
int log_err_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int log_warn_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int log_notice_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int log_info_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void log_debug_emit(enum log_cat cat, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Arguments are evaluated only when the category is on. */
#define log_debug(cat, ...) do {				\
		if (log_cat_enabled(cat))			\
			log_debug_emit((cat), __VA_ARGS__);	\
	} while (0)

/*
 * Rate limiter: at most burst messages per interval_us window. Zero
 * initialise it. When a message is allowed and log_ratelimit_suppressed()
 * returns N > 0, log "N messages suppressed" along with it.
 */
struct log_ratelimit {
	uint64_t window_start_us;
	unsigned count;		/* allowed in the current window */
	unsigned suppressed;	/* refused since last taken */
};

bool log_ratelimit_ok(struct log_ratelimit *rl, uint64_t now_us, unsigned burst,
		      uint64_t interval_us);
/* Returns the number of refused messages and resets it. */
unsigned log_ratelimit_suppressed(struct log_ratelimit *rl);

#endif
