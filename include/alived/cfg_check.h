/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * alived configuration, checker side: virtual servers (IPVS services), their
 * real servers, the health checkers attached to real servers, virtual
 * server groups and the global SSL block. Plain structs, owned by the
 * struct cfg_check of a struct cfg_root; immutable after cfg_load().
 *
 * Settings that a real server or checker may inherit (timers, retry, alpha,
 * inhibit_on_failure, smtp_alert, virtualhost, forwarding method, port) are
 * stored as written, with an "unset" marker (CFG_UNSET_U32/U64, CFG_TRI_UNSET,
 * CFG_FWD_UNSET, NULL, 0). cfg_check_validate() then fills the eff_* fields
 * with the values in force: checker setting, else real server, else virtual
 * server, else the checker type's default. Engines read eff_* only.
 */
#ifndef ALIVED_CFG_CHECK_H
#define ALIVED_CFG_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "alived/config.h"

#define CFG_UNSET_U32 UINT32_MAX
#define CFG_UNSET_U64 UINT64_MAX

/* A boolean that may also be "not given here" (inherits). int8_t fields. */
enum cfg_tri {
	CFG_TRI_UNSET = -1,
	CFG_TRI_OFF = 0,
	CFG_TRI_ON = 1,
};

/* A script line: "CMD [USER [GROUP]]" (quorum_up, notify_up, ...). */
struct cfg_script {
	char *cmd;		/* command line as written (may hold arguments); NULL = unset */
	char *user;		/* NULL = the default script user */
	char *group;		/* NULL = the user's group */
	const char *file;	/* of the statement */
	unsigned line;
};

enum cfg_lvs_proto {
	CFG_PROTO_TCP,
	CFG_PROTO_UDP,
	CFG_PROTO_SCTP,
	CFG_PROTO__COUNT,
};

/* IPVS schedulers (ipvsadm -s). */
enum cfg_lvs_sched {
	CFG_SCHED_RR,
	CFG_SCHED_WRR,
	CFG_SCHED_LC,
	CFG_SCHED_WLC,		/* default */
	CFG_SCHED_LBLC,
	CFG_SCHED_LBLCR,
	CFG_SCHED_DH,
	CFG_SCHED_SH,
	CFG_SCHED_SED,
	CFG_SCHED_NQ,
	CFG_SCHED_FO,
	CFG_SCHED_OVF,
	CFG_SCHED_MH,
	CFG_SCHED_TWOS,
	CFG_SCHED__COUNT,
};

/* Packet forwarding method (ipvsadm -m/-g/-i). */
enum cfg_lvs_fwd {
	CFG_FWD_UNSET,		/* real/sorry server: the virtual server's method */
	CFG_FWD_NAT,
	CFG_FWD_DR,
	CFG_FWD_TUN,
	CFG_FWD__COUNT,
};

enum cfg_tun_type {
	CFG_TUN_IPIP,		/* default */
	CFG_TUN_GUE,		/* needs tun_port */
	CFG_TUN_GRE,
	CFG_TUN__COUNT,
};

enum cfg_tun_csum {
	CFG_TUN_CSUM_DEFAULT,	/* not given */
	CFG_TUN_CSUM_NONE,	/* nocsum */
	CFG_TUN_CSUM_CSUM,	/* csum */
	CFG_TUN_CSUM_REMCSUM,	/* remcsum (GUE only) */
	CFG_TUN_CSUM__COUNT,
};

struct cfg_lvs_method {
	enum cfg_lvs_fwd fwd;
	enum cfg_tun_type tun_type;	/* TUN only */
	uint16_t tun_port;		/* TUN type gue: UDP port */
	enum cfg_tun_csum tun_csum;	/* TUN only */
};

/*
 * Timing and retry settings shared by virtual server, real server and
 * checker. As written: CFG_UNSET_* / CFG_TRI_UNSET when not given.
 */
struct cfg_chk_timing {
	uint64_t delay_loop_us;		/* interval between checks */
	uint64_t connect_timeout_us;
	uint64_t delay_before_retry_us;
	uint64_t warmup_us;		/* max random delay of the first check; 0 = none */
	uint32_t retry;			/* extra attempts before a failure counts */
	int8_t alpha;			/* enum cfg_tri: start in the "down" state */
};

/* Where a checker connects from and to (also SMTP_CHECK host { }). */
struct cfg_chk_conn {
	struct cfg_addr connect_ip;	/* AF_UNSPEC = the real server's address */
	uint16_t connect_port;		/* 0 = the real server's port */
	struct cfg_addr bindto;		/* AF_UNSPEC = any */
	uint16_t bind_port;		/* 0 = any */
	char *bind_if;			/* NULL = none; needed for link-local bindto */
	uint32_t fwmark;		/* SO_MARK of the check socket; 0 = none */
};

enum cfg_chk_type {
	CFG_CHK_HTTP,		/* HTTP_GET */
	CFG_CHK_SSL,		/* SSL_GET */
	CFG_CHK_TCP,		/* TCP_CHECK */
	CFG_CHK_MISC,		/* MISC_CHECK */
	CFG_CHK_SMTP,		/* SMTP_CHECK */
	CFG_CHK_DNS,		/* DNS_CHECK */
	CFG_CHK_UDP,		/* UDP_CHECK */
	CFG_CHK_PING,		/* PING_CHECK */
	CFG_CHK_FILE,		/* FILE_CHECK */
	CFG_CHK_BFD,		/* BFD_CHECK: parsed and kept, not run by alived */
	CFG_CHK__COUNT,
};

/* An inclusive HTTP status code range; a single code has lo == hi. */
struct cfg_http_status {
	uint16_t lo, hi;	/* 100..599 */
};

/* PCRE2 compile options accepted by regex_options (bit = 1u << value). */
enum cfg_regex_opt {
	CFG_RX_ALLOW_EMPTY_CLASS,
	CFG_RX_ALT_BSUX,
	CFG_RX_AUTO_CALLOUT,
	CFG_RX_CASELESS,
	CFG_RX_DOLLAR_ENDONLY,
	CFG_RX_DOTALL,
	CFG_RX_DUPNAMES,
	CFG_RX_EXTENDED,
	CFG_RX_FIRSTLINE,
	CFG_RX_MATCH_UNSET_BACKREF,
	CFG_RX_MULTILINE,
	CFG_RX_NEVER_UCP,
	CFG_RX_NEVER_UTF,
	CFG_RX_NO_AUTO_CAPTURE,
	CFG_RX_NO_AUTO_POSSESS,
	CFG_RX_NO_DOTSTAR_ANCHOR,
	CFG_RX_NO_START_OPTIMIZE,
	CFG_RX_UCP,
	CFG_RX_UNGREEDY,
	CFG_RX_UTF,
	CFG_RX_NEVER_BACKSLASH_C,
	CFG_RX_ALT_CIRCUMFLEX,
	CFG_RX_ALT_VERBNAMES,
	CFG_RX_USE_OFFSET_LIMIT,
	CFG_RX__COUNT,
};

/* HTTP_GET / SSL_GET url { } */
struct cfg_url {
	struct cfg_url *next;
	const char *file;
	unsigned line;
	char *path;				/* required */
	char *digest;				/* 32 lower-case hex digits (MD5); NULL = none */
	struct cfg_http_status *status;		/* NULL/0 = 200-299 */
	size_t n_status;
	char *virtualhost;			/* NULL = the checker's */
	char *regex;				/* NULL = none */
	bool regex_no_match;
	uint32_t regex_options;			/* 1u << enum cfg_regex_opt */
	uint64_t regex_stack_start;		/* bytes; 0 = default (with _max) */
	uint64_t regex_stack_max;
	uint64_t regex_min_offset;		/* 0 = from the start */
	uint64_t regex_max_offset;		/* CFG_UNSET_U64 = no limit */
};

enum cfg_http_proto {
	CFG_HTTP_10,		/* "1.0", default */
	CFG_HTTP_10C,		/* "1.0C": 1.0 with "Connection: close" */
	CFG_HTTP_11,		/* "1.1" */
	CFG_HTTP__COUNT,
};

struct cfg_chk_http {			/* HTTP_GET and SSL_GET */
	struct cfg_url *urls;		/* at least one for the checker to run */
	char *virtualhost;		/* NULL = the real server's */
	enum cfg_http_proto http_protocol;
	bool fast_recovery;
	bool enable_sni;		/* SSL_GET */
	bool tls_compliant;		/* SSL_GET: proper TLS shutdown */
};

struct cfg_chk_misc {
	char *path;			/* misc_path: command line, required */
	uint64_t timeout_us;		/* misc_timeout; 0 = delay_loop */
	bool dynamic;			/* exit status 2..255 sets the weight */
	char *user, *group;		/* NULL = the default script user */
};

/* SMTP_CHECK host { } (old form: one more address to check). */
struct cfg_chk_host {
	struct cfg_chk_host *next;
	const char *file;
	unsigned line;
	struct cfg_chk_conn conn;
};

struct cfg_chk_smtp {
	char *helo_name;		/* NULL = the default HELO name */
	struct cfg_chk_host *hosts;
};

enum cfg_dns_type {
	CFG_DNS_A,
	CFG_DNS_NS,
	CFG_DNS_CNAME,
	CFG_DNS_SOA,		/* default */
	CFG_DNS_MX,
	CFG_DNS_TXT,
	CFG_DNS_AAAA,
	CFG_DNS__COUNT,
};

struct cfg_chk_dns {
	enum cfg_dns_type type;
	char *name;		/* query name; NULL = "." */
};

struct cfg_chk_udp {
	uint8_t *payload;	/* NULL = a random payload */
	size_t payload_len;
	bool require_reply;
	uint8_t *reply;		/* expected reply prefix; NULL = any data */
	uint8_t *reply_mask;	/* per byte: bits that must match (X nibbles are 0) */
	size_t reply_len;
	uint32_t min_reply_length;	/* default 0 */
	uint32_t max_reply_length;	/* default 255 */
};

struct cfg_track_file;	/* alived/cfg_vrrp.h */

struct cfg_chk_file {
	char *track_file;	/* name of a top-level track_file block; required */
	bool dynamic;
	int32_t weight;		/* multiplier of the file's value; default 1 */
	bool reverse;
	/* Filled by cfg_check_validate(): the track_file block; borrowed. */
	const struct cfg_track_file *eff_track_file;
};

struct cfg_chk_bfd {
	char *name;
};

struct cfg_checker {
	struct cfg_checker *next;
	enum cfg_chk_type type;
	const char *file;
	unsigned line;
	struct cfg_chk_conn conn;	/* unused by MISC, FILE, BFD */
	struct cfg_chk_timing t;	/* as written */
	bool log_all_failures;
	union {
		struct cfg_chk_http http;	/* HTTP, SSL */
		struct cfg_chk_misc misc;
		struct cfg_chk_smtp smtp;
		struct cfg_chk_dns dns;
		struct cfg_chk_udp udp;
		struct cfg_chk_file file;
		struct cfg_chk_bfd bfd;
	} u;
	/* Filled by cfg_check_validate(). */
	struct cfg_chk_timing eff;	/* every field set; alpha is 0/1 */
	struct cfg_addr eff_connect_ip;
	uint16_t eff_connect_port;	/* may be 0 for PING/MISC/FILE/BFD */
	const char *eff_virtualhost;	/* HTTP/SSL; borrowed; NULL = none */
};

struct cfg_rs {
	struct cfg_rs *next;
	const char *file;
	unsigned line;
	struct cfg_addr addr;
	uint16_t port;			/* 0 = not given: the virtual server's port */
	uint32_t weight;		/* 0..65535, default 1 */
	struct cfg_lvs_method method;	/* fwd CFG_FWD_UNSET = the virtual server's */
	struct cfg_script notify_up, notify_down;
	uint32_t uthreshold;		/* max connections; 0 = no limit */
	uint32_t lthreshold;		/* 0 = none */
	int8_t inhibit_on_failure;	/* enum cfg_tri */
	int8_t smtp_alert;		/* enum cfg_tri */
	char *virtualhost;
	char *snmp_name;
	struct cfg_chk_timing t;	/* defaults for its checkers */
	struct cfg_checker *checkers;
	/* Filled by cfg_check_validate(). */
	uint16_t eff_port;
	struct cfg_lvs_method eff_method;
	bool eff_inhibit_on_failure;
	int8_t eff_smtp_alert;		/* CFG_TRI_UNSET = as global_defs says */
};

enum cfg_vs_kind {
	CFG_VS_ADDR,		/* virtual_server IP [PORT] */
	CFG_VS_FWMARK,		/* virtual_server fwmark N */
	CFG_VS_GROUP,		/* virtual_server group NAME */
	CFG_VS__COUNT,
};

struct cfg_sorry {
	bool set;
	struct cfg_addr addr;
	uint16_t port;			/* 0 = not given */
	bool inhibit;			/* sorry_server_inhibit */
	struct cfg_lvs_method method;	/* sorry_server_lvs_method; UNSET = the VS's */
	const char *file;		/* of the sorry_server line */
	unsigned line;
};

struct cfg_vsg;

struct cfg_vs {
	struct cfg_vs *next;
	const char *file;
	unsigned line;
	enum cfg_vs_kind kind;
	struct cfg_addr addr;		/* ADDR */
	uint16_t port;			/* ADDR; 0 = none (persistent services only) */
	uint32_t fwmark;		/* FWMARK */
	char *group;			/* GROUP: virtual_server_group name */
	enum cfg_lvs_proto protocol;	/* default TCP */
	enum cfg_lvs_sched sched;	/* default wlc */
	bool flag_1, flag_2, flag_3;	/* scheduler flags */
	bool sh_port, sh_fallback, mh_port, mh_fallback;
	bool ops;			/* one-packet scheduling */
	struct cfg_lvs_method method;	/* default NAT */
	uint32_t persistence_timeout_s;	/* 0 = not persistent */
	uint8_t persistence_granularity;	/* prefix length; 0 = not given */
	bool granularity_dotted;	/* written as a dotted IPv4 mask */
	char *persistence_engine;
	int ip_family;			/* AF_UNSPEC (not given), AF_INET, AF_INET6 */
	bool ha_suspend;
	bool omega;
	int8_t smtp_alert;		/* enum cfg_tri */
	int8_t inhibit_on_failure;	/* enum cfg_tri */
	char *virtualhost;
	char *snmp_name;
	uint32_t quorum;		/* default 1 */
	uint32_t hysteresis;
	struct cfg_script quorum_up, quorum_down;
	struct cfg_chk_timing t;	/* defaults for real servers and checkers */
	struct cfg_sorry sorry;
	struct cfg_rs *rs;
	/* Filled by cfg_check_validate(). */
	const struct cfg_vsg *eff_group;	/* GROUP; borrowed */
	int eff_family;			/* AF_INET or AF_INET6 */
};

enum cfg_vsg_kind {
	CFG_VSG_ADDR,		/* one address, or a prefix when addr.has_prefix */
	CFG_VSG_RANGE,		/* addr .. last, inclusive */
	CFG_VSG_FWMARK,
	CFG_VSG__COUNT,
};

struct cfg_vsg_entry {
	enum cfg_vsg_kind kind;
	struct cfg_addr addr;
	struct cfg_addr last;	/* RANGE */
	uint16_t port;		/* ADDR/RANGE; 0 = none */
	uint32_t fwmark;	/* FWMARK */
	int family;		/* FWMARK: AF_UNSPEC, AF_INET, AF_INET6 */
	const char *file;
	unsigned line;
};

struct cfg_vsg {
	struct cfg_vsg *next;
	const char *file;
	unsigned line;
	char *name;
	struct cfg_vsg_entry *v;
	size_t n;
};

/* Top-level SSL { } block: the TLS context of every SSL_GET. */
struct cfg_ssl {
	bool set;
	const char *file;
	unsigned line;
	char *password;
	char *ca;
	char *certificate;
	char *key;
};

struct cfg_check {
	struct cfg_vs *vs;	/* in file order */
	struct cfg_vsg *vsg;	/* in file order */
	struct cfg_ssl ssl;
};

/* Names, e.g. "wlc", "TUN", "HTTP_GET"; "?" when out of range. */
const char *cfg_lvs_sched_name(enum cfg_lvs_sched s);
const char *cfg_lvs_fwd_name(enum cfg_lvs_fwd f);
const char *cfg_lvs_proto_name(enum cfg_lvs_proto p);
const char *cfg_chk_type_name(enum cfg_chk_type t);
const char *cfg_dns_type_name(enum cfg_dns_type t);

/* "virtual_server 10.0.0.1 80", "virtual_server fwmark 3",
 * "virtual_server group G" and "real_server 10.0.0.2 80": the labels the
 * diagnostics use. Writes into buf (CFG_VS_LABEL_LEN bytes hold any address
 * label; a long group name is cut), returns buf. */
#define CFG_VS_LABEL_LEN 80
const char *cfg_vs_label(const struct cfg_vs *vs, char *buf, size_t len);
const char *cfg_rs_label(const struct cfg_rs *rs, char *buf, size_t len);

#ifdef ALIVED_CFG_CHECK_INTERNAL
/*
 * Shared by src/config/kw_check.c, kw_checkers.c and validate_check.c only;
 * the keyword-table types come from "config/cfg.h".
 */
struct cfg_ctx;
struct cfg_node;

/* 1 year: the upper bound of every timer keyword. */
#define CFG_CHK_MAX_US (365ULL * 86400ULL * 1000000ULL)

/* The timer/retry keywords of struct cfg_chk_timing at member m of type T.
 * alpha is a FUNC (tri-state) and is listed by each table itself. */
#define CFG_CHK_TIMING_KWS(T, m)                                                       \
	{ .name = "delay_loop", .type = CFG_T_FIXED, CFG_FIELD(T, m.delay_loop_us),      \
	  .min = 1, .max = CFG_CHK_MAX_US, .scale = 1000000 },                           \
	{ .name = "connect_timeout", .type = CFG_T_FIXED,                                \
	  CFG_FIELD(T, m.connect_timeout_us), .min = 1, .max = CFG_CHK_MAX_US,           \
	  .scale = 1000000 },                                                            \
	{ .name = "retry", .type = CFG_T_UINT, CFG_FIELD(T, m.retry), .min = 0,         \
	  .max = UINT32_MAX - 1 },                                                       \
	{ .name = "nb_get_retry", .type = CFG_T_UINT, CFG_FIELD(T, m.retry), .min = 0,  \
	  .max = UINT32_MAX - 1, .alias_of = "retry",                                    \
	  .flags = CFG_KW_DEPRECATED | CFG_KW_NODUMP },                                  \
	{ .name = "delay_before_retry", .type = CFG_T_FIXED,                             \
	  CFG_FIELD(T, m.delay_before_retry_us), .min = 0, .max = CFG_CHK_MAX_US,        \
	  .scale = 1000000 },                                                            \
	{ .name = "warmup", .type = CFG_T_FIXED, CFG_FIELD(T, m.warmup_us), .min = 0,    \
	  .max = CFG_CHK_MAX_US, .scale = 1000000 }

/* Defines static NAME_parse()/NAME_dump() of a tri-state keyword stored in
 * the int8_t member m of type T. */
#define CFG_CHK_TRI_FUNCS(NAME, T, m, KW)                                              \
	static int NAME##_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n) \
	{                                                                               \
		return cfg_chk_tri_parse(ctx, &((T *)obj)->m, n);                       \
	}                                                                               \
	static void NAME##_dump(FILE *out, const void *obj, int indent)                 \
	{                                                                               \
		cfg_chk_tri_dump(out, ((const T *)obj)->m, KW, indent);                 \
	}

void cfg_chk_timing_init(struct cfg_chk_timing *t);
/* "kw" alone = on; "kw BOOL". */
int cfg_chk_tri_parse(struct cfg_ctx *ctx, int8_t *v, const struct cfg_node *n);
void cfg_chk_tri_dump(FILE *out, int8_t v, const char *kw, int indent);

/* Parses one checker block (n->kw is HTTP_GET, ...) and appends it to *head. */
int cfg_chk_parse(struct cfg_ctx *ctx, struct cfg_checker **head, const struct cfg_node *n);
void cfg_chk_dump_all(FILE *out, const struct cfg_checker *head, int indent);
void cfg_chk_free_all(struct cfg_checker *head);
#endif /* ALIVED_CFG_CHECK_INTERNAL */

#endif
