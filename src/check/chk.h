/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checker engine internals, shared by the files of src/check only.
 *
 * The model (vs.c): one struct chk_model per configuration, holding the
 * virtual servers, their real servers and the checkers of each. Config
 * structs are borrowed from the model's cfg_root.
 *
 * The core (chk_core.c) schedules the attempts of each checker and turns
 * their results into up/down decisions (retry, delay_before_retry, alpha,
 * delay_loop, warmup). Each checker type (chk_tcp.c, chk_http.c, ...) only
 * runs one attempt: ops->start() begins it on the event loop and the type
 * ends it with exactly one chk_done() (or, for HTTP with several URLs,
 * chk_step_ok() between URLs). relayd style: every step re-arms itself and
 * every outcome is an enum chk_result.
 */
#ifndef ALIVED_CHK_H
#define ALIVED_CHK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "alived/cfg_check.h"
#include "alived/check_api.h"
#include "alived/ev.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define CHK_LABEL_MAX	128	/* "[addr]:port in VS [addr]:port" and the like */
#define CHK_DETAIL_MAX	256	/* a result's detail text */
#define CHK_WEIGHT_MAX	65535u

struct chk_model;
struct chk_vs;
struct chk_rs;
struct chk;

/* One checker type. */
struct chk_ops {
	const char *name;	/* "HTTP_GET", ... */
	/* Optional: called once per model holding a checker of this type,
	 * before any start(). 0 or -errno (-EINVAL: the configuration cannot
	 * run, e.g. an unreadable certificate). */
	int (*prepare)(struct chk_model *m);
	/* Optional: undoes prepare(). */
	void (*release)(struct chk_model *m);
	/* Begins one attempt of c; c->run is NULL. The attempt ends with one
	 * chk_done() or chk_step_ok(), which may come from inside start(). */
	void (*start)(struct chk *c);
	/* Ends the attempt in flight without a result: frees c->run, closes
	 * its fd, cancels its timers. Not called when c->run is NULL. */
	void (*abort)(struct chk *c);
	/* The first attempt at once, not within warmup (it costs nothing). */
	bool no_warmup;
};

/* One checker of a real server. Kept small: bench/checkers runs 5,000. */
struct chk {
	const struct cfg_checker *cfg;	/* borrowed from the model's root */
	struct chk_rs *rs;		/* owner */
	const struct chk_ops *ops;	/* NULL: a type alived does not run */
	void *run;			/* the attempt in flight (type's state), or NULL */
	ev_timer_id timer;		/* the next attempt */
	uint32_t tries;			/* failed attempts in a row while up */
	uint32_t n_checks, n_failed;
	int32_t dyn_delta;		/* MISC_CHECK misc_dynamic: weight change */
	uint16_t step;			/* HTTP: the URL to check next */
	bool up;
	uint8_t last;			/* enum chk_result of the latest attempt */
};

struct chk_rs {
	const struct cfg_rs *cfg;	/* borrowed */
	struct chk_vs *vs;		/* owner */
	struct chk *chk;		/* n_chk checkers */
	uint32_t id;			/* position in the VS, 1-based */
	uint32_t uid;			/* stable across reloads (check_api.h) */
	uint32_t weight;		/* base weight: configured or set by command */
	uint32_t eff_weight;		/* in force: weight + misc_dynamic changes */
	uint16_t n_chk, n_up;
	bool alive, enabled;
	bool weight_cmd;		/* weight set by command: a reload keeps it */
	uint8_t last, last_type;	/* latest attempt: enum chk_result, cfg_chk_type */
	uint64_t last_change_us;
};

struct chk_vs {
	const struct cfg_vs *cfg;	/* borrowed */
	struct chk_model *m;		/* owner */
	struct chk_rs *rs;
	uint32_t n_rs, id, n_alive;
	uint32_t uid;			/* stable across reloads (check_api.h) */
	uint32_t next_rs_uid;		/* for real servers new in a reload */
	uint64_t alive_weight;
	bool quorum_met, sorry_active;
	bool adopted;			/* state taken over from the previous model */
	bool suspended;			/* ha_suspend: its checks are stopped */
	uint64_t last_change_us;
};

/* A user/group pair of a script, resolved when the model is built. */
struct chk_ids {
	const char *user, *group;	/* borrowed from the configuration; NULL = default */
	uid_t uid;
	gid_t gid;
	bool set;			/* false: run as ourselves */
	int err;			/* -ENOENT: unknown user or group */
};

struct chk_model {
	struct ev_loop *loop;			/* borrowed */
	const struct cfg_root *root;		/* borrowed */
	const struct chk_ops *const *ops;	/* CFG_CHK__COUNT entries, NULL: not run */
	struct chk_vs *vs;
	uint32_t n_vs;
	uint32_t next_vs_uid;			/* for virtual servers new in a reload */
	bool started, stopping;
	bool prepared[CFG_CHK__COUNT];
	void *tls_ctx;				/* SSL_CTX * of SSL_GET (chk_http.c) */
	void *md5;				/* EVP_MD * fetched once (chk_http.c) */
	uint64_t rng;				/* xorshift state for warmup */
	/* Scripts (chk_core.c): users and groups looked up once, at load,
	 * never on the loop (NSS may block); scripts security refused. */
	struct chk_ids *ids;
	uint32_t n_ids;
	const char **refused;			/* command lines, borrowed */
	uint32_t n_refused;
	void *file_watch;			/* FILE_CHECK state (chk_file.c) */
	void *suspend;				/* ha_suspend state (chk_suspend.c) */
};

/* ---- chk_core.c: scheduling and results ---- */

/* The checker types alived runs, indexed by enum cfg_chk_type (chk_child.c). */
extern const struct chk_ops *const chk_builtin_ops[CFG_CHK__COUNT];
extern const struct chk_ops chk_tcp_ops, chk_http_ops, chk_ssl_ops, chk_misc_ops;
extern const struct chk_ops chk_smtp_ops, chk_dns_ops, chk_udp_ops, chk_ping_ops;
extern const struct chk_ops chk_file_ops;

struct ev_loop *chk_loop(const struct chk *c);
/* Initialises c's runtime state (up = !alpha) without scheduling. */
void chk_init(struct chk *c, struct chk_rs *rs, const struct cfg_checker *cfg,
	      const struct chk_ops *ops);
/* Schedules c's first attempt after delay_us. */
void chk_schedule(struct chk *c, uint64_t delay_us);
/* Cancels the pending attempt and aborts the one in flight. */
void chk_cancel(struct chk *c);
/*
 * Ends an attempt. detail (may be NULL) is the text logged with a
 * failure ("HTTP status 500 on /, expected 200-299"); with NULL the
 * result's name is used.
 */
void chk_done(struct chk *c, enum chk_result res, const char *detail);
/* HTTP: the current URL passed and more follow; the next one is checked
 * at once when up or with fast_recovery, else after delay_loop. */
void chk_step_ok(struct chk *c);
/* A random delay in [0, max_us]. */
uint64_t chk_random_us(struct chk_model *m, uint64_t max_us);

/* "[10.0.0.1]:80", "[fe80::1]:80" */
const char *chk_addr_label(const struct cfg_addr *a, uint16_t port, char *buf, size_t len);
/* "[10.0.0.80]:80", "fwmark 3", "group NAME" */
const char *chk_vs_label(const struct chk_vs *vs, char *buf, size_t len);
/* "[10.0.0.1]:80 in VS [10.0.0.80]:80" */
const char *chk_rs_label(const struct chk_rs *rs, char *buf, size_t len);

/*
 * Opens a non-blocking socket of the checker's connect_ip family, applies
 * bindto, bind_port, bind_if and fwmark, and starts connecting to
 * connect_ip:connect_port (port 0 for PING). Returns 0 and *ret_fd (the
 * connection may still be in progress: wait for EV_WRITE, then
 * chk_sock_error()), or -errno.
 */
int chk_sock_connect(const struct chk *c, int type, int protocol, int *ret_fd);
/* Same with explicit connection options and target (SMTP_CHECK host { }). */
int chk_sock_connect_to(const struct cfg_chk_conn *cn, const struct cfg_addr *dst, uint16_t port,
			int type, int protocol, int *ret_fd);
/* SO_ERROR of fd as -errno (0: connected). */
int chk_sock_error(int fd);
/* CHK_CONNECT_REFUSED, CHK_CONNECT_FAILED or CHK_SOCKET_ERROR for -errno. */
enum chk_result chk_connect_result(int err);

/*
 * Runs a notify/quorum script: user and group from the script line, else
 * script_user, else the current user. what names it in the log. The exit
 * status is logged when not 0. 0 or -errno.
 */
int chk_script_run(struct chk_model *m, const struct cfg_script *s, const char *what);
/* Same, for scripts started as the process ends (omega): they outlive our loop. */
int chk_script_run_detached(struct chk_model *m, const struct cfg_script *s, const char *what);
/* uid/gid for user/group (NULL: script_user/script_group of global_defs,
 * else keepalived_script when we are root and it exists, else ours:
 * *ret_set false). From what chk_scripts_prepare() resolved; a pair it did
 * not see is looked up now. 0 or -ENOENT. */
int chk_script_ids(const struct chk_model *m, const char *user, const char *group,
		   uid_t *ret_uid, gid_t *ret_gid, bool *ret_set);
/*
 * At load: resolves the users and groups of every script of m (notify,
 * quorum, MISC_CHECK, FIFO scripts) and checks each script that would run
 * as root: a file or directory on its path that a user other than root
 * may write makes it insecure, which enable_script_security refuses (an
 * error, the script never runs) and which is a warning otherwise.
 */
void chk_scripts_prepare(struct chk_model *m);
void chk_scripts_release(struct chk_model *m);

/* false when enable_script_security refused the script of this command
 * line at load (chk_model_new() checks every script of the model). */
bool chk_script_allowed(const struct chk_model *m, const char *cmd);

/* ---- chk_notify.c: notify_fifo and lvs_notify_fifo ---- */

/* Opens the FIFOs and starts their scripts as m's configuration says (on a
 * reload: keeps what did not change) and subscribes to the events. */
void chk_notify_start(struct ev_loop *loop, const struct chk_model *m);
/* Stops the scripts, closes (and removes what it created). */
void chk_notify_stop(void);
/* "[10.0.0.2]:tcp:80", "FWM:3", "group:NAME": FIFO lines and emails. */
const char *chk_notify_vs_label(const struct chk_vs *vs, char *buf, size_t len);
const char *chk_notify_rs_label(const struct chk_rs *rs, char *buf, size_t len);

/* ---- chk_suspend.c: ha_suspend ---- */

/* Suspends the ha_suspend virtual servers of m whose address is not local,
 * and follows address changes (before chk_model_start()). */
void chk_suspend_setup(struct chk_model *m);
/* Stops following (before chk_model_free()). */
void chk_suspend_free(struct chk_model *m);

/* ---- chk_alert.c: smtp_alert emails ---- */

/* Takes the email settings of m's configuration (at start and reload). */
void chk_alert_start(struct ev_loop *loop, const struct chk_model *m);
/* Drops what is queued or in flight. */
void chk_alert_stop(void);

/* ---- vs.c: the model ---- */

/* Builds the model of root (no check runs yet). 0 or -errno (-EINVAL: a
 * checker type's prepare() refused the configuration). */
int chk_model_new(struct ev_loop *loop, const struct cfg_root *root,
		  const struct chk_ops *const *ops, struct chk_model **ret_model);
/* Takes over the uids and states of matching virtual servers (same key)
 * and real servers (same address and port in them), including weights and
 * enabled states set by command, and of checkers (same position and
 * type) of old. Objects new in m get fresh uids. */
void chk_model_adopt(struct chk_model *m, const struct chk_model *old);
/* Computes quorums, logs the start state and schedules every checker
 * (first attempt at a random time within warmup). */
void chk_model_start(struct chk_model *m, bool first_start);
/* Stops every checker; with run_omega, runs the omega notifications. */
void chk_model_stop(struct chk_model *m, bool run_omega);
/* Stops and frees. NULL is a no-op. */
void chk_model_free(struct chk_model *m);
/* A checker went up or down: recompute its real server. reason is the
 * checker's detail text. */
void chk_vs_checker_changed(struct chk *c, enum chk_result res, const char *reason);
/* The weight in force of rs: base + misc_dynamic changes, 0..65535. */
uint32_t chk_rs_weight(const struct chk_rs *rs);
/* Something changed the weight in force of rs (misc_dynamic, command). */
void chk_vs_weight_changed(struct chk_rs *rs, const char *why);
/* Enables/disables rs (command API). */
void chk_vs_set_enabled(struct chk_rs *rs, bool enabled, const char *origin);
/* ha_suspend: stops (suspend) or restarts (within warmup) the checks of
 * vs's real servers; their states stay as they are. Logged with why. */
void chk_vs_suspend(struct chk_vs *vs, bool suspend, const char *why);
/* USR1/USR2 text dumps. */
void chk_model_dump(const struct chk_model *m, FILE *out);
void chk_model_dump_stats(const struct chk_model *m, FILE *out);
void chk_model_clear_stats(struct chk_model *m);

/* ---- check_api.c ---- */

/* The model the API reads (NULL: not running). */
void chk_api_set_model(struct chk_model *m);
struct chk_model *chk_api_model(void);
/* Calls the observers of info->evt. */
void chk_api_emit(const struct chk_evt_info *info);

#endif
