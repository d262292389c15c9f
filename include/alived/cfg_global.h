/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * global_defs and the few process-wide top-level keywords (net_namespace,
 * instance, linkbeat_use_polling, ...) as one plain struct. Filled by
 * src/config/kw_global.c, checked by cfg_global_validate(), read by the
 * engines. Immutable after cfg_load(); cfg_free() frees it.
 *
 * Conventions: char * fields are owned, NULL when not given. Times carry
 * their unit in the name. A "tristate" is int8_t: CFG_GTRI_UNSET (-1, not
 * given), 0 or 1.
 */
#ifndef ALIVED_CFG_GLOBAL_H
#define ALIVED_CFG_GLOBAL_H

#include <stdbool.h>
#include <stdint.h>
#include "alived/config.h"

#define CFG_GTRI_UNSET		(-1)

/* Defaults, in the unit of the matching field. */
#define CFG_GLOBAL_SMTP_PORT			25
#define CFG_GLOBAL_SMTP_CONNECT_TIMEOUT_S	30
#define CFG_GLOBAL_SCRIPT_TIMEOUT_S		10
#define CFG_GLOBAL_GARP_MASTER_DELAY_S		5
#define CFG_GLOBAL_GARP_MASTER_REPEAT		5
#define CFG_GLOBAL_GARP_REFRESH_REPEAT		1
#define CFG_GLOBAL_DOWN_TIMER_ADVERTS		3
#define CFG_GLOBAL_LVS_SYNCD_PORT		8848
#define CFG_GLOBAL_CHILD_WAIT_TIME_S		5
#define CFG_GLOBAL_MIN_AUTO_PRIO_DELAY_US	1000000
#define CFG_GLOBAL_RLIMIT_RTTIME_US		10000
#define CFG_GLOBAL_RX_BUFS_MULTIPLIER		3
#define CFG_GLOBAL_NFT_TABLE			"keepalived"
#define CFG_GLOBAL_NFT_PRIORITY			(-1)
#define CFG_GLOBAL_NFT_IPVS_START_FWMARK	1000
#define CFG_GLOBAL_DBUS_SERVICE			"org.keepalived.Vrrp1"

/* "PATH [USER [GROUP]]": scripts and FIFOs of global_defs. */
struct cfg_global_cmd {
	char *path;		/* a script's command line (one word, may hold spaces) */
	char *user;		/* NULL = script_user / the daemon's user */
	char *group;		/* NULL = the user's group */
};

/* A set of CPU numbers (vrrp_cpu_affinity ...), in the order given. */
struct cfg_cpuset {
	uint16_t *cpu;
	unsigned n;
};

/* lvs_sync_daemon IFNAME [[inst] INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group A] */
struct cfg_lvs_syncd {
	char *ifname;		/* NULL: no sync daemon */
	char *vrrp_instance;	/* NULL: run master and backup daemons always */
	int16_t syncid;		/* 0..255; -1 = the instance's VRID (or 0) */
	uint16_t maxlen;	/* 0 = kernel default */
	uint16_t port;		/* UDP; default 8848 */
	uint8_t ttl;		/* 0 = kernel default */
	struct cfg_addr group;	/* AF_UNSPEC = default 224.0.0.81 */
};

enum cfg_lvs_flush_on_stop {
	CFG_LVS_FLUSH_STOP_NONE,	/* remove each virtual and real server */
	CFG_LVS_FLUSH_STOP_ALL,		/* flush the whole IPVS table */
	CFG_LVS_FLUSH_STOP_VS,		/* remove our virtual servers, not each real server */
	CFG_LVS_FLUSH_STOP__COUNT,
};

enum cfg_rx_bufs_policy {
	CFG_RX_BUFS_DEFAULT,	/* the system's rmem_default */
	CFG_RX_BUFS_MTU,	/* sum of MTU * multiplier */
	CFG_RX_BUFS_ADVERT,	/* sum of advert size * multiplier */
	CFG_RX_BUFS_SIZE,	/* vrrp_rx_bufs_size bytes */
	CFG_RX_BUFS__COUNT,
};

enum cfg_linkbeat_type {
	CFG_LINKBEAT_DEFAULT,	/* MII, else ETHTOOL, else IOCTL */
	CFG_LINKBEAT_MII,
	CFG_LINKBEAT_ETHTOOL,
	CFG_LINKBEAT_IOCTL,
	CFG_LINKBEAT__COUNT,
};

/* One line of the top-level linkbeat_interfaces { IFNAME [TYPE] } block. */
struct cfg_linkbeat_if {
	struct cfg_linkbeat_if *next;
	char *ifname;
	enum cfg_linkbeat_type type;
	const char *file;	/* borrowed: lives as long as the cfg_root */
	unsigned line;
};

/* A netlink socket receive buffer setting ("*_rcv_bufs N", "*_rcv_bufs_force"). */
struct cfg_rcvbuf {
	uint32_t bytes;		/* 0 = system default */
	bool force;		/* SO_RCVBUFFORCE */
};

struct cfg_global {
	/* ---- top level, outside global_defs (also accepted inside) ---- */
	char *net_namespace;
	char *net_namespace_ipvs;	/* "" = the default namespace */
	bool namespace_with_ipsets;
	char *instance;			/* names pid files and D-Bus/SNMP objects */
	bool use_pid_dir;
	bool linkbeat_use_polling;
	uint32_t child_wait_time_s;
	struct cfg_linkbeat_if *linkbeat_ifs;

	/* ---- identity and processes ---- */
	char *router_id;		/* NULL = the host name */
	char *tmp_config_directory;
	char *config_save_dir;
	bool process_names;		/* use the default process names */
	char *process_name;
	char *vrrp_process_name;
	char *checker_process_name;
	struct cfg_global_cmd startup_script;
	struct cfg_global_cmd shutdown_script;
	uint32_t startup_script_timeout_s;	/* 1..1000 */
	uint32_t shutdown_script_timeout_s;

	/* ---- email ---- */
	struct cfg_strlist notification_email;
	char *notification_email_from;	/* NULL = alived@<host name> */
	char *smtp_server;		/* address or host name as written */
	struct cfg_addr smtp_server_addr;	/* AF_UNSPEC when a host name */
	uint16_t smtp_server_port;	/* default 25 */
	char *smtp_helo_name;		/* NULL = the host name */
	uint32_t smtp_connect_timeout_s;
	int8_t smtp_alert;		/* tristates: the default of each smtp_alert */
	int8_t smtp_alert_vrrp;
	int8_t smtp_alert_checker;
	bool checker_log_all_failures;
	bool no_email_faults;
	bool no_checker_emails;

	/* ---- VRRP defaults ---- */
	struct cfg_addr vrrp_mcast_group4;	/* default 224.0.0.18 */
	struct cfg_addr vrrp_mcast_group6;	/* default ff02::12 */
	char *default_interface;	/* static addresses; NULL = "eth0" */
	uint32_t vrrp_garp_master_delay_s;	/* 0 = no second burst */
	uint32_t vrrp_garp_master_repeat;
	int32_t vrrp_garp_lower_prio_delay_s;	/* -1 = vrrp_garp_master_delay */
	int32_t vrrp_garp_lower_prio_repeat;	/* -1 = vrrp_garp_master_repeat */
	uint32_t vrrp_garp_master_refresh_s;	/* 0 = no refresh */
	uint32_t vrrp_garp_master_refresh_repeat;
	uint32_t vrrp_garp_interval_us;
	uint32_t vrrp_gna_interval_us;
	bool vrrp_min_garp;
	uint32_t vrrp_garp_extra_if_s;		/* 0 = off */
	bool vrrp_garp_extra_if_all;
	uint32_t vrrp_down_timer_adverts;	/* 1..100 */
	bool vrrp_lower_prio_no_advert;
	bool vrrp_higher_prio_send_advert;
	uint8_t vrrp_version;			/* 2 or 3 */
	bool vrrp_check_unicast_src;
	bool vrrp_skip_check_adv_addr;
	bool vrrp_strict;
	bool vrrp_notify_priority_changes;
	bool log_unknown_vrids;
	uint32_t vrrp_startup_delay_us;
	char *vmac_prefix;			/* NULL = "vrrp" */
	char *vmac_addr_prefix;			/* NULL = vmac_prefix */
	bool disable_local_igmp;
	enum cfg_rx_bufs_policy vrrp_rx_bufs_policy;
	uint32_t vrrp_rx_bufs_size;		/* CFG_RX_BUFS_SIZE */
	uint32_t vrrp_rx_bufs_multiplier;

	/* ---- firewall ---- */
	bool nftables;
	char *nftables_table;			/* NULL = "keepalived" */
	int32_t nftables_priority;
	bool nftables_counters;
	bool nftables_ifindex;
	bool nftables_ipvs;
	char *nftables_ipvs_table;		/* NULL = "keepalived" */
	int32_t nftables_ipvs_priority;
	uint32_t nftables_ipvs_start_fwmark;
	bool vrrp_iptables;
	char *vrrp_iptables_in;			/* NULL = "INPUT" */
	char *vrrp_iptables_out;		/* NULL = "OUTPUT" when given */
	bool vrrp_ipsets_given;
	struct cfg_strlist vrrp_ipsets;		/* up to 5 names; empty = no ipsets */

	/* ---- LVS ---- */
	struct cfg_lvs_syncd lvs_syncd;
	uint32_t lvs_timeout_tcp_s;		/* 0 = leave unchanged */
	uint32_t lvs_timeout_tcpfin_s;
	uint32_t lvs_timeout_udp_s;
	bool lvs_flush;
	enum cfg_lvs_flush_on_stop lvs_flush_on_stop;
	bool rs_init_notifies;

	/* ---- process scheduling ---- */
	int8_t max_auto_priority;		/* -1..99; 0 = off */
	uint32_t min_auto_priority_delay_us;
	int8_t vrrp_priority;			/* nice: -20..19 */
	int8_t checker_priority;
	bool vrrp_no_swap;
	bool checker_no_swap;
	uint8_t vrrp_rt_priority;		/* 0 = not realtime; 1..99 */
	uint8_t checker_rt_priority;
	uint32_t vrrp_rlimit_rttime_us;
	uint32_t checker_rlimit_rttime_us;
	struct cfg_cpuset vrrp_cpu_affinity;
	struct cfg_cpuset checker_cpu_affinity;

	/* ---- SNMP and D-Bus ---- */
	char *snmp_socket;			/* NULL = net-snmp's default */
	bool enable_snmp_vrrp;
	bool enable_snmp_checker;
	bool enable_snmp_rfcv2;
	bool enable_snmp_rfcv3;
	bool enable_traps;
	bool enable_dbus;
	bool enable_dbus_compat;		/* also serve org.keepalived.Vrrp1; default on */
	char *dbus_service_name;		/* NULL = org.keepalived.Vrrp1 */

	/* ---- scripts and notification FIFOs ---- */
	char *script_user;			/* NULL = keepalived_script or our user */
	char *script_group;
	bool enable_script_security;
	struct cfg_global_cmd notify_fifo;
	struct cfg_global_cmd notify_fifo_script;
	struct cfg_global_cmd vrrp_notify_fifo;
	struct cfg_global_cmd vrrp_notify_fifo_script;
	struct cfg_global_cmd lvs_notify_fifo;
	struct cfg_global_cmd lvs_notify_fifo_script;
	bool fifo_write_vrrp_states_on_reload;

	/* ---- interfaces and netlink ---- */
	bool dynamic_interfaces;
	bool allow_if_changes;
	struct cfg_rcvbuf vrrp_netlink_cmd_rcv_bufs;
	struct cfg_rcvbuf vrrp_netlink_monitor_rcv_bufs;
	struct cfg_rcvbuf lvs_netlink_cmd_rcv_bufs;
	struct cfg_rcvbuf lvs_netlink_monitor_rcv_bufs;
	struct cfg_rcvbuf process_monitor_rcv_bufs;

	/* ---- reload and files ---- */
	bool reload_check_config;		/* accepted; alived always checks */
	char *reload_check_config_log;
	char *reload_time_file;
	bool reload_repeat;
	bool reload_file_given;
	char *reload_file;			/* NULL with reload_file_given: default name */
	bool data_use_instance;
	bool umask_given;
	uint32_t umask;				/* mode bits */
	bool random_seed_given;
	uint32_t random_seed;

	const char *file;			/* first global_defs; borrowed */
	unsigned line;
};

#endif
