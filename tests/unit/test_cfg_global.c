// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of global_defs and the process-wide top-level keywords
 * (kw_global.c): every keyword, every error, and the dump round trip.
 */
#include <errno.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "alived/cfg_global.h"
#include "config/cfg.h"

struct g_run {
	struct cfg_diags d;
	struct cfg_root *root;
	const struct cfg_global *g;
	int rc;
};

static void g_load(struct g_run *r, const char *text)
{
	memset(r, 0, sizeof(*r));
	cfg_diags_init(&r->d);
	r->rc = cfg_load_string("g.conf", text, NULL, &r->d, &r->root);
	r->g = r->rc == 0 ? r->root->global : NULL;
}

static void g_done(struct g_run *r)
{
	cfg_free(r->root);
	cfg_diags_free(&r->d);
}

static bool g_has(const struct cfg_diags *d, enum cfg_sev sev, const char *want)
{
	char buf[1024];
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct cfg_diag *e = &d->v[i];

		if (e->line)
			snprintf(buf, sizeof(buf), "%s:%u: %s", e->file, e->line, e->msg);
		else
			snprintf(buf, sizeof(buf), "%s: %s", e->file ? e->file : "", e->msg);
		if (e->sev == sev && !strcmp(buf, want))
			return true;
	}
	for (i = 0; i < d->n; i++)
		print_message("  have: %s:%u: %s\n", d->v[i].file, d->v[i].line, d->v[i].msg);
	print_message("  want: %s\n", want);
	return false;
}

/* Diagnostics other than the "no vrrp_instance" warning of a global-only file. */
static unsigned g_other_diags(const struct cfg_diags *d)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < d->n; i++)
		if (!strstr(d->v[i].msg, "no vrrp_instance or virtual_server"))
			n++;
	return n;
}

static char *g_dump(const struct cfg_root *root)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	cfg_global_dump(root, m);
	fclose(m);
	return buf;
}

/* Loads text, dumps it, loads the dump: same dump, no new diagnostics. */
static void g_roundtrip(const char *text, const char *want)
{
	struct g_run r1, r2;
	char *d1, *d2;

	g_load(&r1, text);
	assert_int_equal(r1.rc, 0);
	d1 = g_dump(r1.root);
	if (want)
		assert_string_equal(d1, want);
	g_load(&r2, d1);
	assert_int_equal(r2.rc, 0);
	assert_int_equal(g_other_diags(&r2.d), 0);
	d2 = g_dump(r2.root);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	g_done(&r1);
	g_done(&r2);
}

static void test_defaults(void **state)
{
	struct g_run r;
	char buf[CFG_ADDRSTRLEN];
	char *d;

	(void)state;
	g_load(&r, "global_defs {\n}\n");
	assert_int_equal(r.rc, 0);
	assert_null(r.g->router_id);
	assert_int_equal(r.g->smtp_server_port, 25);
	assert_int_equal(r.g->smtp_connect_timeout_s, 30);
	assert_int_equal(r.g->smtp_alert, CFG_GTRI_UNSET);
	assert_int_equal(r.g->smtp_alert_vrrp, CFG_GTRI_UNSET);
	assert_string_equal(cfg_addr_fmt(&r.g->vrrp_mcast_group4, buf, sizeof(buf)),
			    "224.0.0.18");
	assert_string_equal(cfg_addr_fmt(&r.g->vrrp_mcast_group6, buf, sizeof(buf)), "ff02::12");
	assert_int_equal(r.g->vrrp_garp_master_delay_s, 5);
	assert_int_equal(r.g->vrrp_garp_master_repeat, 5);
	assert_int_equal(r.g->vrrp_garp_lower_prio_delay_s, -1);
	assert_int_equal(r.g->vrrp_garp_lower_prio_repeat, -1);
	assert_int_equal(r.g->vrrp_garp_master_refresh_repeat, 1);
	assert_int_equal(r.g->vrrp_down_timer_adverts, 3);
	assert_int_equal(r.g->vrrp_version, 2);
	assert_int_equal(r.g->startup_script_timeout_s, 10);
	assert_int_equal(r.g->lvs_syncd.syncid, -1);
	assert_int_equal(r.g->lvs_syncd.port, 8848);
	assert_int_equal(r.g->min_auto_priority_delay_us, 1000000);
	assert_int_equal(r.g->vrrp_rlimit_rttime_us, 10000);
	assert_int_equal(r.g->nftables_priority, -1);
	assert_int_equal(r.g->nftables_ipvs_start_fwmark, 1000);
	assert_int_equal(r.g->vrrp_rx_bufs_multiplier, 3);
	assert_int_equal(r.g->child_wait_time_s, 5);
	assert_true(r.g->enable_dbus_compat);
	assert_false(r.g->enable_dbus);
	assert_string_equal(r.g->file, "g.conf");
	assert_int_equal(r.g->line, 1);
	d = g_dump(r.root);
	assert_string_equal(d, "");
	free(d);
	g_done(&r);
}

static const char g_all[] =
	"net_namespace ns1\n"
	"net_namespace_ipvs\n"
	"namespace_with_ipsets\n"
	"instance inst1\n"
	"use_pid_dir\n"
	"linkbeat_use_polling\n"
	"child_wait_time 7\n"
	"linkbeat_interfaces {\n    eth2\n    enp2s0 ETHTOOL\n}\n"
	"global_defs {\n"
	"    router_id LVS_1\n"
	"    tmp_config_directory /var/tmp\n"
	"    config_save_dir /var/lib/alived\n"
	"    process_names\n"
	"    process_name ka\n"
	"    vrrp_process_name ka_vrrp\n"
	"    checker_process_name ka_chk\n"
	"    startup_script \"/usr/bin/fw up\" root wheel\n"
	"    startup_script_timeout 20\n"
	"    shutdown_script /usr/bin/fwdown nobody\n"
	"    shutdown_script_timeout 1000\n"
	"    notification_email {\n        a@example.com\n        b@example.com\n    }\n"
	"    notification_email_from lb@example.com\n"
	"    smtp_server 192.0.2.25 2525\n"
	"    smtp_helo_name lb1.example.com\n"
	"    smtp_connect_timeout 4294\n"
	"    smtp_alert on\n"
	"    smtp_alert_vrrp off\n"
	"    smtp_alert_checker on\n"
	"    checker_log_all_failures\n"
	"    no_email_faults\n"
	"    no_checker_emails\n"
	"    vrrp_mcast_group4 224.0.0.19\n"
	"    vrrp_mcast_group6 ff02::13\n"
	"    default_interface bond0.12\n"
	"    vrrp_garp_master_delay 0\n"
	"    vrrp_garp_master_repeat 3\n"
	"    vrrp_garp_lower_prio_delay 4\n"
	"    vrrp_garp_lower_prio_repeat 0\n"
	"    vrrp_garp_master_refresh 60\n"
	"    vrrp_garp_master_refresh_repeat 2\n"
	"    vrrp_garp_interval 0.001\n"
	"    vrrp_gna_interval 0.000001\n"
	"    vrrp_min_garp\n"
	"    vrrp_garp_extra_if all 100\n"
	"    vrrp_down_timer_adverts 100\n"
	"    vrrp_lower_prio_no_advert\n"
	"    vrrp_higher_prio_send_advert\n"
	"    vrrp_version 3\n"
	"    vrrp_check_unicast_src\n"
	"    vrrp_skip_check_adv_addr\n"
	"    vrrp_strict\n"
	"    vrrp_notify_priority_changes\n"
	"    log_unknown_vrids\n"
	"    vrrp_startup_delay 5.5\n"
	"    vmac_prefix vm\n"
	"    vmac_addr_prefix va\n"
	"    disable_local_igmp\n"
	"    vrrp_rx_bufs_policy 65536\n"
	"    vrrp_rx_bufs_multiplier 4\n"
	"    nftables ka_tab\n"
	"    nftables_priority -150\n"
	"    nftables_counters\n"
	"    nftables_ifindex\n"
	"    nftables_ipvs\n"
	"    nftables_ipvs_priority 10\n"
	"    nftables_ipvs_start_fwmark 2000\n"
	"    vrrp_iptables KA_IN KA_OUT\n"
	"    vrrp_ipsets s4 s6 s6if\n"
	"    lvs_sync_daemon eth1 VI_1 id 7 maxlen 1400 port 9000 ttl 2 group 239.1.1.1\n"
	"    lvs_timeouts tcp 900 tcpfin 120 udp 300\n"
	"    lvs_flush\n"
	"    lvs_flush_on_stop VS\n"
	"    rs_init_notifies\n"
	"    max_auto_priority -1\n"
	"    min_auto_priority_delay 2000\n"
	"    vrrp_priority -20\n"
	"    checker_priority 19\n"
	"    vrrp_no_swap\n"
	"    checker_no_swap\n"
	"    vrrp_rt_priority 50\n"
	"    checker_rt_priority 99\n"
	"    vrrp_rlimit_rttime 20000\n"
	"    checker_rlimit_rttime 30000\n"
	"    vrrp_cpu_affinity 0 2 3\n"
	"    checker_cpu_affinity 1\n"
	"    snmp_socket tcp:localhost:705\n"
	"    enable_snmp_vrrp\n"
	"    enable_snmp_checker\n"
	"    enable_snmp_rfcv2\n"
	"    enable_snmp_rfcv3\n"
	"    enable_traps\n"
	"    enable_dbus\n"
	"    enable_dbus_compat off\n"
	"    dbus_service_name org.example.Ka1\n"
	"    script_user ka_script ka_group\n"
	"    enable_script_security\n"
	"    notify_fifo /run/n.fifo\n"
	"    notify_fifo_script /usr/bin/n.sh\n"
	"    vrrp_notify_fifo /run/v.fifo root\n"
	"    vrrp_notify_fifo_script \"/usr/bin/v.sh -x\" root root\n"
	"    lvs_notify_fifo /run/l.fifo\n"
	"    lvs_notify_fifo_script /usr/bin/l.sh\n"
	"    fifo_write_vrrp_states_on_reload\n"
	"    dynamic_interfaces allow_if_changes\n"
	"    vrrp_netlink_cmd_rcv_bufs 1000\n"
	"    vrrp_netlink_cmd_rcv_bufs_force\n"
	"    vrrp_netlink_monitor_rcv_bufs 2000\n"
	"    lvs_netlink_cmd_rcv_bufs 3000\n"
	"    lvs_netlink_monitor_rcv_bufs 4000\n"
	"    lvs_netlink_monitor_rcv_bufs_force\n"
	"    process_monitor_rcv_bufs 5000\n"
	"    process_monitor_rcv_bufs_force\n"
	"    reload_check_config /var/log/check.log\n"
	"    reload_time_file /run/alived.reload_time\n"
	"    reload_repeat\n"
	"    reload_file\n"
	"    data_use_instance\n"
	"    umask 0027\n"
	"    random_seed 12345\n"
	"}\n";

static void test_every_keyword(void **state)
{
	struct g_run r;
	const struct cfg_global *g;
	char buf[CFG_ADDRSTRLEN];

	(void)state;
	g_load(&r, g_all);
	assert_int_equal(r.rc, 0);
	assert_int_equal(g_other_diags(&r.d), 0);
	g = r.g;
	assert_string_equal(g->net_namespace, "ns1");
	assert_string_equal(g->net_namespace_ipvs, "");
	assert_true(g->namespace_with_ipsets);
	assert_string_equal(g->instance, "inst1");
	assert_true(g->use_pid_dir);
	assert_true(g->linkbeat_use_polling);
	assert_int_equal(g->child_wait_time_s, 7);
	assert_string_equal(g->linkbeat_ifs->ifname, "eth2");
	assert_int_equal(g->linkbeat_ifs->type, CFG_LINKBEAT_DEFAULT);
	assert_string_equal(g->linkbeat_ifs->next->ifname, "enp2s0");
	assert_int_equal(g->linkbeat_ifs->next->type, CFG_LINKBEAT_ETHTOOL);
	assert_int_equal(g->linkbeat_ifs->next->line, 10);
	assert_string_equal(g->router_id, "LVS_1");
	assert_string_equal(g->tmp_config_directory, "/var/tmp");
	assert_string_equal(g->config_save_dir, "/var/lib/alived");
	assert_true(g->process_names);
	assert_string_equal(g->process_name, "ka");
	assert_string_equal(g->vrrp_process_name, "ka_vrrp");
	assert_string_equal(g->checker_process_name, "ka_chk");
	assert_string_equal(g->startup_script.path, "/usr/bin/fw up");
	assert_string_equal(g->startup_script.user, "root");
	assert_string_equal(g->startup_script.group, "wheel");
	assert_int_equal(g->startup_script_timeout_s, 20);
	assert_string_equal(g->shutdown_script.path, "/usr/bin/fwdown");
	assert_string_equal(g->shutdown_script.user, "nobody");
	assert_null(g->shutdown_script.group);
	assert_int_equal(g->shutdown_script_timeout_s, 1000);
	assert_int_equal(g->notification_email.n, 2);
	assert_string_equal(g->notification_email.v[1], "b@example.com");
	assert_string_equal(g->notification_email_from, "lb@example.com");
	assert_string_equal(g->smtp_server, "192.0.2.25");
	assert_int_equal(g->smtp_server_addr.family, AF_INET);
	assert_int_equal(g->smtp_server_port, 2525);
	assert_string_equal(g->smtp_helo_name, "lb1.example.com");
	assert_int_equal(g->smtp_connect_timeout_s, 4294);
	assert_int_equal(g->smtp_alert, 1);
	assert_int_equal(g->smtp_alert_vrrp, 0);
	assert_int_equal(g->smtp_alert_checker, 1);
	assert_true(g->checker_log_all_failures);
	assert_true(g->no_email_faults);
	assert_true(g->no_checker_emails);
	assert_string_equal(cfg_addr_fmt(&g->vrrp_mcast_group4, buf, sizeof(buf)), "224.0.0.19");
	assert_string_equal(cfg_addr_fmt(&g->vrrp_mcast_group6, buf, sizeof(buf)), "ff02::13");
	assert_string_equal(g->default_interface, "bond0.12");
	assert_int_equal(g->vrrp_garp_master_delay_s, 0);
	assert_int_equal(g->vrrp_garp_master_repeat, 3);
	assert_int_equal(g->vrrp_garp_lower_prio_delay_s, 4);
	assert_int_equal(g->vrrp_garp_lower_prio_repeat, 0);
	assert_int_equal(g->vrrp_garp_master_refresh_s, 60);
	assert_int_equal(g->vrrp_garp_master_refresh_repeat, 2);
	assert_int_equal(g->vrrp_garp_interval_us, 1000);
	assert_int_equal(g->vrrp_gna_interval_us, 1);
	assert_true(g->vrrp_min_garp);
	assert_true(g->vrrp_garp_extra_if_all);
	assert_int_equal(g->vrrp_garp_extra_if_s, 100);
	assert_int_equal(g->vrrp_down_timer_adverts, 100);
	assert_true(g->vrrp_lower_prio_no_advert);
	assert_true(g->vrrp_higher_prio_send_advert);
	assert_int_equal(g->vrrp_version, 3);
	assert_true(g->vrrp_check_unicast_src);
	assert_true(g->vrrp_skip_check_adv_addr);
	assert_true(g->vrrp_strict);
	assert_true(g->vrrp_notify_priority_changes);
	assert_true(g->log_unknown_vrids);
	assert_int_equal(g->vrrp_startup_delay_us, 5500000);
	assert_string_equal(g->vmac_prefix, "vm");
	assert_string_equal(g->vmac_addr_prefix, "va");
	assert_true(g->disable_local_igmp);
	assert_int_equal(g->vrrp_rx_bufs_policy, CFG_RX_BUFS_SIZE);
	assert_int_equal(g->vrrp_rx_bufs_size, 65536);
	assert_int_equal(g->vrrp_rx_bufs_multiplier, 4);
	assert_true(g->nftables);
	assert_string_equal(g->nftables_table, "ka_tab");
	assert_int_equal(g->nftables_priority, -150);
	assert_true(g->nftables_counters);
	assert_true(g->nftables_ifindex);
	assert_true(g->nftables_ipvs);
	assert_null(g->nftables_ipvs_table);
	assert_int_equal(g->nftables_ipvs_priority, 10);
	assert_int_equal(g->nftables_ipvs_start_fwmark, 2000);
	assert_true(g->vrrp_iptables);
	assert_string_equal(g->vrrp_iptables_in, "KA_IN");
	assert_string_equal(g->vrrp_iptables_out, "KA_OUT");
	assert_true(g->vrrp_ipsets_given);
	assert_int_equal(g->vrrp_ipsets.n, 3);
	assert_string_equal(g->vrrp_ipsets.v[2], "s6if");
	assert_string_equal(g->lvs_syncd.ifname, "eth1");
	assert_string_equal(g->lvs_syncd.vrrp_instance, "VI_1");
	assert_int_equal(g->lvs_syncd.syncid, 7);
	assert_int_equal(g->lvs_syncd.maxlen, 1400);
	assert_int_equal(g->lvs_syncd.port, 9000);
	assert_int_equal(g->lvs_syncd.ttl, 2);
	assert_string_equal(cfg_addr_fmt(&g->lvs_syncd.group, buf, sizeof(buf)), "239.1.1.1");
	assert_int_equal(g->lvs_timeout_tcp_s, 900);
	assert_int_equal(g->lvs_timeout_tcpfin_s, 120);
	assert_int_equal(g->lvs_timeout_udp_s, 300);
	assert_true(g->lvs_flush);
	assert_int_equal(g->lvs_flush_on_stop, CFG_LVS_FLUSH_STOP_VS);
	assert_true(g->rs_init_notifies);
	assert_int_equal(g->max_auto_priority, -1);
	assert_int_equal(g->min_auto_priority_delay_us, 2000);
	assert_int_equal(g->vrrp_priority, -20);
	assert_int_equal(g->checker_priority, 19);
	assert_true(g->vrrp_no_swap);
	assert_true(g->checker_no_swap);
	assert_int_equal(g->vrrp_rt_priority, 50);
	assert_int_equal(g->checker_rt_priority, 99);
	assert_int_equal(g->vrrp_rlimit_rttime_us, 20000);
	assert_int_equal(g->checker_rlimit_rttime_us, 30000);
	assert_int_equal(g->vrrp_cpu_affinity.n, 3);
	assert_int_equal(g->vrrp_cpu_affinity.cpu[2], 3);
	assert_int_equal(g->checker_cpu_affinity.n, 1);
	assert_int_equal(g->checker_cpu_affinity.cpu[0], 1);
	assert_string_equal(g->snmp_socket, "tcp:localhost:705");
	assert_true(g->enable_snmp_vrrp);
	assert_true(g->enable_snmp_checker);
	assert_true(g->enable_snmp_rfcv2);
	assert_true(g->enable_snmp_rfcv3);
	assert_true(g->enable_traps);
	assert_true(g->enable_dbus);
	assert_false(g->enable_dbus_compat);
	assert_string_equal(g->dbus_service_name, "org.example.Ka1");
	assert_string_equal(g->script_user, "ka_script");
	assert_string_equal(g->script_group, "ka_group");
	assert_true(g->enable_script_security);
	assert_string_equal(g->notify_fifo.path, "/run/n.fifo");
	assert_string_equal(g->notify_fifo_script.path, "/usr/bin/n.sh");
	assert_string_equal(g->vrrp_notify_fifo.path, "/run/v.fifo");
	assert_string_equal(g->vrrp_notify_fifo.user, "root");
	assert_string_equal(g->vrrp_notify_fifo_script.path, "/usr/bin/v.sh -x");
	assert_string_equal(g->vrrp_notify_fifo_script.group, "root");
	assert_string_equal(g->lvs_notify_fifo.path, "/run/l.fifo");
	assert_string_equal(g->lvs_notify_fifo_script.path, "/usr/bin/l.sh");
	assert_true(g->fifo_write_vrrp_states_on_reload);
	assert_true(g->dynamic_interfaces);
	assert_true(g->allow_if_changes);
	assert_int_equal(g->vrrp_netlink_cmd_rcv_bufs.bytes, 1000);
	assert_true(g->vrrp_netlink_cmd_rcv_bufs.force);
	assert_int_equal(g->vrrp_netlink_monitor_rcv_bufs.bytes, 2000);
	assert_false(g->vrrp_netlink_monitor_rcv_bufs.force);
	assert_int_equal(g->lvs_netlink_cmd_rcv_bufs.bytes, 3000);
	assert_int_equal(g->lvs_netlink_monitor_rcv_bufs.bytes, 4000);
	assert_true(g->lvs_netlink_monitor_rcv_bufs.force);
	assert_int_equal(g->process_monitor_rcv_bufs.bytes, 5000);
	assert_true(g->process_monitor_rcv_bufs.force);
	assert_true(g->reload_check_config);
	assert_string_equal(g->reload_check_config_log, "/var/log/check.log");
	assert_string_equal(g->reload_time_file, "/run/alived.reload_time");
	assert_true(g->reload_repeat);
	assert_true(g->reload_file_given);
	assert_null(g->reload_file);
	assert_true(g->data_use_instance);
	assert_true(g->umask_given);
	assert_int_equal(g->umask, 027);
	assert_true(g->random_seed_given);
	assert_int_equal(g->random_seed, 12345);
	g_done(&r);
}

static void test_dump_every_keyword(void **state)
{
	(void)state;
	/* g_all is written in canonical form: the dump gives it back as is */
	g_roundtrip(g_all, g_all);
}

static void test_top_level_inside(void **state)
{
	(void)state;
	/* keepalived's top-level keywords are also taken inside global_defs;
	 * the dump prints them at the top level */
	g_roundtrip("global_defs {\n instance i2\n use_pid_dir\n router_id r\n"
		    " net_namespace_ipvs ipvsns\n}\n",
		    "net_namespace_ipvs ipvsns\ninstance i2\nuse_pid_dir\n"
		    "global_defs {\n    router_id r\n}\n");
}

static void test_deprecated(void **state)
{
	struct g_run r;

	(void)state;
	g_load(&r, "global_defs {\n"
		   " lvs_id LVS_MAIN\n"
		   " lvs_sync_daemon_interface eth3\n"
		   " enable_snmp_keepalived\n"
		   " vrrp_rlimit_rtime 5000\n"
		   " checker_rlimit_rtime 6000\n"
		   " lvs_flush_onstop\n"
		   "}\n");
	assert_int_equal(r.rc, 0);
	assert_true(g_has(&r.d, CFG_SEV_WARN,
			  "g.conf:2: 'lvs_id' is deprecated and has no effect"));
	assert_true(g_has(&r.d, CFG_SEV_WARN,
			  "g.conf:3: 'lvs_sync_daemon_interface' is deprecated, use "
			  "'lvs_sync_daemon'"));
	assert_true(g_has(&r.d, CFG_SEV_WARN,
			  "g.conf:4: 'enable_snmp_keepalived' is deprecated, use "
			  "'enable_snmp_vrrp'"));
	assert_true(g_has(&r.d, CFG_SEV_WARN,
			  "g.conf:5: 'vrrp_rlimit_rtime' is deprecated, use 'vrrp_rlimit_rttime'"));
	assert_true(g_has(&r.d, CFG_SEV_WARN,
			  "g.conf:6: 'checker_rlimit_rtime' is deprecated, use "
			  "'checker_rlimit_rttime'"));
	assert_int_equal(g_other_diags(&r.d), 5);	/* lvs_flush_onstop is a synonym */
	assert_string_equal(r.g->lvs_syncd.ifname, "eth3");
	assert_true(r.g->enable_snmp_vrrp);
	assert_int_equal(r.g->vrrp_rlimit_rttime_us, 5000);
	assert_int_equal(r.g->checker_rlimit_rttime_us, 6000);
	assert_int_equal(r.g->lvs_flush_on_stop, CFG_LVS_FLUSH_STOP_ALL);
	g_done(&r);

	g_roundtrip("global_defs {\n lvs_id x\n lvs_sync_daemon_interface eth3\n"
		    " enable_snmp_keepalived\n vrrp_rlimit_rtime 5000\n lvs_flush_onstop\n}\n",
		    "global_defs {\n    lvs_sync_daemon eth3\n    lvs_flush_on_stop\n"
		    "    vrrp_rlimit_rttime 5000\n    enable_snmp_vrrp\n}\n");
}

static void test_ignored(void **state)
{
	struct g_run r;

	(void)state;
	g_load(&r, "global_defs {\n bfd_process_name b\n bfd_priority 1\n bfd_no_swap\n"
		   " bfd_cpu_affinity 1\n bfd_rt_priority 2\n bfd_rlimit_rttime 3\n"
		   " include_check readable\n}\n");
	assert_int_equal(r.rc, 0);
	assert_true(g_has(&r.d, CFG_SEV_NOTICE,
			  "g.conf:2: 'bfd_process_name' has no effect in alived; ignored"));
	assert_true(g_has(&r.d, CFG_SEV_NOTICE,
			  "g.conf:8: 'include_check' has no effect in alived; ignored"));
	assert_int_equal(r.d.n_warn, 1);	/* only "no vrrp_instance" */
	g_done(&r);
}

static void test_snmp_rfc(void **state)
{
	struct g_run r;

	(void)state;
	g_load(&r, "global_defs {\n enable_snmp_rfc\n}\n");
	assert_int_equal(r.rc, 0);
	assert_true(r.g->enable_snmp_rfcv2);
	assert_true(r.g->enable_snmp_rfcv3);
	g_done(&r);
	g_roundtrip("global_defs {\n enable_snmp_rfc\n}\n",
		    "global_defs {\n    enable_snmp_rfcv2\n    enable_snmp_rfcv3\n}\n");
}

static void test_smtp_server(void **state)
{
	struct g_run r;

	(void)state;
	g_load(&r, "global_defs {\n smtp_server mail.example.com\n}\n");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.g->smtp_server, "mail.example.com");
	assert_int_equal(r.g->smtp_server_addr.family, AF_UNSPEC);
	assert_int_equal(r.g->smtp_server_port, 25);
	g_done(&r);

	g_load(&r, "global_defs {\n smtp_server 2001:db8::25 587\n}\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.g->smtp_server_addr.family, AF_INET6);
	assert_int_equal(r.g->smtp_server_port, 587);
	g_done(&r);

	g_roundtrip("global_defs {\n smtp_server 10.0.0.1 25\n}\n",
		    "global_defs {\n    smtp_server 10.0.0.1\n}\n");
	g_roundtrip("global_defs {\n smtp_server ::1 26\n}\n",
		    "global_defs {\n    smtp_server ::1 26\n}\n");
}

static void test_lvs_sync_daemon(void **state)
{
	struct g_run r;

	(void)state;
	/* the 1.x form: IFNAME INSTANCE SYNCID */
	g_load(&r, "global_defs {\n lvs_sync_daemon eth0 VI_2 12\n}\n");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.g->lvs_syncd.vrrp_instance, "VI_2");
	assert_int_equal(r.g->lvs_syncd.syncid, 12);
	g_done(&r);

	g_load(&r, "global_defs {\n lvs_sync_daemon eth0 inst port id 0\n}\n");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.g->lvs_syncd.vrrp_instance, "port");
	assert_int_equal(r.g->lvs_syncd.syncid, 0);
	g_done(&r);

	g_roundtrip("global_defs {\n lvs_sync_daemon eth0 inst port id 0\n}\n",
		    "global_defs {\n    lvs_sync_daemon eth0 inst port id 0\n}\n");
	g_roundtrip("global_defs {\n lvs_sync_daemon eth0 group ff02::1:2 port 8848\n}\n",
		    "global_defs {\n    lvs_sync_daemon eth0 group ff02::1:2\n}\n");
}

static void test_misc_forms(void **state)
{
	struct g_run r;

	(void)state;
	g_load(&r, "global_defs {\n vrrp_rx_bufs_policy advert\n umask IWGRP|IWOTH\n"
		   " max_auto_priority\n lvs_flush_on_stop\n dynamic_interfaces\n"
		   " vrrp_ipsets\n reload_file /run/r\n vrrp_iptables\n nftables\n"
		   " smtp_alert\n smtp_alert_vrrp yes\n}\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.g->vrrp_rx_bufs_policy, CFG_RX_BUFS_ADVERT);
	assert_int_equal(r.g->umask, 022);
	assert_int_equal(r.g->max_auto_priority, 99);
	assert_int_equal(r.g->lvs_flush_on_stop, CFG_LVS_FLUSH_STOP_ALL);
	assert_true(r.g->dynamic_interfaces);
	assert_false(r.g->allow_if_changes);
	assert_true(r.g->vrrp_ipsets_given);
	assert_int_equal(r.g->vrrp_ipsets.n, 0);
	assert_string_equal(r.g->reload_file, "/run/r");
	assert_true(r.g->vrrp_iptables);
	assert_null(r.g->vrrp_iptables_in);
	assert_true(r.g->nftables);
	assert_null(r.g->nftables_table);
	assert_int_equal(r.g->smtp_alert, 1);
	assert_int_equal(r.g->smtp_alert_vrrp, 1);
	g_done(&r);

	g_roundtrip("global_defs {\n vrrp_rx_bufs_policy MTU\n umask 0x12\n max_auto_priority\n"
		    " vrrp_ipsets\n vrrp_iptables\n nftables\n}\n",
		    "global_defs {\n    vrrp_rx_bufs_policy MTU\n    nftables\n"
		    "    vrrp_iptables\n    vrrp_ipsets\n    max_auto_priority 99\n"
		    "    umask 0022\n}\n");
}

static void test_errors(void **state)
{
	static const struct {
		const char *stmt, *msg;
	} cases[] = {
		{ "router_id", "router_id takes 1 argument, got 0" },
		{ "startup_script_timeout 0", "startup_script_timeout 0: must be 1..1000" },
		{ "shutdown_script_timeout 1001", "shutdown_script_timeout 1001: must be 1..1000" },
		{ "startup_script", "startup_script needs at least 1 argument" },
		{ "startup_script /x a b c", "startup_script takes at most 3 arguments, got 4" },
		{ "shutdown_script /x r:oot", "shutdown_script: 'r:oot' is not a valid user name" },
		{ "notify_fifo /x root gr/p", "notify_fifo: 'gr/p' is not a valid group name" },
		{ "vrrp_notify_fifo \"\"", "vrrp_notify_fifo: empty name" },
		{ "smtp_server foo_bar",
		  "smtp_server foo_bar: must be an IP address or a host name" },
		{ "smtp_server 1.2.3.4/24",
		  "smtp_server 1.2.3.4/24: must be an IP address or a host name" },
		{ "smtp_server 1.2.3.4 0", "smtp_server 0: must be 1..65535" },
		{ "smtp_server 1.2.3.4 70000", "smtp_server 70000: must be 1..65535" },
		{ "smtp_server -bad.example",
		  "smtp_server -bad.example: must be an IP address or a host name" },
		{ "smtp_connect_timeout 0", "smtp_connect_timeout 0: must be 1..4294" },
		{ "smtp_connect_timeout 4295", "smtp_connect_timeout 4295: must be 1..4294" },
		{ "smtp_alert maybe", "smtp_alert maybe: must be on|off|yes|no|true|false" },
		{ "smtp_alert_checker on off",
		  "smtp_alert_checker takes at most 1 argument, got 2" },
		{ "checker_log_all_failures 2",
		  "checker_log_all_failures 2: must be on|off|yes|no|true|false" },
		{ "vrrp_mcast_group4 10.0.0.1",
		  "vrrp_mcast_group4 10.0.0.1: must be an IPv4 multicast address without /prefix" },
		{ "vrrp_mcast_group4 ff02::12",
		  "vrrp_mcast_group4 ff02::12: must be an IPv4 multicast address without /prefix" },
		{ "vrrp_mcast_group6 ff02::12/64",
		  "vrrp_mcast_group6 ff02::12/64: must be an IPv6 multicast address without "
		  "/prefix" },
		{ "vrrp_mcast_group6 fe80::1",
		  "vrrp_mcast_group6 fe80::1: must be an IPv6 multicast address without /prefix" },
		{ "vrrp_mcast_group4 nowhere",
		  "vrrp_mcast_group4 nowhere: must be an IPv4 or IPv6 address" },
		{ "default_interface averyveryverylongname",
		  "default_interface averyveryverylongname: not a valid interface name" },
		{ "vrrp_garp_master_delay 4295", "vrrp_garp_master_delay 4295: must be 0..4294" },
		{ "vrrp_garp_master_repeat 0", "vrrp_garp_master_repeat 0: must be 1..4294967295" },
		{ "vrrp_garp_lower_prio_delay -1",
		  "vrrp_garp_lower_prio_delay -1: must be 0..4294" },
		{ "vrrp_garp_lower_prio_repeat -2",
		  "vrrp_garp_lower_prio_repeat -2: must be 0..2147483647" },
		{ "vrrp_garp_master_refresh x",
		  "vrrp_garp_master_refresh x: must be 0..4294967295" },
		{ "vrrp_garp_master_refresh_repeat 0",
		  "vrrp_garp_master_refresh_repeat 0: must be 1..4294967295" },
		{ "vrrp_garp_interval 5000", "vrrp_garp_interval 5000: must be 0..4294.967295" },
		{ "vrrp_gna_interval -1", "vrrp_gna_interval -1: must be 0..4294.967295" },
		{ "vrrp_garp_extra_if all", "vrrp_garp_extra_if takes 2 arguments, got 1" },
		{ "vrrp_garp_extra_if 0", "vrrp_garp_extra_if 0: must be 1..86400" },
		{ "vrrp_garp_extra_if all 86401", "vrrp_garp_extra_if 86401: must be 1..86400" },
		{ "vrrp_down_timer_adverts 101", "vrrp_down_timer_adverts 101: must be 1..100" },
		{ "vrrp_version 4", "vrrp_version 4: must be 2..3" },
		{ "vrrp_startup_delay 1.x", "vrrp_startup_delay 1.x: must be 0..4294.967295" },
		{ "vrrp_rx_bufs_policy FOO",
		  "vrrp_rx_bufs_policy FOO: must be MTU, ADVERT or a size in bytes" },
		{ "vrrp_rx_bufs_policy 0", "vrrp_rx_bufs_policy 0: must be 1..4294967295" },
		{ "vrrp_rx_bufs_multiplier 0", "vrrp_rx_bufs_multiplier 0: must be 1..4294967295" },
		{ "nftables a b", "nftables takes at most 1 argument, got 2" },
		{ "nftables_priority 2147483648",
		  "nftables_priority 2147483648: must be -2147483648..2147483647" },
		{ "nftables_ipvs_start_fwmark 0",
		  "nftables_ipvs_start_fwmark 0: must be 1..4294967295" },
		{ "vrrp_iptables a b c", "vrrp_iptables takes at most 2 arguments, got 3" },
		{ "vrrp_ipsets a b c d e f", "vrrp_ipsets takes at most 5 arguments, got 6" },
		{ "lvs_sync_daemon", "lvs_sync_daemon needs at least 1 argument" },
		{ "lvs_sync_daemon eth0/1", "lvs_sync_daemon eth0/1: not a valid interface name" },
		{ "lvs_sync_daemon eth0 VI_1 id 256", "lvs_sync_daemon 256: must be 0..255" },
		{ "lvs_sync_daemon eth0 VI_1 foo 1", "lvs_sync_daemon foo: must be 0..255" },
		{ "lvs_sync_daemon eth0 VI_1 1 bar", "lvs_sync_daemon: unknown option 'bar'" },
		{ "lvs_sync_daemon eth0 maxlen 65508", "lvs_sync_daemon 65508: must be 1..65507" },
		{ "lvs_sync_daemon eth0 port 0", "lvs_sync_daemon 0: must be 1..65535" },
		{ "lvs_sync_daemon eth0 ttl 256", "lvs_sync_daemon 256: must be 1..255" },
		{ "lvs_sync_daemon eth0 group 1.2.3",
		  "lvs_sync_daemon 1.2.3: must be an IPv4 or IPv6 address" },
		{ "lvs_sync_daemon eth0 group 1.2.3.4/8",
		  "lvs_sync_daemon group 1.2.3.4/8: must be an address without /prefix" },
		{ "lvs_sync_daemon eth0 ttl", "lvs_sync_daemon: 'ttl' needs a value" },
		{ "lvs_sync_daemon_interface eth0 VI_1",
		  "lvs_sync_daemon_interface takes 1 argument, got 2" },
		{ "lvs_timeouts", "lvs_timeouts: expected one or more of tcp N, tcpfin N, udp N" },
		{ "lvs_timeouts tcp",
		  "lvs_timeouts: expected one or more of tcp N, tcpfin N, udp N" },
		{ "lvs_timeouts sctp 5", "lvs_timeouts sctp: must be tcp, tcpfin or udp" },
		{ "lvs_timeouts udp 2678401", "lvs_timeouts 2678401: must be 0..2678400" },
		{ "lvs_flush_on_stop foo", "lvs_flush_on_stop foo: must be VS or nothing" },
		{ "max_auto_priority 100", "max_auto_priority 100: must be -1..99" },
		{ "min_auto_priority_delay 0", "min_auto_priority_delay 0: must be 1..10000000" },
		{ "vrrp_priority -21", "vrrp_priority -21: must be -20..19" },
		{ "checker_priority 20", "checker_priority 20: must be -20..19" },
		{ "vrrp_rt_priority 100", "vrrp_rt_priority 100: must be 1..99" },
		{ "checker_rt_priority 0", "checker_rt_priority 0: must be 1..99" },
		{ "vrrp_rlimit_rttime 0", "vrrp_rlimit_rttime 0: must be 1..4294967295" },
		{ "vrrp_cpu_affinity", "vrrp_cpu_affinity needs at least 1 argument" },
		{ "checker_cpu_affinity 1 5000", "checker_cpu_affinity 5000: must be 0..1023" },
		{ "snmp_socket", "snmp_socket takes 1 argument, got 0" },
		{ "enable_dbus_compat maybe",
		  "enable_dbus_compat maybe: must be on|off|yes|no|true|false" },
		{ "dbus_service_name foo",
		  "dbus_service_name foo: not a valid D-Bus name (like org.example.Name)" },
		{ "dbus_service_name org.1x",
		  "dbus_service_name org.1x: not a valid D-Bus name (like org.example.Name)" },
		{ "script_user", "script_user needs at least 1 argument" },
		{ "script_user root wheel extra", "script_user takes at most 2 arguments, got 3" },
		{ "script_user -root", "script_user: '-root' is not a valid user name" },
		{ "dynamic_interfaces foo",
		  "dynamic_interfaces foo: must be allow_if_changes or nothing" },
		{ "vrrp_netlink_cmd_rcv_bufs x",
		  "vrrp_netlink_cmd_rcv_bufs x: must be 0..4294967295" },
		{ "process_monitor_rcv_bufs_force maybe",
		  "process_monitor_rcv_bufs_force maybe: must be on|off|yes|no|true|false" },
		{ "reload_time_file relative/path",
		  "reload_time_file relative/path: must be an absolute path" },
		{ "reload_check_config a b",
		  "reload_check_config takes at most 1 argument, got 2" },
		{ "umask 0999",
		  "umask 0999: must be an octal mode up to 0777 or bits like IWGRP|IWOTH" },
		{ "umask IWGRP|BOGUS",
		  "umask IWGRP|BOGUS: must be an octal mode up to 0777 or bits like IWGRP|IWOTH" },
		{ "random_seed -1", "random_seed -1: must be 0..4294967295" },
		{ "notification_email_from", "notification_email_from takes 1 argument, got 0" },
		{ "router_id { }", "router_id takes a value, not a { } block" },
	};
	char text[512], want[512];
	struct g_run r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "global_defs {\n    %s\n}\n", cases[i].stmt);
		snprintf(want, sizeof(want), "g.conf:2: %s", cases[i].msg);
		g_load(&r, text);
		if (r.rc != -EINVAL)
			print_message("no error for: %s\n", cases[i].stmt);
		assert_int_equal(r.rc, -EINVAL);
		assert_true(g_has(&r.d, CFG_SEV_ERROR, want));
		g_done(&r);
	}
}

static void test_top_errors(void **state)
{
	struct g_run r;

	(void)state;
	g_load(&r, "child_wait_time 0\nlinkbeat_interfaces eth0\nlinkbeat_interfaces {\n"
		   " eth0 FOO\n eth1 MII x\n}\nglobal_defs\nglobal_defs x {\n}\n"
		   "instance\n");
	assert_int_equal(r.rc, -EINVAL);
	assert_true(g_has(&r.d, CFG_SEV_ERROR, "g.conf:1: child_wait_time 0: must be 1..3600"));
	assert_true(g_has(&r.d, CFG_SEV_ERROR, "g.conf:2: linkbeat_interfaces needs a { } block"));
	assert_true(g_has(&r.d, CFG_SEV_ERROR,
			  "g.conf:4: eth0 FOO: must be MII, ETHTOOL or IOCTL"));
	assert_true(g_has(&r.d, CFG_SEV_ERROR,
			  "g.conf:5: linkbeat_interfaces: expected an interface name and an "
			  "optional MII|ETHTOOL|IOCTL"));
	assert_true(g_has(&r.d, CFG_SEV_ERROR, "g.conf:7: global_defs needs a { } block"));
	assert_true(g_has(&r.d, CFG_SEV_ERROR, "g.conf:8: global_defs takes no arguments"));
	assert_true(g_has(&r.d, CFG_SEV_ERROR, "g.conf:10: instance takes 1 argument, got 0"));
	g_done(&r);
}

static void test_warnings(void **state)
{
	struct g_run r;

	(void)state;
	g_load(&r, "global_defs {\n notification_email {\n  root@localhost\n }\n router_id a\n"
		   " router_id b\n frobnicate\n smtp_alert\n}\n");
	assert_int_equal(r.rc, 0);
	assert_true(g_has(&r.d, CFG_SEV_WARN,
			  "g.conf:1: notification_email given without smtp_server: no email will "
			  "be sent"));
	assert_true(g_has(&r.d, CFG_SEV_WARN,
			  "g.conf:6: router_id given twice; the last one wins"));
	assert_true(g_has(&r.d, CFG_SEV_WARN,
			  "g.conf:7: unknown keyword 'frobnicate' in global_defs"));
	assert_string_equal(r.g->router_id, "b");
	g_done(&r);

	g_load(&r, "global_defs {\n smtp_alert on\n}\n");
	assert_true(g_has(&r.d, CFG_SEV_WARN,
			  "g.conf:1: smtp_alert on without notification_email: no email will be "
			  "sent"));
	g_done(&r);
}

static void test_validate_fifos(void **state)
{
	struct g_run r;

	(void)state;
	g_load(&r, "global_defs {\n notify_fifo /run/f\n}\nglobal_defs {\n"
		   " lvs_notify_fifo /run/f\n}\n");
	assert_int_equal(r.rc, -EINVAL);
	assert_true(g_has(&r.d, CFG_SEV_ERROR,
			  "g.conf:1: notify_fifo and lvs_notify_fifo name the same FIFO /run/f; "
			  "each must differ"));
	g_done(&r);
}

static void test_two_blocks_merge(void **state)
{
	struct g_run r;

	(void)state;
	g_load(&r, "global_defs {\n router_id a\n notification_email { x@y }\n}\n"
		   "global_defs {\n vrrp_version 3\n notification_email { z@y }\n}\n");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.g->router_id, "a");
	assert_int_equal(r.g->vrrp_version, 3);
	assert_int_equal(r.g->notification_email.n, 2);
	g_done(&r);
}

/* Every sample of the keepalived package: global_defs parses without error
 * and its dump is stable. Skipped when the package is not installed. */
static void test_samples(void **state)
{
	glob_t gl;
	size_t i;

	(void)state;
	if (glob("/usr/share/doc/keepalived/samples/keepalived.conf*", 0, NULL, &gl) != 0)
		skip();
	for (i = 0; i < gl.gl_pathc; i++) {
		struct cfg_diags d;
		struct cfg_root *root = NULL;
		char *d1, *d2;
		struct g_run r;
		size_t k;

		cfg_diags_init(&d);
		cfg_load(gl.gl_pathv[i], NULL, &d, &root);
		for (k = 0; k < d.n; k++)
			if (d.v[k].sev == CFG_SEV_ERROR && strstr(d.v[k].msg, "global"))
				fail_msg("%s: %s", gl.gl_pathv[i], d.v[k].msg);
		if (root) {
			d1 = g_dump(root);
			g_load(&r, d1);
			assert_int_equal(r.rc, 0);
			d2 = g_dump(r.root);
			assert_string_equal(d1, d2);
			free(d1);
			free(d2);
			g_done(&r);
		}
		cfg_free(root);
		cfg_diags_free(&d);
	}
	globfree(&gl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_keyword),
		cmocka_unit_test(test_dump_every_keyword),
		cmocka_unit_test(test_top_level_inside),
		cmocka_unit_test(test_deprecated),
		cmocka_unit_test(test_ignored),
		cmocka_unit_test(test_snmp_rfc),
		cmocka_unit_test(test_smtp_server),
		cmocka_unit_test(test_lvs_sync_daemon),
		cmocka_unit_test(test_misc_forms),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_top_errors),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_validate_fifos),
		cmocka_unit_test(test_two_blocks_merge),
		cmocka_unit_test(test_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
