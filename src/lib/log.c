// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * alived logging. syslog(3), stderr and a file are independent
 * destinations. stderr and file lines are written with a single write()
 * each; when stderr is a socket (journald's stream) the write is
 * non-blocking and a line is dropped rather than stall the loop.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* GNU strerror_r */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "alived/log.h"
#include "alived/xalloc.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const log_cat_names[] = {
	[LOG_CAT_PROTO] = "proto",
	[LOG_CAT_PKT] = "pkt",
	[LOG_CAT_SOCK] = "sock",
	[LOG_CAT_NETLINK] = "netlink",
	[LOG_CAT_CHECK] = "check",
	[LOG_CAT_AGENTX] = "agentx",
	[LOG_CAT_DBUS] = "dbus",
	[LOG_CAT_CONFIG] = "config",
};
_Static_assert(ARRAY_SIZE(log_cat_names) == LOG_CAT__COUNT, "log_cat_names");
_Static_assert(LOG_CAT__COUNT <= 32, "log categories fit a uint32_t mask");

static struct {
	unsigned dest;
	char ident[LOG_IDENT_MAX];
	int facility;
	int level;
	int fd;			/* LOG_TO_FILE */
	char *path;		/* owned */
	bool syslog_open;
	uint32_t cats;		/* 1u << enum log_cat */
} log_st = {
	.dest = LOG_TO_STDERR,
	.ident = "alived",
	.facility = LOG_DAEMON,
	.level = LOG_INFO,
	.fd = -1,
};

static void log_syslog_open(void)
{
	if (log_st.syslog_open)
		closelog();
	openlog(log_st.ident, LOG_PID | LOG_NDELAY, log_st.facility);
	log_st.syslog_open = true;
}

static void log_syslog_close(void)
{
	if (log_st.syslog_open)
		closelog();
	log_st.syslog_open = false;
}

static int log_file_open(void)
{
	int fd;

	if (log_st.fd >= 0) {
		close(log_st.fd);
		log_st.fd = -1;
	}
	if (!log_st.path)
		return -EINVAL;
	fd = open(log_st.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
	if (fd < 0)
		return -errno;
	log_st.fd = fd;
	return 0;
}

void log_set_ident(const char *ident)
{
	snprintf(log_st.ident, sizeof(log_st.ident), "%s", ident ? ident : "alived");
	if (log_st.syslog_open)
		log_syslog_open();
}

void log_set_level(int level)
{
	if (level < LOG_EMERG)
		level = LOG_EMERG;
	if (level > LOG_DEBUG)
		level = LOG_DEBUG;
	log_st.level = level;
}

int log_get_level(void)
{
	return log_st.level;
}

int log_facility_local(unsigned n)
{
	static const int local[] = {
		LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
		LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7,
	};

	return n < ARRAY_SIZE(local) ? local[n] : -EINVAL;
}

int log_open(const struct log_opts *opts)
{
	int r = 0;

	log_st.dest = opts->dest ? opts->dest : LOG_TO_SYSLOG;
	log_st.facility = opts->facility ? opts->facility : LOG_DAEMON;
	log_set_level(opts->level ? opts->level : LOG_INFO);
	snprintf(log_st.ident, sizeof(log_st.ident), "%s", opts->ident ? opts->ident : "alived");

	if (log_st.dest & LOG_TO_SYSLOG)
		log_syslog_open();
	else
		log_syslog_close();

	free(log_st.path);
	log_st.path = NULL;
	if (log_st.dest & LOG_TO_FILE) {
		if (opts->file)
			log_st.path = xstrdup(opts->file);
		r = log_file_open();
	} else if (log_st.fd >= 0) {
		close(log_st.fd);
		log_st.fd = -1;
	}
	return r;
}

int log_reopen(void)
{
	if (!(log_st.dest & LOG_TO_FILE))
		return 0;
	return log_file_open();
}

void log_close(void)
{
	log_syslog_close();
	if (log_st.fd >= 0)
		close(log_st.fd);
	log_st.fd = -1;
	free(log_st.path);
	log_st.path = NULL;
	log_st.dest = LOG_TO_STDERR;
}

void log_cat_set(enum log_cat cat, bool on)
{
	if ((unsigned)cat >= LOG_CAT__COUNT)
		return;
	if (on)
		log_st.cats |= 1u << cat;
	else
		log_st.cats &= ~(1u << cat);
}

void log_cat_set_all(bool on)
{
	log_st.cats = on ? (1u << LOG_CAT__COUNT) - 1 : 0;
}

bool log_cat_enabled(enum log_cat cat)
{
	return (unsigned)cat < LOG_CAT__COUNT && (log_st.cats & (1u << cat));
}

const char *log_cat_name(enum log_cat cat)
{
	return (unsigned)cat < LOG_CAT__COUNT ? log_cat_names[cat] : "?";
}

int log_cat_parse(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(log_cat_names); i++)
		if (!strcmp(name, log_cat_names[i]))
			return (int)i;
	return -EINVAL;
}

/* One write, never blocking on a socket; partial writes to files are finished. */
static void log_write(int fd, const char *buf, size_t len)
{
	ssize_t n = send(fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n >= 0 || errno != ENOTSOCK)
		return;
	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* "YYYY-mm-dd HH:MM:SS.mmm ident[pid]: " into buf; returns its length. */
static size_t log_prefix(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;
	size_t n;
	int r;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
	r = snprintf(buf + n, size - n, ".%03ld %s[%ld]: ", ts.tv_nsec / 1000000L,
		     log_st.ident, (long)getpid());
	if (r < 0)
		return n;
	n += (size_t)r;
	return n < size ? n : size - 1;
}

static void log_emit(int level, int err, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void log_emit(int level, int err, const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX], line[LOG_LINE_MAX + 96];
	size_t len, plen, i;
	int r;

	r = vsnprintf(msg, sizeof(msg), fmt, ap);
	len = r < 0 ? 0 : (size_t)r;
	if (err && len < sizeof(msg)) {
		char ebuf[128];

		r = snprintf(msg + len, sizeof(msg) - len, ": %s",
			     strerror_r(err < 0 && err != INT_MIN ? -err : err, ebuf,
						 sizeof(ebuf)));
		len += r < 0 ? 0 : (size_t)r;
	}
	if (len >= sizeof(msg)) {
		len = sizeof(msg) - 1;
		memcpy(msg + len - 3, "...", 3);
	}
	msg[len] = '\0';
	/* One line per event. */
	for (i = 0; i < len; i++)
		if (msg[i] == '\n' || msg[i] == '\r')
			msg[i] = ' ';

	if (log_st.dest & LOG_TO_SYSLOG)
		syslog(level, "%s", msg);
	if (!(log_st.dest & (LOG_TO_STDERR | LOG_TO_FILE)))
		return;
	plen = log_prefix(line, sizeof(line) - LOG_LINE_MAX);
	memcpy(line + plen, msg, len);
	line[plen + len] = '\n';
	if (log_st.dest & LOG_TO_STDERR)
		log_write(STDERR_FILENO, line, plen + len + 1);
	if ((log_st.dest & LOG_TO_FILE) && log_st.fd >= 0)
		log_write(log_st.fd, line, plen + len + 1);
}

void log_vmsg(int level, const char *fmt, va_list ap)
{
	if (level > log_st.level)
		return;
	log_emit(level, 0, fmt, ap);
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

#define LOG_DEFINE(name, lvl)					\
	void name(const char *fmt, ...)				\
	{							\
		va_list ap;					\
								\
		if ((lvl) > log_st.level)			\
			return;					\
		va_start(ap, fmt);				\
		log_emit((lvl), 0, fmt, ap);			\
		va_end(ap);					\
	}

#define LOG_DEFINE_ERRNO(name, lvl)				\
	int name(int err, const char *fmt, ...)			\
	{							\
		va_list ap;					\
								\
		if ((lvl) <= log_st.level) {			\
			va_start(ap, fmt);			\
			log_emit((lvl), err, fmt, ap);	\
			va_end(ap);				\
		}						\
		return err < 0 ? err : -err;			\
	}

LOG_DEFINE(log_err, LOG_ERR)
LOG_DEFINE(log_warn, LOG_WARNING)
LOG_DEFINE(log_notice, LOG_NOTICE)
LOG_DEFINE(log_info, LOG_INFO)
LOG_DEFINE_ERRNO(log_err_errno, LOG_ERR)
LOG_DEFINE_ERRNO(log_warn_errno, LOG_WARNING)
LOG_DEFINE_ERRNO(log_notice_errno, LOG_NOTICE)
LOG_DEFINE_ERRNO(log_info_errno, LOG_INFO)

void log_debug_emit(enum log_cat cat, const char *fmt, ...)
{
	va_list ap;

	if (!log_cat_enabled(cat))
		return;
	va_start(ap, fmt);
	log_emit(LOG_DEBUG, 0, fmt, ap);
	va_end(ap);
}

bool log_ratelimit_ok(struct log_ratelimit *rl, uint64_t now_us, unsigned burst,
		      uint64_t interval_us)
{
	/* A new window on first use, when the old one is over, or if time went back. */
	if (!rl->count || now_us < rl->window_start_us ||
	    now_us - rl->window_start_us >= interval_us) {
		rl->window_start_us = now_us;
		rl->count = 0;
	}
	if (rl->count < burst) {
		rl->count++;
		return true;
	}
	if (rl->suppressed < UINT_MAX)
		rl->suppressed++;
	return false;
}

unsigned log_ratelimit_suppressed(struct log_ratelimit *rl)
{
	unsigned n = rl->suppressed;

	rl->suppressed = 0;
	return n;
}
