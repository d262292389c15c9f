// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for logging (src/lib/log.c). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <setjmp.h>
#include <cmocka.h>

#include "alived/log.h"

static char tmpdir[64];
static int saved_stderr = -1;
static char cap_path[128];

/* Sends our stderr to a file until capture_end(). */
static void capture_begin(void)
{
	int fd;

	snprintf(cap_path, sizeof(cap_path), "%s/stderr", tmpdir);
	fd = open(cap_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(saved_stderr >= 0);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	close(fd);
}

static size_t slurp(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	n = read(fd, buf, size - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(fd);
	return (size_t)n;
}

static size_t capture_end(char *buf, size_t size)
{
	assert_int_equal(dup2(saved_stderr, STDERR_FILENO), STDERR_FILENO);
	close(saved_stderr);
	saved_stderr = -1;
	return slurp(cap_path, buf, size);
}

static void open_stderr(const char *ident)
{
	struct log_opts o = { .dest = LOG_TO_STDERR, .ident = ident };

	assert_int_equal(log_open(&o), 0);
	log_cat_set_all(false);
}

static unsigned count_lines(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* ---- rate limiter ---- */

static void test_ratelimit(void **state)
{
	struct log_ratelimit rl = { 0 };
	unsigned i;

	(void)state;
	/* burst 3 per second */
	for (i = 0; i < 3; i++)
		assert_true(log_ratelimit_ok(&rl, 1000 + i, 3, 1000000));
	for (i = 0; i < 5; i++)
		assert_false(log_ratelimit_ok(&rl, 2000 + i, 3, 1000000));
	assert_int_equal(log_ratelimit_suppressed(&rl), 5);
	assert_int_equal(log_ratelimit_suppressed(&rl), 0);
	/* Still the same window one microsecond before its end. */
	assert_false(log_ratelimit_ok(&rl, 1000 + 999999, 3, 1000000));
	assert_int_equal(rl.suppressed, 1);
	/* A new window: allowed again, and the caller can report the count. */
	assert_true(log_ratelimit_ok(&rl, 1000 + 1000000, 3, 1000000));
	assert_int_equal(rl.window_start_us, 1001000);
	assert_int_equal(rl.count, 1);
	assert_int_equal(log_ratelimit_suppressed(&rl), 1);
	assert_true(log_ratelimit_ok(&rl, 1001001, 3, 1000000));
	assert_true(log_ratelimit_ok(&rl, 1001002, 3, 1000000));
	assert_false(log_ratelimit_ok(&rl, 1001003, 3, 1000000));
	/* Time going backwards starts a new window instead of locking up. */
	assert_true(log_ratelimit_ok(&rl, 500, 3, 1000000));
	assert_int_equal(rl.window_start_us, 500);

	/* A zeroed limiter works from time 0; burst 0 never lets anything through. */
	memset(&rl, 0, sizeof(rl));
	assert_true(log_ratelimit_ok(&rl, 0, 1, 10));
	assert_false(log_ratelimit_ok(&rl, 9, 1, 10));
	assert_true(log_ratelimit_ok(&rl, 10, 1, 10));
	memset(&rl, 0, sizeof(rl));
	for (i = 0; i < 4; i++)
		assert_false(log_ratelimit_ok(&rl, i * 1000000ull, 0, 10));
	assert_int_equal(log_ratelimit_suppressed(&rl), 4);
}

/* ---- output format ---- */

static void test_stderr_format(void **state)
{
	char buf[4096], want_re[1024];
	regex_t re;
	int r;

	(void)state;
	open_stderr("alived_vrrp");
	capture_begin();
	log_info("VI_1: BACKUP -> MASTER (prio %d)", 100);
	r = log_err_errno(-ENOENT, "open %s", "/x");
	assert_int_equal(r, -ENOENT);
	r = log_warn_errno(EACCES, "bind");
	assert_int_equal(r, -EACCES);
	log_notice("multi\nline\r message");
	capture_end(buf, sizeof(buf));

	snprintf(want_re, sizeof(want_re),
		 "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} "
		 "alived_vrrp\\[%ld\\]: VI_1: BACKUP -> MASTER \\(prio 100\\)\n"
		 "[-0-9: .]{23} alived_vrrp\\[%ld\\]: open /x: No such file or directory\n"
		 "[-0-9: .]{23} alived_vrrp\\[%ld\\]: bind: Permission denied\n"
		 "[-0-9: .]{23} alived_vrrp\\[%ld\\]: multi line  message\n$",
		 (long)getpid(), (long)getpid(), (long)getpid(), (long)getpid());
	assert_int_equal(regcomp(&re, want_re, REG_EXTENDED | REG_NOSUB), 0);
	r = regexec(&re, buf, 0, NULL, 0);
	if (r)
		print_error("got:\n%s", buf);
	assert_int_equal(r, 0);
	regfree(&re);
}

static int evaluated;

static int side_effect(void)
{
	return ++evaluated;
}

static void test_levels_and_categories(void **state)
{
	char buf[4096];

	(void)state;
	open_stderr("alived");
	assert_int_equal(log_get_level(), LOG_INFO);
	capture_begin();
	log_set_level(LOG_NOTICE);
	log_info("hidden info");
	log_notice("shown notice");
	log_set_level(LOG_INFO);
	log_info("shown info");
	evaluated = 0;
	log_debug(LOG_CAT_PKT, "hidden pkt %d", side_effect());
	assert_int_equal(evaluated, 0);	/* arguments not evaluated when off */
	log_cat_set(LOG_CAT_PKT, true);
	assert_true(log_cat_enabled(LOG_CAT_PKT));
	assert_false(log_cat_enabled(LOG_CAT_PROTO));
	log_debug(LOG_CAT_PKT, "shown pkt %d", side_effect());
	log_debug(LOG_CAT_PROTO, "hidden proto");
	log_cat_set(LOG_CAT_PKT, false);
	log_debug(LOG_CAT_PKT, "hidden pkt again");
	log_cat_set_all(true);
	log_debug(LOG_CAT_CONFIG, "shown config");
	log_cat_set_all(false);
	log_debug(LOG_CAT_CONFIG, "hidden config");
	log_set_level(LOG_ERR);
	log_warn("hidden warn");
	assert_int_equal(log_warn_errno(-EIO, "hidden"), -EIO);	/* still returns */
	log_err("shown err");
	log_set_level(LOG_INFO);
	capture_end(buf, sizeof(buf));

	assert_int_equal(evaluated, 1);
	assert_null(strstr(buf, "hidden"));
	assert_non_null(strstr(buf, "]: shown notice\n"));
	assert_non_null(strstr(buf, "]: shown info\n"));
	assert_non_null(strstr(buf, "]: shown pkt 1\n"));
	assert_non_null(strstr(buf, "]: shown config\n"));
	assert_non_null(strstr(buf, "]: shown err\n"));
	assert_int_equal(count_lines(buf), 5);
}

static void test_names(void **state)
{
	int c;

	(void)state;
	for (c = 0; c < LOG_CAT__COUNT; c++)
		assert_int_equal(log_cat_parse(log_cat_name((enum log_cat)c)), c);
	assert_string_equal(log_cat_name(LOG_CAT_NETLINK), "netlink");
	assert_string_equal(log_cat_name(LOG_CAT_AGENTX), "agentx");
	assert_int_equal(log_cat_parse("bogus"), -EINVAL);
	assert_int_equal(log_facility_local(0), LOG_LOCAL0);
	assert_int_equal(log_facility_local(7), LOG_LOCAL7);
	assert_int_equal(log_facility_local(8), -EINVAL);
}

static void test_long_and_ident(void **state)
{
	char *big = malloc(5000), *buf = malloc(8192), *p;
	size_t n;

	(void)state;
	assert_non_null(big);
	assert_non_null(buf);
	memset(big, 'a', 4999);
	big[4999] = '\0';
	open_stderr("alived_check_with_a_very_long_identifier_indeed");
	capture_begin();
	log_info("%s", big);
	log_set_ident("alived_check");
	log_info("short");
	n = capture_end(buf, 8192);

	/* Cut, marked, still one line. */
	assert_int_equal(count_lines(buf), 2);
	p = strchr(buf, '\n');
	assert_non_null(p);
	assert_true(p - buf < LOG_LINE_MAX + 96);
	assert_memory_equal(p - 3, "...", 3);
	/* ident truncated to LOG_IDENT_MAX - 1 characters */
	assert_non_null(strstr(buf, " alived_check_with_a_very_long_i["));
	assert_non_null(strstr(p, " alived_check["));
	assert_true(n > 0);
	free(big);
	free(buf);
}

static void test_file_dest(void **state)
{
	struct log_opts o = { .dest = LOG_TO_FILE, .ident = "alived" };
	char path[128], rotated[160], buf[1024];

	(void)state;
	snprintf(path, sizeof(path), "%s/alived.log", tmpdir);
	snprintf(rotated, sizeof(rotated), "%s.1", path);
	o.file = path;
	assert_int_equal(log_open(&o), 0);
	log_info("first");
	assert_int_equal(rename(path, rotated), 0);
	log_info("second");			/* still the old file */
	assert_int_equal(log_reopen(), 0);
	log_info("third");
	slurp(rotated, buf, sizeof(buf));
	assert_non_null(strstr(buf, "]: first\n"));
	assert_non_null(strstr(buf, "]: second\n"));
	assert_null(strstr(buf, "third"));
	slurp(path, buf, sizeof(buf));
	assert_non_null(strstr(buf, "]: third\n"));
	assert_int_equal(count_lines(buf), 1);
	unlink(rotated);
	unlink(path);

	/* A file that cannot be opened is reported; logging goes on. */
	o.file = "/nonexistent-dir/alived.log";
	assert_int_equal(log_open(&o), -ENOENT);
	log_info("nowhere");
	log_close();
}

static void test_nonblocking_socket(void **state)
{
	char fill[4096], buf[64];
	int sv[2], i;

	(void)state;
	/* stderr is a full stream socket (journald): logging must not block. */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	memset(fill, 'z', sizeof(fill));
	while (send(sv[0], fill, sizeof(fill), MSG_DONTWAIT) > 0)
		;
	assert_int_equal(errno, EAGAIN);
	open_stderr("alived");
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	assert_int_equal(dup2(sv[0], STDERR_FILENO), STDERR_FILENO);
	alarm(5);	/* a blocking write would end the test here */
	for (i = 0; i < 10; i++)
		log_info("dropped %d", i);
	alarm(0);
	assert_int_equal(dup2(saved_stderr, STDERR_FILENO), STDERR_FILENO);
	close(saved_stderr);
	/* The socket saw only our filler. */
	assert_true(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) > 0);
	assert_int_equal(buf[0], 'z');
	close(sv[0]);
	close(sv[1]);
}

static void test_syslog_smoke(void **state)
{
	struct log_opts o = { .dest = LOG_TO_SYSLOG, .facility = LOG_LOCAL3, .ident = "alived" };

	(void)state;
	/* Nothing to observe without a syslog daemon; must simply not fail. */
	assert_int_equal(log_open(&o), 0);
	log_set_ident("alived_vrrp");
	log_debug_emit(LOG_CAT_PROTO, "off, not sent");
	log_close();
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/alived-log-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	unlink(cap_path);
	log_close();
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratelimit),
		cmocka_unit_test(test_stderr_format),
		cmocka_unit_test(test_levels_and_categories),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_long_and_ident),
		cmocka_unit_test(test_file_dest),
		cmocka_unit_test(test_nonblocking_socket),
		cmocka_unit_test(test_syslog_smoke),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
