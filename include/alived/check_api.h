/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checker engine seen from outside (SNMP, D-Bus, dumps): a read API
 * that returns copies, an observer hook for real-server and quorum
 * transitions, and a command API. All of it runs in the checker process,
 * on its event loop; nothing here blocks. Observers are called from the
 * engine, after the transition is complete and logged; they must not
 * call back into the command API from the callback.
 *
 * Identifiers: a virtual server is known by vs_id, its 1-based position in
 * the configuration; a real server by (vs_id, rs_id), rs_id its 1-based
 * position in its virtual server. A reload may renumber them: observers
 * get a CHK_EVT_RELOAD event and should re-read.
 *
 * Stable identifiers: each virtual server also has a uid, and each real
 * server a uid within its virtual server, that a reload keeps while the
 * object exists (a virtual server is the same when its address, port and
 * protocol, its fwmark or its group are; a real server when its address
 * and port in that virtual server are). A new object gets a uid never used
 * before in this process. At the first start uid == position. The
 * chk_api_*_lookup_uid() functions turn uids into the current positions.
 */
#ifndef ALIVED_CHECK_API_H
#define ALIVED_CHECK_API_H

#include <stdbool.h>
#include <stdint.h>

#include "alived/config.h"
#include "alived/cfg_check.h"

/* The outcome of one check attempt: "last check result" in SNMP and D-Bus. */
enum chk_result {
	CHK_NONE,		/* not checked yet */
	CHK_OK,
	CHK_CONNECT_TIMEOUT,
	CHK_CONNECT_REFUSED,
	CHK_CONNECT_FAILED,	/* unreachable, reset during connect, ... */
	CHK_SOCKET_ERROR,	/* a local socket, bind or resource error */
	CHK_TLS_FAILED,		/* handshake refused or broken */
	CHK_TLS_TIMEOUT,
	CHK_SEND_FAILED,
	CHK_READ_TIMEOUT,	/* no (complete) answer in time */
	CHK_READ_FAILED,	/* the connection broke or closed too early */
	CHK_HTTP_MALFORMED,	/* not a valid HTTP response */
	CHK_HTTP_STATUS,	/* status code not in the expected set */
	CHK_HTTP_DIGEST,	/* body MD5 differs from digest */
	CHK_HTTP_REGEX,		/* body does (not) match regex */
	CHK_SCRIPT_FAILED,	/* MISC_CHECK: exit status 1 (or non-zero) */
	CHK_SCRIPT_TIMEOUT,
	CHK_SCRIPT_ERROR,	/* MISC_CHECK: could not be run, or killed */
	CHK_SMTP_REPLY,		/* unexpected SMTP reply code */
	CHK_DNS_REPLY,		/* bad or unexpected DNS answer */
	CHK_UDP_REPLY,		/* UDP reply missing or not as required */
	CHK_UNREACHABLE,	/* ICMP unreachable (UDP_CHECK, PING_CHECK) */
	CHK_UNSUPPORTED,	/* a checker type alived does not run */
	CHK_RESULT__COUNT,
};

/* "ok", "connect timeout", ... ; "?" when out of range. */
const char *chk_result_name(enum chk_result r);

#define CHK_API_NAME_MAX	64	/* group names, snmp_name, virtualhost */
#define CHK_API_SCRIPT_MAX	256	/* notify and quorum script lines */

struct chk_vs_info {
	uint32_t id;
	enum cfg_vs_kind kind;
	struct cfg_addr addr;		/* CFG_VS_ADDR */
	uint16_t port;
	uint32_t fwmark;		/* CFG_VS_FWMARK */
	char group[CHK_API_NAME_MAX];	/* CFG_VS_GROUP */
	int family;			/* AF_INET / AF_INET6 */
	enum cfg_lvs_proto protocol;
	enum cfg_lvs_sched sched;
	enum cfg_lvs_fwd fwd;
	uint32_t persistence_timeout_s;
	bool alpha, omega, ha_suspend;
	char virtualhost[CHK_API_NAME_MAX];
	char snmp_name[CHK_API_NAME_MAX];
	char quorum_up[CHK_API_SCRIPT_MAX];
	char quorum_down[CHK_API_SCRIPT_MAX];
	uint32_t quorum, hysteresis;
	bool quorum_met;
	uint64_t alive_weight;		/* sum of the weights of alive real servers */
	uint32_t n_rs, n_rs_alive;
	bool sorry_set, sorry_active;	/* active: in use because quorum is not met */
	struct cfg_addr sorry_addr;
	uint16_t sorry_port;
	uint64_t last_change_us;	/* monotonic; 0 = none since start */
	uint32_t uid;			/* stable across reloads (see above) */
};

struct chk_rs_info {
	uint32_t vs_id, id;
	struct cfg_addr addr;
	uint16_t port;
	bool alive;			/* every checker passes and not disabled */
	bool enabled;			/* false after chk_cmd_set_enabled(false) */
	uint32_t weight;		/* in force now (commands, misc_dynamic) */
	uint32_t cfg_weight;		/* as configured */
	enum cfg_lvs_fwd fwd;
	bool inhibit_on_failure;
	uint32_t uthreshold, lthreshold;
	char notify_up[CHK_API_SCRIPT_MAX];
	char notify_down[CHK_API_SCRIPT_MAX];
	char virtualhost[CHK_API_NAME_MAX];
	char snmp_name[CHK_API_NAME_MAX];
	uint32_t n_checkers, n_checkers_up;
	enum chk_result last_result;	/* of the latest attempt of any checker */
	enum cfg_chk_type last_type;	/* the checker type of that attempt */
	/* Timing of the first checker (as in force), for the MIB. */
	uint64_t delay_loop_us, connect_timeout_us, delay_before_retry_us, warmup_us;
	uint32_t retry;
	bool alpha;
	uint64_t n_checks, n_failed;	/* attempts since start, failed attempts */
	uint64_t last_change_us;	/* monotonic; 0 = none since start */
	uint32_t vs_uid, uid;		/* stable across reloads (see above) */
	bool weight_by_cmd;		/* weight set by chk_cmd_set_weight() */
};

/* 0, -ENOENT (no such server) or -ESRCH (the checker engine is not running). */
int chk_api_vs_get(uint32_t vs_id, struct chk_vs_info *ret_info);
int chk_api_rs_get(uint32_t vs_id, uint32_t rs_id, struct chk_rs_info *ret_info);
/* Number of virtual servers (0 when not running). */
uint32_t chk_api_vs_count(void);
/* The current vs_id of uid vs_uid: 0, -ENOENT or -ESRCH. */
int chk_api_vs_lookup_uid(uint32_t vs_uid, uint32_t *ret_vs_id);
/* The current (vs_id, rs_id) of (vs_uid, rs_uid): 0, -ENOENT or -ESRCH. */
int chk_api_rs_lookup_uid(uint32_t vs_uid, uint32_t rs_uid, uint32_t *ret_vs_id,
			  uint32_t *ret_rs_id);
/*
 * Calls cb for each virtual server (in id order) or each real server of
 * one, with a copy. A non-zero return of cb stops the walk and is
 * returned. 0 at the end, -ENOENT/-ESRCH as above.
 */
int chk_api_vs_foreach(int (*cb)(const struct chk_vs_info *info, void *ud), void *ud);
int chk_api_rs_foreach(uint32_t vs_id, int (*cb)(const struct chk_rs_info *info, void *ud),
		       void *ud);

enum chk_evt {
	CHK_EVT_RS_STATE,	/* a real server became alive or dead */
	CHK_EVT_QUORUM,		/* a virtual server's quorum was met or lost */
	CHK_EVT_WEIGHT,		/* a real server's weight in force changed */
	CHK_EVT_RELOAD,		/* the configuration was reloaded: re-read everything */
	CHK_EVT__COUNT,
};
#define CHK_EVT_MASK(e)		(1u << (e))
#define CHK_EVT_MASK_ALL	((1u << CHK_EVT__COUNT) - 1u)

struct chk_evt_info {
	enum chk_evt evt;
	uint32_t vs_id;
	uint32_t rs_id;			/* 0 for CHK_EVT_QUORUM and CHK_EVT_RELOAD */
	bool old_up, new_up;		/* RS alive / quorum met, before and after */
	enum chk_result result;		/* what caused it (CHK_EVT_RS_STATE) */
	uint32_t weight;		/* RS weight in force / VS alive weight */
	/* as logged, e.g. "HTTP_GET: HTTP status 500 on /, expected 200-299" */
	char reason[128];
	uint32_t vs_uid, rs_uid;	/* stable ids of vs_id, rs_id (0 where those are) */
};

typedef void (*chk_api_cb)(const struct chk_evt_info *evt, void *ud);

/* Registers cb for the events in mask; returns a handle > 0. Never fails
 * (OOM aborts). Subscriptions outlive reloads. */
int chk_api_subscribe(uint32_t mask, chk_api_cb cb, void *ud);
/* 0 or -ENOENT. Safe from inside a callback. */
int chk_api_unsubscribe(int handle);

/*
 * Commands. origin names the caller in the log ("SNMP", "D-Bus", ...).
 * They return 0, -ENOENT (no such server), -ERANGE (weight above 65535),
 * -ESRCH (the engine is not running). A change is logged, recomputes the
 * quorum and is published to observers. The setting lasts as long as the
 * real server: a reload keeps it when the real server is still configured
 * (over the weight the new configuration gives), and forgets it when not.
 */
int chk_cmd_set_weight(uint32_t vs_id, uint32_t rs_id, uint32_t weight, const char *origin);
/* Disabled: the real server counts as dead whatever its checks say
 * (maintenance, drain); its checks keep running. */
int chk_cmd_set_enabled(uint32_t vs_id, uint32_t rs_id, bool enabled, const char *origin);

#endif
