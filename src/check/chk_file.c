// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * FILE_CHECK: a real server follows the number a track_file block's file
 * holds, as a VRRP instance does (src/vrrp/vrrp_track.c): the number times
 * the checker's weight (negated with reverse) is its result. With weight
 * 0 the checker is down while the number is not 0; otherwise it is down
 * while the result is below -253. With dynamic, the result is also added
 * to the real server's weight while the checker is up (chk_rs_weight()
 * keeps the sum within 0..65535). A missing file or one without a number
 * reads as 0 (said once per change).
 *
 * The file is read when inotify reports a change in its directory, and
 * at every delay_loop besides (where inotify is not available, that is
 * the only way). Retries do not apply: the file says what it says.
 * init_file creates a missing file with init_value (the VRRP process may
 * do so too; the first one wins).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>

#include "alived/cfg_vrrp.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "check/chk.h"

#define FILE_READ_MAX		63
#define FILE_DOWN_BELOW		(-253)
#define FILE_INO_MASK		(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | \
				 IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF)

struct file_watch {
	struct chk_model *m;
	int fd;			/* inotify; -1 when unavailable */
};

/* The number in path: 0 and *ret_err (errno, EINVAL: no number) on failure. */
static int64_t file_value(const char *path, int *ret_err)
{
	char buf[FILE_READ_MAX + 1], *end;
	int64_t v = 0;
	ssize_t n;
	int fd;

	*ret_err = 0;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*ret_err = errno;
		return 0;
	}
	n = read(fd, buf, FILE_READ_MAX);
	if (n < 0)
		*ret_err = errno;
	close(fd);
	if (n < 0)
		return 0;
	buf[n] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (end == buf || errno) {
		*ret_err = EINVAL;
		return 0;
	}
	return v;
}

/* Reads c's file and acts on it. */
static void file_eval(struct chk *c)
{
	const struct cfg_chk_file *f = &c->cfg->u.file;
	const struct cfg_track_file *tf = f->eff_track_file;
	char why[CHK_DETAIL_MAX], label[CHK_LABEL_MAX];
	int err = 0;
	int64_t v, e;
	int32_t delta;
	bool up;

	if (!tf || !tf->path)
		return;
	v = file_value(tf->path, &err);
	if (err && (uint8_t)err != c->step) {
		log_warn("%s: FILE_CHECK: track_file %s: %s: %s; taken as 0",
			 chk_rs_label(c->rs, label, sizeof(label)), tf->name, tf->path,
			 err == EINVAL ? "no number" : strerror(err));
	}
	/* step is the HTTP URL index, unused here: the errno last said */
	c->step = (uint16_t)(uint8_t)err;
	/* no overflow: |v| <= 2^31, |weight| < 2^31 */
	if (v > INT32_MAX)
		v = INT32_MAX;
	if (v < -INT32_MAX)
		v = -INT32_MAX;
	e = v * (int64_t)f->weight;
	if (f->reverse)
		e = -e;
	up = f->weight == 0 ? v == 0 : e >= FILE_DOWN_BELOW;
	c->n_checks++;
	c->last = up ? CHK_OK : CHK_SCRIPT_FAILED;
	c->rs->last = c->last;
	c->rs->last_type = CFG_CHK_FILE;
	if (!up)
		c->n_failed++;
	delta = !f->dynamic || !up ? 0 : e > INT32_MAX ? INT32_MAX : e < INT32_MIN ? INT32_MIN :
		(int32_t)e;
	snprintf(why, sizeof(why), "FILE_CHECK: track_file %s holds %" PRId64, tf->name, v);
	if (up != c->up) {
		c->up = up;
		/* the weight first, so that the state change counts it */
		c->dyn_delta = delta;
		c->rs->eff_weight = chk_rs_weight(c->rs);
		chk_vs_checker_changed(c, up ? CHK_OK : CHK_SCRIPT_FAILED, why);
	} else if (delta != c->dyn_delta) {
		c->dyn_delta = delta;
		chk_vs_weight_changed(c->rs, why);
	}
}

static void file_start(struct chk *c)
{
	file_eval(c);
	chk_schedule(c, c->cfg->eff.delay_loop_us);
}

static void file_abort(struct chk *c)
{
	c->run = NULL;	/* nothing runs between reads */
}

/* Every FILE_CHECK of m, at once: a change in one of the watched directories. */
static void file_rescan(struct chk_model *m)
{
	if (m->stopping || !m->started)
		return;
	for (uint32_t v = 0; v < m->n_vs; v++)
		for (uint32_t r = 0; r < m->vs[v].n_rs; r++)
			for (unsigned k = 0; k < m->vs[v].rs[r].n_chk; k++) {
				struct chk *c = &m->vs[v].rs[r].chk[k];

				if (c->cfg->type == CFG_CHK_FILE && c->ops)
					file_eval(c);
			}
}

static void file_io_cb(int fd, uint32_t events, void *ud)
{
	struct file_watch *w = ud;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool any = false;

	(void)events;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			break;
		any = true;
	}
	if (any)
		file_rescan(w->m);
}

static void file_init(const struct cfg_track_file *tf)
{
	char *txt;
	int fd;

	if (!tf->init_file || access(tf->path, F_OK) == 0)
		return;
	fd = open(tf->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return;	/* the VRRP process was first, or it cannot be: reads say so */
	txt = xasprintf("%" PRId64 "\n", tf->init_value);
	if (write(fd, txt, strlen(txt)) < 0)
		log_warn_errno(errno, "track_file %s: cannot write %s", tf->name, tf->path);
	free(txt);
	close(fd);
}

static void file_watch_dir(struct file_watch *w, const char *path)
{
	char *copy = xstrdup(path);

	if (w->fd >= 0 && inotify_add_watch(w->fd, dirname(copy), FILE_INO_MASK) < 0)
		log_info("FILE_CHECK: %s cannot be watched (%s); read every delay_loop", path,
			 strerror(errno));
	free(copy);
}

static int file_prepare(struct chk_model *m)
{
	struct file_watch *w = xcalloc(1, sizeof(*w));

	w->m = m;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0)
		log_warn_errno(errno, "FILE_CHECK: inotify unavailable; files are read every "
			       "delay_loop");
	else if (ev_io_add(m->loop, w->fd, EV_READ, file_io_cb, w) < 0) {
		close(w->fd);
		w->fd = -1;
	}
	for (uint32_t v = 0; v < m->n_vs; v++)
		for (uint32_t r = 0; r < m->vs[v].n_rs; r++)
			for (unsigned k = 0; k < m->vs[v].rs[r].n_chk; k++) {
				const struct cfg_checker *c = m->vs[v].rs[r].chk[k].cfg;
				const struct cfg_track_file *tf;

				if (c->type != CFG_CHK_FILE)
					continue;
				tf = c->u.file.eff_track_file;
				if (!tf || !tf->path)
					continue;
				file_init(tf);
				file_watch_dir(w, tf->path);
			}
	m->file_watch = w;
	return 0;
}

static void file_release(struct chk_model *m)
{
	struct file_watch *w = m->file_watch;

	if (!w)
		return;
	if (w->fd >= 0) {
		ev_io_del(m->loop, w->fd);
		close(w->fd);
	}
	free(w);
	m->file_watch = NULL;
}

const struct chk_ops chk_file_ops = {
	.name = "FILE_CHECK",
	.prepare = file_prepare,
	.release = file_release,
	.start = file_start,
	.abort = file_abort,
	.no_warmup = true,
};
