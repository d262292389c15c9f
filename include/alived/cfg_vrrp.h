/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VRRP side of the configuration as plain structs: vrrp_instance,
 * vrrp_sync_group, vrrp_script, track_file, vrrp_track_process, the static
 * addresses/routes/rules and the few less common top-level blocks. The
 * parser (src/config/kw_vrrp*.c, kw_static.c) fills them, cfg_vrrp_validate()
 * cross-checks them and resolves the "effective" fields, and the engines
 * read them at run time. Immutable after cfg_load(); cfg_free() frees all.
 *
 * Conventions: every list is singly linked through `next`, in file order.
 * Every named object and every list entry carries the file and line of its
 * head (file is borrowed from the statement tree the cfg_root keeps). A
 * "tristate" is int8_t: CFG_VTRI_UNSET (use the global default), 0 or 1.
 */
#ifndef ALIVED_CFG_VRRP_H
#define ALIVED_CFG_VRRP_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "alived/config.h"

#define CFG_VTRI_UNSET	(-1)

/* Address scopes, with the values of rtnetlink's RT_SCOPE_*. */
#define CFG_SCOPE_GLOBAL	0
#define CFG_SCOPE_SITE		200
#define CFG_SCOPE_LINK		253
#define CFG_SCOPE_HOST		254
#define CFG_SCOPE_NOWHERE	255

/* preferred_lft forever (the kernel's infinite lifetime) */
#define CFG_LFT_FOREVER		UINT32_MAX

/*
 * A value from one of iproute2's name tables (route tables, protocols):
 * a number, a built-in name (stored as its number) or another name, kept
 * as written for the engine to look up in /etc/iproute2 at run time.
 */
struct cfg_rtid {
	uint32_t id;		/* valid when set && !name */
	char *name;		/* owned; a name that is not built in */
	bool set;
};

/* A notify script: notify_master "/path arg" [user [group]]. */
struct cfg_notify {
	char *script;		/* owned; command line as written; NULL = none */
	char *user;		/* owned; NULL = global script_user */
	char *group;		/* owned; NULL = the user's group */
};

/* ------------------------------------------------------------------ */
/* Tracking references (track_interface { eth0 weight 2 reverse } ...) */

enum cfg_track_kind {
	CFG_TRACK_IF,		/* track_interface: name is an interface */
	CFG_TRACK_SCRIPT,	/* track_script: name of a vrrp_script */
	CFG_TRACK_FILE,		/* track_file: name of a track_file */
	CFG_TRACK_PROCESS,	/* track_process: name of a vrrp_track_process */
	CFG_TRACK_BFD,		/* track_bfd: name of a bfd_instance (not supported) */
	CFG_TRACK__COUNT,
};

struct cfg_track_ref {
	struct cfg_track_ref *next;
	char *name;		/* owned */
	int32_t weight;		/* valid when has_weight; else the tracked object's */
	bool has_weight;
	bool reverse;
	const char *file;
	unsigned line;
};

/* ------------------------------------------------------------------ */
/* Addresses, routes, rules (virtual_* in instances, static_* at top level) */

enum cfg_brd {
	CFG_BRD_NONE,		/* no brd given */
	CFG_BRD_ADDR,		/* brd ADDR */
	CFG_BRD_SET,		/* brd +: the prefix with all host bits set */
	CFG_BRD_CLEAR,		/* brd -: the prefix with all host bits clear */
	CFG_BRD__COUNT,
};

struct cfg_vip {
	struct cfg_vip *next;
	struct cfg_addr addr;		/* has_prefix false = /32 or /128 */
	struct cfg_addr brd;		/* CFG_BRD_ADDR only */
	struct cfg_addr peer;		/* AF_UNSPEC = none */
	enum cfg_brd brd_mode;
	char dev[IFNAMSIZ];		/* "" = the instance's interface */
	char label[IFNAMSIZ];		/* "" = none */
	uint8_t scope;			/* CFG_SCOPE_*, default global */
	uint32_t preferred_lft_s;	/* valid when has_preferred_lft; CFG_LFT_FOREVER */
	bool has_preferred_lft;
	bool home, nodad, mngtmpaddr, noprefixroute, autojoin;
	bool no_track;			/* deletion does not make the instance leave MASTER */
	bool use_vmac;			/* put this address on a VMAC of dev */
	char *track_group;		/* owned; static_ipaddress only */
	const char *file;
	unsigned line;
};

enum cfg_route_type {
	CFG_RT_UNICAST,		/* default; not printed */
	CFG_RT_LOCAL,
	CFG_RT_BROADCAST,
	CFG_RT_ANYCAST,
	CFG_RT_MULTICAST,
	CFG_RT_BLACKHOLE,
	CFG_RT_UNREACHABLE,
	CFG_RT_PROHIBIT,
	CFG_RT_THROW,
	CFG_RT_NAT,
	CFG_RT__COUNT,
};

/* Route metrics (the kernel's RTAX_* set); rtt, rttvar, rto_min in ms. */
enum cfg_rtax {
	CFG_RTAX_MTU,
	CFG_RTAX_WINDOW,
	CFG_RTAX_RTT,
	CFG_RTAX_RTTVAR,
	CFG_RTAX_SSTHRESH,
	CFG_RTAX_CWND,
	CFG_RTAX_ADVMSS,
	CFG_RTAX_REORDERING,
	CFG_RTAX_HOPLIMIT,
	CFG_RTAX_INITCWND,
	CFG_RTAX_FEATURES,	/* bit 0: ecn */
	CFG_RTAX_RTO_MIN,
	CFG_RTAX_INITRWND,
	CFG_RTAX_QUICKACK,
	CFG_RTAX_FASTOPEN_NO_COOKIE,
	CFG_RTAX__COUNT,
};

#define CFG_RTAX_FEATURE_ECN	0x1u

struct cfg_nexthop {
	struct cfg_nexthop *next;
	struct cfg_addr via;		/* AF_UNSPEC = none */
	char dev[IFNAMSIZ];
	uint16_t weight;		/* 1..256; 0 = not given (1) */
	bool onlink;
	uint32_t realms;		/* valid when has_realms: from << 16 | to */
	bool has_realms;
	bool deprecated_or;		/* written as "or ADDR" (printed as nexthop) */
};

struct cfg_route {
	struct cfg_route *next;
	int family;			/* AF_INET or AF_INET6 */
	bool family_forced;		/* inet6 / inet written */
	enum cfg_route_type type;
	struct cfg_addr dst;		/* "default" is stored as 0/0 */
	struct cfg_addr src;		/* preferred source (src); AF_UNSPEC = none */
	struct cfg_addr from;		/* IPv6 source prefix (from) */
	struct cfg_addr via;		/* AF_UNSPEC = none */
	char dev[IFNAMSIZ];
	struct cfg_rtid table;
	struct cfg_rtid protocol;
	uint32_t metric;		/* valid when has_metric (metric/priority/preference) */
	bool has_metric;
	uint8_t scope;			/* valid when has_scope */
	bool has_scope;
	uint8_t tos;			/* valid when has_tos */
	bool has_tos;
	uint32_t realms;		/* valid when has_realms: from << 16 | to */
	bool has_realms;
	uint8_t pref;			/* IPv6 router preference 0 low, 1 medium, 3 high */
	bool has_pref;
	uint32_t expires_s;		/* valid when has_expires */
	bool has_expires;
	bool onlink, append, no_track;
	uint32_t metrics[CFG_RTAX__COUNT];
	uint32_t metrics_set;		/* bit (1 << CFG_RTAX_x) when given */
	uint32_t metrics_lock;		/* bit when given with "lock" */
	char *congctl;			/* owned; TCP congestion control */
	bool congctl_lock;
	char *vrf;			/* owned; vrf NAME */
	struct cfg_nexthop *nexthops;	/* multipath */
	char *track_group;		/* owned; static_routes only */
	const char *file;
	unsigned line;
};

enum cfg_rule_action {
	CFG_RULE_ACT_TABLE,		/* lookup (table given, or main) */
	CFG_RULE_ACT_GOTO,
	CFG_RULE_ACT_NOP,
	CFG_RULE_ACT_BLACKHOLE,
	CFG_RULE_ACT_UNREACHABLE,
	CFG_RULE_ACT_PROHIBIT,
	CFG_RULE_ACT__COUNT,
};

struct cfg_rule {
	struct cfg_rule *next;
	int family;			/* AF_INET or AF_INET6 */
	bool family_forced;
	bool invert;			/* not */
	struct cfg_addr from;		/* AF_UNSPEC = all */
	struct cfg_addr to;		/* AF_UNSPEC = all */
	uint32_t priority;		/* valid when has_priority (preference) */
	bool has_priority;
	enum cfg_rule_action action;
	struct cfg_rtid table;		/* ACT_TABLE */
	uint32_t goto_target;		/* ACT_GOTO: rule priority */
	char iif[IFNAMSIZ];		/* "" = any */
	char oif[IFNAMSIZ];
	uint32_t fwmark, fwmask;	/* valid when has_fwmark; mask 0 = not given */
	bool has_fwmark;
	uint8_t tos;			/* valid when has_tos */
	bool has_tos;
	uint32_t realms;		/* valid when has_realms */
	bool has_realms;
	int32_t suppress_prefixlen;	/* -1 = not given */
	int64_t suppress_ifgroup;	/* -1 = not given */
	uint32_t uid_start, uid_end;	/* valid when has_uidrange */
	bool has_uidrange;
	bool l3mdev;
	struct cfg_rtid protocol;
	int16_t ip_proto;		/* -1 = not given */
	uint16_t sport_lo, sport_hi;	/* 0/0 = not given */
	uint16_t dport_lo, dport_hi;
	bool no_track;
	char *track_group;		/* owned; static_rules only */
	const char *file;
	unsigned line;
};

/* ------------------------------------------------------------------ */
/* vrrp_instance */

enum cfg_vrrp_state {
	CFG_VRRP_STATE_UNSET,	/* not given: BACKUP (MASTER for an owner) */
	CFG_VRRP_STATE_BACKUP,
	CFG_VRRP_STATE_MASTER,
	CFG_VRRP_STATE__COUNT,
};

enum cfg_vrrp_auth_type {
	CFG_VRRP_AUTH_NONE,
	CFG_VRRP_AUTH_PASS,	/* RFC 2338 section 5.3.6.1 simple text password */
	CFG_VRRP_AUTH_AH,	/* IPsec AH (RFC 2338 section 5.3.6.2) */
	CFG_VRRP_AUTH__COUNT,
};

#define CFG_VRRP_AUTH_PASS_MAX	8	/* RFC 2338 section 5.3.10: 8 octets */

struct cfg_vrrp_auth {
	int type;			/* enum cfg_vrrp_auth_type */
	char pass[CFG_VRRP_AUTH_PASS_MAX + 1];
};

struct cfg_unicast_peer {
	struct cfg_unicast_peer *next;
	struct cfg_addr addr;
	int16_t min_ttl, max_ttl;	/* -1 = not given */
	const char *file;
	unsigned line;
};

enum cfg_old_cksum {
	CFG_OLD_CKSUM_AUTO,	/* not given: detect the pre-1.3.6 v3 checksum */
	CFG_OLD_CKSUM_ON,	/* old_unicast_checksum */
	CFG_OLD_CKSUM_NEVER,	/* old_unicast_checksum never */
	CFG_OLD_CKSUM__COUNT,
};

enum cfg_ipvlan_mode {
	CFG_IPVLAN_BRIDGE,
	CFG_IPVLAN_PRIVATE,
	CFG_IPVLAN_VEPA,
	CFG_IPVLAN__COUNT,
};

enum cfg_vrrp_notify {
	CFG_NOTIFY_MASTER,
	CFG_NOTIFY_BACKUP,
	CFG_NOTIFY_FAULT,
	CFG_NOTIFY_STOP,
	CFG_NOTIFY_DELETED,
	CFG_NOTIFY_MASTER_RX_LOWER_PRI,	/* instances only */
	CFG_NOTIFY_ANY,			/* "notify": every transition */
	CFG_NOTIFY__COUNT,
};

struct cfg_vrrp_inst {
	struct cfg_vrrp_inst *next;
	char *name;				/* owned */
	const char *file;
	unsigned line;

	int state;				/* enum cfg_vrrp_state; MASTER for an owner (255) */
	char interface[IFNAMSIZ];		/* "" = not given (an error) */
	char *vrf;				/* owned */
	bool use_vmac;
	char vmac_name[IFNAMSIZ];		/* "" = vrrp.VRID */
	uint8_t vmac_mac[6];
	uint8_t vmac_mac_len;			/* 0, 5 (VRID completes it) or 6 */
	bool use_vmac_addr;
	bool vmac_xmit_base;
	bool use_ipvlan;
	char ipvlan_name[IFNAMSIZ];
	struct cfg_addr ipvlan_addr;
	int ipvlan_mode;			/* enum cfg_ipvlan_mode */
	bool native_ipv6;			/* deprecated: the VIPs decide */
	bool dont_track_primary;
	struct cfg_track_ref *track[CFG_TRACK__COUNT];

	struct cfg_addr mcast_src_ip;		/* AF_UNSPEC = primary address */
	struct cfg_addr unicast_src_ip;
	struct cfg_addr mcast_dst_ip;		/* AF_UNSPEC = 224.0.0.18 / ff02::12 */
	bool track_src_ip;
	uint8_t version;			/* 2, 3, or 0 = global vrrp_version */
	bool check_unicast_src;
	struct cfg_unicast_peer *unicast_peers;
	bool unicast_fault_no_peer;
	int16_t unicast_ttl;			/* -1 = default (255) */
	int old_unicast_checksum;		/* enum cfg_old_cksum */

	/* -1 = the global vrrp_garp_* value */
	int32_t garp_master_delay_s;
	int32_t garp_master_repeat;
	int32_t garp_master_refresh_s;
	int32_t garp_master_refresh_repeat;
	int32_t garp_lower_prio_delay_s;
	int32_t garp_lower_prio_repeat;
	int32_t garp_extra_if_s;		/* -1 = global; 0 = off */
	bool garp_extra_if_all;
	uint8_t down_timer_adverts;		/* 0 = global (3) */
	int8_t lower_prio_no_advert;		/* tristate */
	int8_t higher_prio_send_advert;		/* tristate */

	uint8_t vrid;				/* 0 = not given (an error) */
	uint8_t priority;			/* 1..255, 255 = address owner */
	uint32_t advert_int_cs;			/* as configured, centiseconds */
	struct cfg_vrrp_auth auth;		/* cleared for version 3 */
	struct cfg_vip *vips;			/* virtual_ipaddress */
	struct cfg_vip *evips;			/* virtual_ipaddress_excluded */
	bool promote_secondaries;
	struct cfg_route *routes;		/* virtual_routes */
	struct cfg_rule *rules;			/* virtual_rules */
	int8_t accept;				/* tristate: accept / no_accept */
	bool nopreempt;
	uint32_t preempt_delay_ms;
	int8_t skip_check_adv_addr;		/* tristate */
	int8_t strict_mode;			/* tristate */
	int8_t debug;				/* -1 = not given, else 0..4 */
	struct cfg_notify notify[CFG_NOTIFY__COUNT];
	bool notify_deleted;			/* given, with or without a script */
	int8_t notify_priority_changes;		/* tristate */
	char *notify_fifo;			/* owned; alived extension */
	int8_t smtp_alert;			/* tristate */
	uint32_t kernel_rx_buf_size;		/* bytes; 0 = default */
	bool linkbeat_use_polling;		/* deprecated: linkbeat_interfaces */
	char *lvs_sync_daemon_interface;	/* owned; deprecated: global lvs_sync_daemon */

	/* Lines of keywords cited by cfg_vrrp_validate() (0 = not given). */
	unsigned state_line, priority_line, advert_int_line, vrid_line, version_line;
	unsigned auth_line, interface_line, nopreempt_line;

	/* Resolved by cfg_vrrp_validate(). */
	int family;				/* AF_INET or AF_INET6 */
	uint8_t eff_version;			/* 2 or 3 */
	uint32_t eff_advert_int_cs;		/* rounded to whole seconds for v2 */
	bool unicast;				/* has unicast peers */
	struct cfg_vrrp_sync *sync;		/* borrowed: the group it is in */
};

/* ------------------------------------------------------------------ */
/* vrrp_sync_group */

struct cfg_vrrp_sync {
	struct cfg_vrrp_sync *next;
	char *name;				/* owned */
	const char *file;
	unsigned line;
	struct cfg_strlist group;		/* instance names */
	unsigned group_line;			/* 0 = no group { } block */
	struct cfg_track_ref *track[CFG_TRACK__COUNT];
	struct cfg_notify notify[CFG_NOTIFY__COUNT];	/* no MASTER_RX_LOWER_PRI */
	bool notify_deleted;
	int8_t notify_priority_changes;		/* tristate */
	int8_t smtp_alert;			/* tristate */
	bool global_tracking;			/* deprecated */
	bool sync_group_tracking_weight;
};

/* ------------------------------------------------------------------ */
/* vrrp_script, track_file, vrrp_track_process */

struct cfg_vrrp_script {
	struct cfg_vrrp_script *next;
	char *name;
	const char *file;
	unsigned line;
	char *script;				/* owned; NULL = missing (an error) */
	uint32_t interval_ms;			/* default 1 s */
	uint32_t timeout_ms;			/* 0 = interval */
	int32_t weight;				/* -253..253 */
	bool weight_reverse;
	uint32_t rise, fall;			/* default 1 */
	char *user, *group;			/* owned; NULL = global script_user */
	bool init_fail;
};

struct cfg_track_file {
	struct cfg_track_file *next;
	char *name;
	const char *file;
	unsigned line;
	char *path;				/* owned; NULL = missing (an error) */
	int32_t weight;				/* default 1 */
	bool weight_reverse;
	bool init_file;				/* init_file given */
	int64_t init_value;			/* default 0 */
	bool init_overwrite;
};

enum cfg_param_match {
	CFG_PARAM_MATCH_EXACT,			/* not given */
	CFG_PARAM_MATCH_PARTIAL,
	CFG_PARAM_MATCH_INITIAL,
	CFG_PARAM_MATCH__COUNT,
};

struct cfg_track_process {
	struct cfg_track_process *next;
	char *name;
	const char *file;
	unsigned line;
	struct cfg_strlist process;		/* argv[0] and parameters; n = 0: missing */
	int param_match;			/* enum cfg_param_match */
	int32_t weight;				/* default 1 */
	bool weight_reverse;
	uint32_t quorum;			/* default 1 */
	uint32_t quorum_max;			/* UINT32_MAX = no maximum */
	uint32_t fork_delay_ms;
	uint32_t terminate_delay_ms;
	bool full_command;
};

/* ------------------------------------------------------------------ */
/* Less common top-level blocks */

/* track_group NAME { group { VI_1 ... } }: instances that track static entries. */
struct cfg_track_group {
	struct cfg_track_group *next;
	char *name;
	const char *file;
	unsigned line;
	struct cfg_strlist group;
};

/* interface_up_down_delays { eth0 DOWN [UP] } */
struct cfg_if_delay {
	struct cfg_if_delay *next;
	char name[IFNAMSIZ];
	uint32_t down_delay_us, up_delay_us;
	const char *file;
	unsigned line;
};

/* garp_group { garp_interval, gna_interval, interface | interfaces { } } */
struct cfg_garp_group {
	struct cfg_garp_group *next;
	const char *file;
	unsigned line;
	uint32_t garp_interval_us;		/* 0 = not given */
	uint32_t gna_interval_us;
	char *interface;			/* owned */
	struct cfg_strlist interfaces;
};

/* ------------------------------------------------------------------ */

struct cfg_vrrp {
	struct cfg_vrrp_inst *insts;
	struct cfg_vrrp_sync *syncs;
	struct cfg_vrrp_script *scripts;
	struct cfg_track_file *track_files;
	struct cfg_track_process *track_procs;
	struct cfg_track_group *track_groups;
	struct cfg_vip *static_vips;		/* static_ipaddress */
	struct cfg_route *static_routes;
	struct cfg_rule *static_rules;
	struct cfg_if_delay *if_delays;
	struct cfg_garp_group *garp_groups;
};

/* Lookups by name in a parsed configuration; NULL when absent. */
const struct cfg_vrrp_inst *cfg_vrrp_find_inst(const struct cfg_vrrp *v, const char *name);
const struct cfg_vrrp_script *cfg_vrrp_find_script(const struct cfg_vrrp *v, const char *name);
const struct cfg_track_file *cfg_vrrp_find_track_file(const struct cfg_vrrp *v,
						      const char *name);
const struct cfg_track_process *cfg_vrrp_find_track_process(const struct cfg_vrrp *v,
							    const char *name);

/* Names used by the parser and the dump (designated tables, sized __COUNT). */
const char *cfg_vrrp_scope_name(unsigned scope);	/* NULL = print the number */
extern const char *const cfg_track_kind_kw[CFG_TRACK__COUNT];	/* "track_interface" ... */
extern const char *const cfg_vrrp_notify_kw[CFG_NOTIFY__COUNT];	/* "notify_master" ... */
extern const char *const cfg_route_type_name[CFG_RT__COUNT];
extern const char *const cfg_rtax_name[CFG_RTAX__COUNT];

/* ------------------------------------------------------------------ */
/*
 * Parser internals shared by src/config/kw_vrrp.c, kw_vrrp_track.c,
 * kw_static.c and validate_vrrp.c. Not for the engines. The types are
 * those of src/config/cfg.h and lex.h (incomplete here on purpose).
 */
struct cfg_ctx;
struct cfg_node;

/* kw_static.c: virtual_ipaddress / virtual_routes / virtual_rules blocks. */
int cfg_vrrp_parse_vips(struct cfg_ctx *ctx, const struct cfg_node *n, bool is_static,
			struct cfg_vip **head);
int cfg_vrrp_parse_routes(struct cfg_ctx *ctx, const struct cfg_node *n, bool is_static,
			  struct cfg_route **head);
int cfg_vrrp_parse_rules(struct cfg_ctx *ctx, const struct cfg_node *n, bool is_static,
			 struct cfg_rule **head);
void cfg_vrrp_dump_vips(FILE *out, const char *kw, const struct cfg_vip *head, int indent);
void cfg_vrrp_dump_routes(FILE *out, const char *kw, const struct cfg_route *head, int indent);
void cfg_vrrp_dump_rules(FILE *out, const char *kw, const struct cfg_rule *head, int indent);
void cfg_vrrp_free_vips(struct cfg_vip *head);
void cfg_vrrp_free_routes(struct cfg_route *head);
void cfg_vrrp_free_rules(struct cfg_rule *head);
/* Copies an interface name; -EINVAL (reported, citing what) when empty or too long. */
int cfg_vrrp_ifname(struct cfg_ctx *ctx, const struct cfg_node *n, const char *what,
		    const char *s, char ret[IFNAMSIZ]);

/* kw_vrrp_track.c: track_* { } blocks and notify scripts. */
int cfg_vrrp_parse_track(struct cfg_ctx *ctx, const struct cfg_node *n, enum cfg_track_kind k,
			 struct cfg_track_ref **head);
void cfg_vrrp_dump_track(FILE *out, enum cfg_track_kind k, const struct cfg_track_ref *head,
			 int indent);
void cfg_vrrp_free_track(struct cfg_track_ref *head);
int cfg_vrrp_parse_notify(struct cfg_ctx *ctx, const struct cfg_node *n, bool optional,
			  struct cfg_notify *ret);
void cfg_vrrp_dump_notify(FILE *out, const char *kw, const struct cfg_notify *nt, int indent);
void cfg_vrrp_notify_clear(struct cfg_notify *nt);
/* Warns "KW given twice" for each repeated keyword of kws (NULL-terminated) in n's body. */
void cfg_vrrp_warn_repeats(struct cfg_ctx *ctx, const struct cfg_node *n,
			   const char *const *kws);
int cfg_vrrp_parse_tristate(struct cfg_ctx *ctx, const struct cfg_node *n, int8_t *ret);
void cfg_vrrp_dump_tristate(FILE *out, const char *kw, int8_t v, int indent);

/* Top-level parse callbacks (obj = struct cfg_root *). */
int cfg_vrrp_top_inst(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
int cfg_vrrp_top_sync(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
int cfg_vrrp_top_script(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
int cfg_vrrp_top_track_file(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
int cfg_vrrp_top_track_process(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
int cfg_vrrp_top_track_group(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
int cfg_vrrp_top_static_vips(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
int cfg_vrrp_top_static_routes(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
int cfg_vrrp_top_static_rules(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
int cfg_vrrp_top_if_delays(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
int cfg_vrrp_top_garp_group(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);

/* Dumps and frees of the objects of each file. */
void cfg_vrrp_dump_insts(FILE *out, const struct cfg_vrrp *v);
/* vrrp_script, track_file, vrrp_track_process, garp_group, interface_up_down_delays */
void cfg_vrrp_dump_tracking(FILE *out, const struct cfg_vrrp *v);
void cfg_vrrp_dump_track_groups(FILE *out, const struct cfg_vrrp *v);
void cfg_vrrp_dump_syncs(FILE *out, const struct cfg_vrrp *v);
void cfg_vrrp_dump_static(FILE *out, const struct cfg_vrrp *v);		/* static_* */
void cfg_vrrp_free_insts(struct cfg_vrrp_inst *head);
void cfg_vrrp_free_tracking(struct cfg_vrrp *v);	/* scripts ... syncs, delays, garp */
void cfg_vrrp_free_static(struct cfg_vrrp *v);		/* static_* */

#endif
