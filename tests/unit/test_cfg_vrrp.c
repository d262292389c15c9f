// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the VRRP side of the configuration (src/config/kw_vrrp.c,
 * kw_vrrp_track.c, kw_static.c, validate_vrrp.c) through cfg_load_string()
 * and cfg_load(): every keyword into its struct field, every error and
 * warning with its exact file:line, the seed and sample configs, and the
 * dump round trip (dump, parse the dump, dump again: identical).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
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

#include "alived/config.h"
#include "alived/cfg_global.h"
#include "alived/cfg_vrrp.h"

#ifndef TEST_SEED_DIR
#define TEST_SEED_DIR "tests/data/seed"
#endif
#define FILE_NAME "t.conf"
#define SEED_DIR TEST_SEED_DIR
#define SAMPLE_DIR "/usr/share/doc/keepalived/samples"

struct loaded {
	int rc;
	struct cfg_root *root;
	struct cfg_diags diags;
};

static void load_id(struct loaded *l, const char *text, const char *config_id)
{
	struct cfg_opts o = { .config_id = config_id };

	memset(l, 0, sizeof(*l));
	cfg_diags_init(&l->diags);
	l->rc = cfg_load_string(FILE_NAME, text, &o, &l->diags, &l->root);
}

static void load(struct loaded *l, const char *text)
{
	load_id(l, text, "testhost");
}

static void unload(struct loaded *l)
{
	cfg_free(l->root);
	cfg_diags_free(&l->diags);
	l->root = NULL;
}

static const struct cfg_diag *find_diag(const struct cfg_diags *d, enum cfg_sev sev,
					const char *file, unsigned line, const char *sub)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct cfg_diag *g = &d->v[i];

		if (g->sev == sev && g->line == line && g->file && !strcmp(g->file, file) &&
		    strstr(g->msg, sub))
			return g;
	}
	return NULL;
}

#define assert_diag(l, sev, line, sub)                                                      \
	do {                                                                                \
		if (!find_diag(&(l)->diags, sev, FILE_NAME, line, sub)) {                   \
			cfg_diags_print(&(l)->diags, stderr);                               \
			fail_msg("no diagnostic at " FILE_NAME ":%u containing '%s'",        \
				 (unsigned)(line), sub);                                    \
		}                                                                           \
	} while (0)

/* Loads text that must be accepted; returns the VRRP part. */
static struct cfg_vrrp *load_ok(struct loaded *l, const char *text)
{
	load(l, text);
	if (l->rc != 0) {
		cfg_diags_print(&l->diags, stderr);
		fail_msg("configuration refused");
	}
	return l->root->vrrp;
}

static char *dump_str(const struct cfg_root *root)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	cfg_dump(root, f);
	fclose(f);
	return buf;
}

/* Dump, parse the dump, dump again: the two dumps must be identical. */
static void assert_round_trip(const struct cfg_root *root, const char *config_id)
{
	struct cfg_opts o = { .config_id = config_id };
	struct cfg_diags d;
	struct cfg_root *again = NULL;
	char *d1 = dump_str(root), *d2;
	int rc;

	cfg_diags_init(&d);
	rc = cfg_load_string("dump.conf", d1, &o, &d, &again);
	if (rc != 0) {
		fprintf(stderr, "%s", d1);
		cfg_diags_print(&d, stderr);
		fail_msg("the dump does not load");
	}
	d2 = dump_str(again);
	if (strcmp(d1, d2)) {
		fprintf(stderr, "--- first dump\n%s--- second dump\n%s", d1, d2);
		fail_msg("dump round trip differs");
	}
	free(d1);
	free(d2);
	cfg_free(again);
	cfg_diags_free(&d);
}

static const struct cfg_vrrp_inst *inst(const struct cfg_vrrp *v, const char *name)
{
	const struct cfg_vrrp_inst *i = cfg_vrrp_find_inst(v, name);

	assert_non_null(i);
	return i;
}

static void assert_addr(const struct cfg_addr *a, const char *want)
{
	char buf[CFG_ADDRSTRLEN];

	assert_string_equal(cfg_addr_fmt(a, buf, sizeof(buf)), want);
}

static unsigned count_diags(const struct loaded *l, enum cfg_sev sev)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < l->diags.n; i++)
		n += l->diags.v[i].sev == sev;
	return n;
}

/* ------------------------------------------------------------------ */
/* Every keyword of vrrp_instance */

static const char inst_all[] =
	"vrrp_script chk_a {\n"				/* 1 */
	"    script \"/bin/true a b\"\n"
	"}\n"
	"track_file tf1 {\n"
	"    file /tmp/tf1\n"				/* 5 */
	"}\n"
	"vrrp_track_process tp1 {\n"
	"    process sshd\n"
	"}\n"
	"vrrp_instance VI_1 {\n"			/* 10 */
	"    state BACKUP\n"
	"    interface eth0\n"
	"    vrf blue\n"
	"    use_vmac vrrp.51 02:00:5e:00:01\n"
	"    use_vmac_addr\n"				/* 15 */
	"    vmac_xmit_base\n"
	"    dont_track_primary\n"
	"    track_interface {\n"
	"        eth1 weight 2\n"
	"        eth3\n"				/* 20 */
	"        eth4 weight -253 reverse\n"
	"    }\n"
	"    track_script {\n"
	"        chk_a\n"
	"    }\n"				/* 25 */
	"    track_file {\n"
	"        tf1 weight -3\n"
	"    }\n"
	"    track_process {\n"
	"        tp1 weight 4 reverse\n"		/* 30 */
	"    }\n"
	"    track_bfd {\n"
	"        bfd1\n"
	"    }\n"
	"    mcast_src_ip 192.168.200.1\n"		/* 35 */
	"    mcast_dst_ip 224.0.0.20\n"
	"    track_src_ip\n"
	"    version 3\n"
	"    garp_master_delay 10\n"
	"    garp_master_repeat 2\n"			/* 40 */
	"    garp_master_refresh 60\n"
	"    garp_master_refresh_repeat 3\n"
	"    garp_lower_prio_delay 5\n"
	"    garp_lower_prio_repeat 4\n"
	"    garp_extra_if all 30\n"			/* 45 */
	"    down_timer_adverts 4\n"
	"    lower_prio_no_advert\n"
	"    higher_prio_send_advert off\n"
	"    virtual_router_id 51\n"
	"    priority 150\n"				/* 50 */
	"    advert_int 0.5\n"
	"    virtual_ipaddress {\n"
	"        192.168.200.17/24 dev eth1 label eth1:1\n"
	"        192.168.200.18 use_vmac\n"
	"    }\n"				/* 55 */
	"    virtual_ipaddress_excluded {\n"
	"        2001:db8::5/64\n"
	"    }\n"
	"    promote_secondaries\n"
	"    virtual_routes {\n"			/* 60 */
	"        src 192.168.100.1 to 192.168.109.0/24 via 192.168.200.254 dev eth1 no_track\n"
	"    }\n"
	"    virtual_rules {\n"
	"        from 192.168.2.0/24 table 1 preference 10\n"
	"    }\n"				/* 65 */
	"    no_accept\n"
	"    nopreempt\n"
	"    preempt_delay 4.12\n"
	"    skip_check_adv_addr\n"
	"    strict_mode off\n"			/* 70 */
	"    debug 2\n"
	"    notify_master \"/bin/echo master\" root\n"
	"    notify_backup /bin/b\n"
	"    notify_fault /bin/f root wheel\n"
	"    notify_stop /bin/s\n"			/* 75 */
	"    notify_deleted\n"
	"    notify_master_rx_lower_pri /bin/lower\n"
	"    notify /bin/n\n"
	"    notify_priority_changes on\n"
	"    smtp_alert\n"				/* 80 */
	"    kernel_rx_buf_size 65536\n"
	"    notify_fifo /run/fifo\n"
	"}\n"
	"vrrp_instance VI_2 {\n"
	"    interface eth1\n"			/* 85 */
	"    unicast_src_ip 10.1.1.1\n"
	"    unicast_peer {\n"
	"        10.1.1.2 min_ttl 3 max_ttl 250\n"
	"        10.1.1.3\n"
	"    }\n"				/* 90 */
	"    unicast_fault_no_peer\n"
	"    check_unicast_src\n"
	"    unicast_ttl 10\n"
	"    old_unicast_checksum never\n"
	"    virtual_router_id 52\n"			/* 95 */
	"    priority 255\n"
	"    authentication {\n"
	"        auth_type PASS\n"
	"        auth_pass secret12\n"
	"    }\n"				/* 100 */
	"    virtual_ipaddress {\n"
	"        10.1.1.100/24\n"
	"    }\n"
	"    accept\n"
	"    preempt\n"				/* 105 */
	"    kernel_rp_filter\n"
	"}\n"
	"vrrp_instance VI_3 {\n"
	"    interface eth0\n"
	"    use_ipvlan ipv1 fe80::3/64 private\n"	/* 110 */
	"    virtual_router_id 53\n"
	"    native_ipv6\n"
	"    virtual_ipaddress {\n"
	"        fe80::53\n"
	"        2001:db8::53\n"			/* 115 */
	"    }\n"
	"    linkbeat_use_polling\n"
	"    lvs_sync_daemon_interface eth1\n"
	"}\n";

static void test_inst_keywords(void **state)
{
	struct loaded l;
	const struct cfg_vrrp *v = load_ok(&l, inst_all);
	const struct cfg_vrrp_inst *i = inst(v, "VI_1");
	const struct cfg_track_ref *t;
	const uint8_t mac[5] = { 2, 0, 0x5e, 0, 1 };

	(void)state;
	assert_string_equal(i->file, FILE_NAME);
	assert_int_equal(i->line, 10);
	assert_int_equal(i->state, CFG_VRRP_STATE_BACKUP);
	assert_string_equal(i->interface, "eth0");
	assert_string_equal(i->vrf, "blue");
	assert_diag(&l, CFG_SEV_WARN, 10, "vrf blue has no effect when an interface is given");
	assert_true(i->use_vmac);
	assert_string_equal(i->vmac_name, "vrrp.51");
	assert_int_equal(i->vmac_mac_len, 5);
	assert_memory_equal(i->vmac_mac, mac, 5);
	assert_true(i->use_vmac_addr && i->vmac_xmit_base && i->dont_track_primary);

	t = i->track[CFG_TRACK_IF];
	assert_string_equal(t->name, "eth1");
	assert_true(t->has_weight);
	assert_int_equal(t->weight, 2);
	assert_int_equal(t->line, 19);
	t = t->next;
	assert_string_equal(t->name, "eth3");
	assert_false(t->has_weight);
	t = t->next;
	assert_int_equal(t->weight, -253);
	assert_true(t->reverse);
	assert_null(t->next);
	assert_string_equal(i->track[CFG_TRACK_SCRIPT]->name, "chk_a");
	assert_int_equal(i->track[CFG_TRACK_FILE]->weight, -3);
	assert_true(i->track[CFG_TRACK_PROCESS]->reverse);
	assert_int_equal(i->track[CFG_TRACK_PROCESS]->weight, 4);
	assert_string_equal(i->track[CFG_TRACK_BFD]->name, "bfd1");

	assert_addr(&i->mcast_src_ip, "192.168.200.1");
	assert_addr(&i->mcast_dst_ip, "224.0.0.20");
	assert_true(i->track_src_ip);
	assert_int_equal(i->version, 3);
	assert_int_equal(i->eff_version, 3);
	assert_int_equal(i->garp_master_delay_s, 10);
	assert_int_equal(i->garp_master_repeat, 2);
	assert_int_equal(i->garp_master_refresh_s, 60);
	assert_int_equal(i->garp_master_refresh_repeat, 3);
	assert_int_equal(i->garp_lower_prio_delay_s, 5);
	assert_int_equal(i->garp_lower_prio_repeat, 4);
	assert_int_equal(i->garp_extra_if_s, 30);
	assert_true(i->garp_extra_if_all);
	assert_int_equal(i->down_timer_adverts, 4);
	assert_int_equal(i->lower_prio_no_advert, 1);
	assert_int_equal(i->higher_prio_send_advert, 0);
	assert_int_equal(i->vrid, 51);
	assert_int_equal(i->priority, 150);
	assert_int_equal(i->advert_int_cs, 50);
	assert_int_equal(i->eff_advert_int_cs, 50);

	assert_addr(&i->vips->addr, "192.168.200.17/24");
	assert_string_equal(i->vips->dev, "eth1");
	assert_string_equal(i->vips->label, "eth1:1");
	assert_int_equal(i->vips->line, 53);
	assert_addr(&i->vips->next->addr, "192.168.200.18");
	assert_false(i->vips->next->addr.has_prefix);
	assert_true(i->vips->next->use_vmac);
	assert_false(i->vips->use_vmac);
	assert_int_equal(i->vips->next->addr.prefix, 32);
	assert_addr(&i->evips->addr, "2001:db8::5/64");
	assert_true(i->promote_secondaries);
	assert_addr(&i->routes->dst, "192.168.109.0/24");
	assert_addr(&i->routes->src, "192.168.100.1");
	assert_addr(&i->routes->via, "192.168.200.254");
	assert_string_equal(i->routes->dev, "eth1");
	assert_true(i->routes->no_track);
	assert_addr(&i->rules->from, "192.168.2.0/24");
	assert_int_equal(i->rules->table.id, 1);
	assert_int_equal(i->rules->priority, 10);

	assert_int_equal(i->accept, 0);
	assert_true(i->nopreempt);
	assert_int_equal(i->preempt_delay_ms, 4120);
	assert_int_equal(i->skip_check_adv_addr, 1);
	assert_int_equal(i->strict_mode, 0);
	assert_int_equal(i->debug, 2);
	assert_string_equal(i->notify[CFG_NOTIFY_MASTER].script, "/bin/echo master");
	assert_string_equal(i->notify[CFG_NOTIFY_MASTER].user, "root");
	assert_null(i->notify[CFG_NOTIFY_MASTER].group);
	assert_string_equal(i->notify[CFG_NOTIFY_BACKUP].script, "/bin/b");
	assert_string_equal(i->notify[CFG_NOTIFY_FAULT].group, "wheel");
	assert_string_equal(i->notify[CFG_NOTIFY_STOP].script, "/bin/s");
	assert_true(i->notify_deleted);
	assert_null(i->notify[CFG_NOTIFY_DELETED].script);
	assert_string_equal(i->notify[CFG_NOTIFY_MASTER_RX_LOWER_PRI].script, "/bin/lower");
	assert_string_equal(i->notify[CFG_NOTIFY_ANY].script, "/bin/n");
	assert_int_equal(i->notify_priority_changes, 1);
	assert_int_equal(i->smtp_alert, 1);
	assert_int_equal(i->kernel_rx_buf_size, 65536);
	assert_string_equal(i->notify_fifo, "/run/fifo");
	assert_int_equal(i->family, AF_INET);
	assert_false(i->unicast);

	i = inst(v, "VI_2");
	assert_addr(&i->unicast_src_ip, "10.1.1.1");
	assert_addr(&i->unicast_peers->addr, "10.1.1.2");
	assert_int_equal(i->unicast_peers->min_ttl, 3);
	assert_int_equal(i->unicast_peers->max_ttl, 250);
	assert_int_equal(i->unicast_peers->next->min_ttl, -1);
	assert_true(i->unicast_fault_no_peer && i->check_unicast_src && i->unicast);
	assert_int_equal(i->unicast_ttl, 10);
	assert_int_equal(i->old_unicast_checksum, CFG_OLD_CKSUM_NEVER);
	assert_int_equal(i->priority, 255);
	assert_int_equal(i->state, CFG_VRRP_STATE_MASTER);	/* the owner */
	assert_int_equal(i->auth.type, CFG_VRRP_AUTH_PASS);
	assert_string_equal(i->auth.pass, "secret12");
	assert_int_equal(i->accept, 1);
	assert_false(i->nopreempt);
	assert_int_equal(i->eff_version, 2);
	assert_int_equal(i->advert_int_cs, 100);
	assert_int_equal(i->lower_prio_no_advert, CFG_VTRI_UNSET);
	assert_int_equal(i->garp_master_delay_s, -1);
	assert_diag(&l, CFG_SEV_NOTICE, 106, "kernel_rp_filter");

	i = inst(v, "VI_3");
	assert_true(i->use_ipvlan);
	assert_string_equal(i->ipvlan_name, "ipv1");
	assert_addr(&i->ipvlan_addr, "fe80::3/64");
	assert_int_equal(i->ipvlan_mode, CFG_IPVLAN_PRIVATE);
	assert_int_equal(i->family, AF_INET6);
	assert_int_equal(i->eff_version, 3);
	assert_true(i->native_ipv6 && i->linkbeat_use_polling);
	assert_string_equal(i->lvs_sync_daemon_interface, "eth1");
	assert_diag(&l, CFG_SEV_WARN, 112, "native_ipv6");
	assert_diag(&l, CFG_SEV_WARN, 117, "linkbeat_interfaces");
	assert_diag(&l, CFG_SEV_WARN, 118, "lvs_sync_daemon");
	assert_diag(&l, CFG_SEV_WARN, 33, "BFD is not supported");

	assert_round_trip(l.root, NULL);
	unload(&l);
}

/* ------------------------------------------------------------------ */
/* vrrp_script, track_file, vrrp_track_process, vrrp_sync_group */

static const char track_all[] =
	"vrrp_script chk_a {\n"				/* 1 */
	"    script \"/bin/true a b\"\n"
	"    interval 2\n"
	"    timeout 3.5\n"
	"    weight -20 reverse\n"			/* 5 */
	"    rise 2\n"
	"    fall 3\n"
	"    user nobody nogroup\n"
	"    init_fail\n"
	"}\n"					/* 10 */
	"vrrp_script chk_b {\n"
	"    script /bin/false\n"
	"}\n"
	"track_file tf1 {\n"
	"    file /tmp/tf1\n"				/* 15 */
	"    weight 5 reverse\n"
	"    init_file 7 overwrite\n"
	"}\n"
	"vrrp_track_file tf2 {\n"
	"    file /tmp/tf2\n"				/* 20 */
	"    init_file\n"
	"}\n"
	"vrrp_track_process tp1 {\n"
	"    process \"/usr/bin/a b\" x \"y z\"\n"
	"    param_match partial\n"			/* 25 */
	"    weight 3 reverse\n"
	"    quorum 2\n"
	"    quorum_max 4\n"
	"    fork_delay 0.5\n"
	"    terminate_delay 1.5\n"			/* 30 */
	"    full_command\n"
	"}\n"
	"track_process tp2 {\n"
	"    process sshd\n"
	"    delay 2\n"				/* 35 */
	"}\n"
	"vrrp_sync_group G1 {\n"
	"    group {\n"
	"        VI_1 VI_2\n"
	"    }\n"					/* 40 */
	"    track_interface {\n"
	"        eth2 weight 10 reverse\n"
	"    }\n"
	"    track_script {\n"
	"        chk_a weight 5\n"			/* 45 */
	"    }\n"
	"    track_file {\n"
	"        tf1 weight 2\n"
	"    }\n"
	"    track_process {\n"			/* 50 */
	"        tp1\n"
	"    }\n"
	"    notify_master \"/usr/local/bin/m arg\" root\n"
	"    notify_backup /usr/local/bin/b\n"
	"    notify_fault \"/usr/local/bin/f x\" root root\n"	/* 55 */
	"    notify_stop /usr/local/bin/s\n"
	"    notify_deleted /usr/local/bin/d\n"
	"    notify /usr/local/bin/any\n"
	"    notify_priority_changes\n"
	"    smtp_alert off\n"			/* 60 */
	"    global_tracking\n"
	"    sync_group_tracking_weight\n"
	"}\n"
	"vrrp_instance VI_1 {\n"
	"    interface eth0\n"			/* 65 */
	"    virtual_router_id 1\n"
	"}\n"
	"vrrp_instance VI_2 {\n"
	"    interface eth0\n"
	"    virtual_router_id 2\n"			/* 70 */
	"}\n"
	"track_group TG {\n"
	"    group {\n"
	"        VI_1\n"
	"    }\n"					/* 75 */
	"}\n"
	"static_ipaddress {\n"
	"    10.0.0.1/24 dev eth0 track_group TG\n"
	"}\n"
	"interface_up_down_delays {\n"		/* 80 */
	"    eth0 2.5\n"
	"    eth1 1 3\n"
	"}\n"
	"garp_group {\n"
	"    garp_interval 0.001\n"			/* 85 */
	"    gna_interval 0.5\n"
	"    interfaces {\n"
	"        eth0\n"
	"        eth1\n"
	"    }\n"					/* 90 */
	"}\n"
	"bfd_instance B1 {\n"
	"    neighbor_ip 10.0.0.9\n"
	"}\n";

static void test_tracking_keywords(void **state)
{
	struct loaded l;
	const struct cfg_vrrp *v = load_ok(&l, track_all);
	const struct cfg_vrrp_script *s = cfg_vrrp_find_script(v, "chk_a");
	const struct cfg_track_file *f = cfg_vrrp_find_track_file(v, "tf1");
	const struct cfg_track_process *p = cfg_vrrp_find_track_process(v, "tp1");
	const struct cfg_vrrp_sync *g = v->syncs;

	(void)state;
	assert_non_null(s);
	assert_string_equal(s->script, "/bin/true a b");
	assert_int_equal(s->interval_ms, 2000);
	assert_int_equal(s->timeout_ms, 3500);
	assert_int_equal(s->weight, -20);
	assert_true(s->weight_reverse);
	assert_int_equal(s->rise, 2);
	assert_int_equal(s->fall, 3);
	assert_string_equal(s->user, "nobody");
	assert_string_equal(s->group, "nogroup");
	assert_true(s->init_fail);
	s = cfg_vrrp_find_script(v, "chk_b");
	assert_int_equal(s->interval_ms, 1000);
	assert_int_equal(s->rise, 1);
	assert_int_equal(s->weight, 0);

	assert_non_null(f);
	assert_string_equal(f->path, "/tmp/tf1");
	assert_int_equal(f->weight, 5);
	assert_true(f->weight_reverse && f->init_file && f->init_overwrite);
	assert_int_equal(f->init_value, 7);
	f = cfg_vrrp_find_track_file(v, "tf2");
	assert_non_null(f);
	assert_int_equal(f->weight, 1);
	assert_true(f->init_file);
	assert_false(f->init_overwrite);
	assert_diag(&l, CFG_SEV_WARN, 19, "'vrrp_track_file' is deprecated, use 'track_file'");

	assert_non_null(p);
	assert_int_equal(p->process.n, 3);
	assert_string_equal(p->process.v[0], "/usr/bin/a b");
	assert_string_equal(p->process.v[2], "y z");
	assert_int_equal(p->param_match, CFG_PARAM_MATCH_PARTIAL);
	assert_int_equal(p->weight, 3);
	assert_true(p->weight_reverse && p->full_command);
	assert_int_equal(p->quorum, 2);
	assert_int_equal(p->quorum_max, 4);
	assert_int_equal(p->fork_delay_ms, 500);
	assert_int_equal(p->terminate_delay_ms, 1500);
	p = cfg_vrrp_find_track_process(v, "tp2");
	assert_non_null(p);
	assert_int_equal(p->fork_delay_ms, 2000);
	assert_int_equal(p->terminate_delay_ms, 2000);
	assert_int_equal(p->quorum_max, UINT32_MAX);

	assert_non_null(g);
	assert_string_equal(g->name, "G1");
	assert_int_equal(g->line, 37);
	assert_int_equal(g->group.n, 2);
	assert_string_equal(g->group.v[1], "VI_2");
	assert_int_equal(g->group_line, 38);
	assert_int_equal(g->track[CFG_TRACK_IF]->weight, 10);
	assert_true(g->track[CFG_TRACK_IF]->reverse);
	assert_int_equal(g->track[CFG_TRACK_SCRIPT]->weight, 5);
	assert_string_equal(g->track[CFG_TRACK_FILE]->name, "tf1");
	assert_string_equal(g->track[CFG_TRACK_PROCESS]->name, "tp1");
	assert_string_equal(g->notify[CFG_NOTIFY_MASTER].script, "/usr/local/bin/m arg");
	assert_string_equal(g->notify[CFG_NOTIFY_FAULT].group, "root");
	assert_string_equal(g->notify[CFG_NOTIFY_DELETED].script, "/usr/local/bin/d");
	assert_string_equal(g->notify[CFG_NOTIFY_ANY].script, "/usr/local/bin/any");
	assert_int_equal(g->notify_priority_changes, 1);
	assert_int_equal(g->smtp_alert, 0);
	assert_true(g->global_tracking && g->sync_group_tracking_weight);
	assert_diag(&l, CFG_SEV_WARN, 61, "global_tracking");
	assert_ptr_equal(inst(v, "VI_1")->sync, g);
	assert_ptr_equal(inst(v, "VI_2")->sync, g);

	assert_string_equal(v->track_groups->name, "TG");
	assert_string_equal(v->static_vips->track_group, "TG");
	assert_string_equal(v->if_delays->name, "eth0");
	assert_int_equal(v->if_delays->down_delay_us, 2500000);
	assert_int_equal(v->if_delays->up_delay_us, 2500000);
	assert_int_equal(v->if_delays->next->up_delay_us, 3000000);
	assert_int_equal(v->garp_groups->garp_interval_us, 1000);
	assert_int_equal(v->garp_groups->gna_interval_us, 500000);
	assert_int_equal(v->garp_groups->interfaces.n, 2);
	assert_diag(&l, CFG_SEV_WARN, 92, "bfd_instance is not supported by alived");

	assert_round_trip(l.root, NULL);
	unload(&l);
}

/* ------------------------------------------------------------------ */
/* Address, route and rule lines */

static const char lines_all[] =
	"static_ipaddress {\n"				/* 1 */
	"    192.168.200.16/24 dev eth0 scope link brd + label eth0:5\n"
	"    10.9.0.1 peer 10.9.0.2 dev eth1 home noprefixroute\n"
	"    2001:db8::1/64 dev eth1 -nodad mngtmpaddr autojoin preferred_lft forever\n"
	"    10.9.0.5/24 scope 7 preferred_lft 30 no_track brd -\n"	/* 5 */
	"    10.9.0.3/24 brd 10.9.0.255\n"
	"}\n"
	"static_routes {\n"
	"    192.168.2.0/24 via 192.168.1.100 dev eth0\n"
	"    192.168.100.0/24 table 6909 nexthop via 192.168.101.1 dev eth1 onlink weight 1 "
	"nexthop via 192.168.101.2 dev eth1 weight 2\n"	/* 10 */
	"    192.168.200.0/24 dev eth1 table 6909 tos 0x04 protocol bird scope link priority 12 "
	"mtu 1000 hoplimit 100 ssthresh lock 107 realms 20/10 features ecn quickack 1\n"
	"    2001:470::4 dev eth1 table local protocol 99 pref high expires 30 append\n"
	"    unreachable 10.77.0.0/16\n"
	"    default via 10.0.0.1 table main metric 5\n"
	"    inet6 default via fe80::1 dev eth0\n"	/* 15 */
	"    10.8.0.0/16 via 10.0.0.2 or 10.0.0.3\n"
	"    10.7.0.0/16 gw 10.0.0.4 congctl lock cubic vrf red\n"
	"    to blackhole 10.6.0.0/16 table mytable\n"
	"}\n"
	"static_rules {\n"				/* 20 */
	"    from 192.168.2.0/24 table 1 preference 100\n"
	"    to 192.168.2.0/24 lookup 2 priority 101\n"
	"    from 192.168.28.0/24 to 192.168.29.0/26 table 5 iif eth0 oif eth1 tos 22 "
	"fwmark 24/12 preference 39 realms 30/20\n"
	"    from 192.168.30.0/24 goto 45 preference 41\n"
	/* 25 */
	"    to 1:2::/112 from 7:6::/96 table 6908 uidrange 10000-19999 preference 50\n"
	"    not from 8::/96 l3mdev protocol 12 ip_proto udp sport 10-20 dport 22 "
	"preference 51\n"
	"    from all fwmark 0x10 prohibit preference 60\n"
	"    inet6 table 9 preference 61 suppress_ifgroup 3 suppress_prefixlength 0\n"
	"    from 10.0.0.0/8 nop preference 62\n"
	"}\n";

static void test_line_parsers(void **state)
{
	struct loaded l;
	const struct cfg_vrrp *v = load_ok(&l, lines_all);
	const struct cfg_vip *a = v->static_vips;
	const struct cfg_route *r = v->static_routes;
	const struct cfg_rule *u = v->static_rules;
	const struct cfg_nexthop *nh;

	(void)state;
	assert_addr(&a->addr, "192.168.200.16/24");
	assert_string_equal(a->dev, "eth0");
	assert_int_equal(a->scope, CFG_SCOPE_LINK);
	assert_int_equal(a->brd_mode, CFG_BRD_SET);
	assert_string_equal(a->label, "eth0:5");
	assert_int_equal(a->line, 2);
	a = a->next;
	assert_addr(&a->peer, "10.9.0.2");
	assert_true(a->home && a->noprefixroute);
	assert_int_equal(a->brd_mode, CFG_BRD_NONE);
	a = a->next;
	assert_true(a->nodad && a->mngtmpaddr && a->autojoin && a->has_preferred_lft);
	assert_int_equal(a->preferred_lft_s, CFG_LFT_FOREVER);
	a = a->next;
	assert_int_equal(a->scope, 7);
	assert_int_equal(a->preferred_lft_s, 30);
	assert_true(a->no_track);
	assert_int_equal(a->brd_mode, CFG_BRD_CLEAR);
	assert_int_equal(a->next->brd_mode, CFG_BRD_ADDR);
	assert_addr(&a->next->brd, "10.9.0.255");

	assert_addr(&r->dst, "192.168.2.0/24");
	assert_addr(&r->via, "192.168.1.100");
	assert_int_equal(r->family, AF_INET);
	r = r->next;
	assert_int_equal(r->table.id, 6909);
	nh = r->nexthops;
	assert_addr(&nh->via, "192.168.101.1");
	assert_true(nh->onlink);
	assert_int_equal(nh->weight, 1);
	assert_int_equal(nh->next->weight, 2);
	assert_false(nh->next->onlink);
	r = r->next;
	assert_int_equal(r->tos, 4);
	assert_int_equal(r->protocol.id, 12);
	assert_int_equal(r->scope, CFG_SCOPE_LINK);
	assert_int_equal(r->metric, 12);
	assert_int_equal(r->metrics[CFG_RTAX_MTU], 1000);
	assert_int_equal(r->metrics[CFG_RTAX_HOPLIMIT], 100);
	assert_int_equal(r->metrics[CFG_RTAX_SSTHRESH], 107);
	assert_true(r->metrics_lock & (1u << CFG_RTAX_SSTHRESH));
	assert_false(r->metrics_lock & (1u << CFG_RTAX_MTU));
	assert_int_equal(r->metrics[CFG_RTAX_FEATURES], CFG_RTAX_FEATURE_ECN);
	assert_int_equal(r->metrics[CFG_RTAX_QUICKACK], 1);
	assert_int_equal(r->realms, 20 << 16 | 10);
	r = r->next;
	assert_int_equal(r->family, AF_INET6);
	assert_int_equal(r->table.id, 255);
	assert_int_equal(r->protocol.id, 99);
	assert_true(r->has_pref && r->append);
	assert_int_equal(r->expires_s, 30);
	r = r->next;
	assert_int_equal(r->type, CFG_RT_UNREACHABLE);
	r = r->next;
	assert_addr(&r->dst, "0.0.0.0/0");
	assert_int_equal(r->table.id, 254);
	assert_int_equal(r->metric, 5);
	r = r->next;
	assert_addr(&r->dst, "::/0");
	assert_addr(&r->via, "fe80::1");
	r = r->next;
	assert_int_equal(r->via.family, AF_UNSPEC);
	assert_addr(&r->nexthops->via, "10.0.0.2");
	assert_addr(&r->nexthops->next->via, "10.0.0.3");
	assert_diag(&l, CFG_SEV_WARN, 16, "'or' is deprecated");
	r = r->next;
	assert_addr(&r->via, "10.0.0.4");
	assert_string_equal(r->congctl, "cubic");
	assert_true(r->congctl_lock);
	assert_string_equal(r->vrf, "red");
	assert_diag(&l, CFG_SEV_WARN, 17, "'gw' is deprecated; use 'via'");
	r = r->next;
	assert_int_equal(r->type, CFG_RT_BLACKHOLE);
	assert_string_equal(r->table.name, "mytable");

	assert_addr(&u->from, "192.168.2.0/24");
	assert_int_equal(u->priority, 100);
	assert_int_equal(u->action, CFG_RULE_ACT_TABLE);
	u = u->next;
	assert_int_equal(u->from.family, AF_UNSPEC);
	assert_addr(&u->to, "192.168.2.0/24");
	assert_int_equal(u->table.id, 2);
	u = u->next;
	assert_string_equal(u->iif, "eth0");
	assert_string_equal(u->oif, "eth1");
	assert_int_equal(u->fwmark, 24);
	assert_int_equal(u->fwmask, 12);
	assert_int_equal(u->tos, 22);
	assert_int_equal(u->realms, 30 << 16 | 20);
	u = u->next;
	assert_int_equal(u->action, CFG_RULE_ACT_GOTO);
	assert_int_equal(u->goto_target, 45);
	u = u->next;
	assert_int_equal(u->family, AF_INET6);
	assert_int_equal(u->uid_start, 10000);
	assert_int_equal(u->uid_end, 19999);
	u = u->next;
	assert_true(u->invert && u->l3mdev);
	assert_int_equal(u->protocol.id, 12);
	assert_int_equal(u->ip_proto, 17);
	assert_int_equal(u->sport_lo, 10);
	assert_int_equal(u->sport_hi, 20);
	assert_int_equal(u->dport_lo, 22);
	assert_int_equal(u->dport_hi, 22);
	u = u->next;
	assert_int_equal(u->action, CFG_RULE_ACT_PROHIBIT);
	assert_int_equal(u->suppress_prefixlen, -1);
	u = u->next;
	assert_int_equal(u->family, AF_INET6);
	assert_int_equal(u->table.id, 9);
	assert_int_equal(u->suppress_prefixlen, 0);
	assert_int_equal(u->suppress_ifgroup, 3);
	assert_int_equal(u->next->action, CFG_RULE_ACT_NOP);

	assert_round_trip(l.root, NULL);
	unload(&l);
}

/* ------------------------------------------------------------------ */
/* Errors: each refuses the configuration with a message at FILE:LINE */

#define VI_OK(name, vrid) \
	"vrrp_instance " name " {\n    interface eth0\n    virtual_router_id " vrid "\n}\n"

struct diag_case {
	const char *what;
	const char *text;
	unsigned line;
	const char *msg;
};

static const struct diag_case error_cases[] = {
	{ "vrid range",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 300\n}\n", 3,
	  "virtual_router_id 300: must be 1..255" },
	{ "vrid missing", "vrrp_instance A {\n interface eth0\n}\n", 1,
	  "vrrp_instance A: no virtual_router_id (1..255)" },
	{ "interface missing", "vrrp_instance A {\n virtual_router_id 5\n}\n", 1,
	  "vrrp_instance A: no interface" },
	{ "interface name too long",
	  "vrrp_instance A {\n interface abcdefghijklmnopq\n virtual_router_id 5\n}\n", 2,
	  "interface abcdefghijklmnopq: not a valid interface name" },
	{ "duplicate instance", VI_OK("A", "1") VI_OK("A", "2"), 5,
	  "vrrp_instance A defined twice (first at t.conf:1)" },
	{ "duplicate vrid", VI_OK("A", "7") VI_OK("B", "7"), 7,
	  "vrrp_instance B: virtual_router_id 7 is already used by A (t.conf:1) on eth0 for "
	  "IPv4 multicast" },
	{ "duplicate vrid unicast overlapping peers",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 7\n unicast_peer {\n"
	  "  10.0.0.1\n }\n}\n"
	  "vrrp_instance B {\n interface eth0\n virtual_router_id 7\n unicast_peer {\n"
	  "  10.0.0.2\n  10.0.0.1\n }\n}\n",
	  10, "already used by A" },
	{ "priority 0",
	  "vrrp_instance A {\n interface eth0\n priority 0\n virtual_router_id 1\n}\n",
	  3, "priority 0: must be 1..255" },
	{ "priority 256",
	  "vrrp_instance A {\n interface eth0\n priority 256\n virtual_router_id 1\n}\n", 3,
	  "priority 256: must be 1..255" },
	{ "state", "vrrp_instance A {\n state FOO\n interface eth0\n virtual_router_id 1\n}\n", 2,
	  "state FOO: must be one of BACKUP|MASTER" },
	{ "unicast peer family",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n unicast_peer {\n"
	  "  10.0.0.1\n  fe80::1\n }\n virtual_ipaddress {\n  10.1.0.1\n }\n}\n",
	  6, "vrrp_instance A: unicast_peer fe80::1 is IPv6, the instance is IPv4" },
	{ "unicast_src_ip family",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n unicast_src_ip fe80::9\n"
	  " virtual_ipaddress {\n  10.1.0.1\n }\n}\n",
	  1, "unicast_src_ip fe80::9 is not IPv4 like the instance" },
	{ "mixed VIP families",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n"
	  "  10.0.0.1\n  2001:db8::1\n }\n}\n",
	  6, "virtual_ipaddress 2001:db8::1 is IPv6, the instance is IPv4" },
	{ "IPv6 with version 2",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 2\n"
	  " virtual_ipaddress {\n  2001:db8::1\n }\n}\n",
	  4, "version 2 cannot carry IPv6 addresses" },
	{ "native_ipv6 with IPv4",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n native_ipv6\n"
	  " virtual_ipaddress {\n  10.0.0.1\n }\n}\n",
	  1, "native_ipv6 with IPv4 addresses" },
	{ "advert_int v3 too long",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 3\n"
	  " advert_int 41\n}\n",
	  5, "advert_int 41.00: must be 0.01..40.95 with VRRP version 3" },
	{ "advert_int zero",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n advert_int 0\n}\n", 4,
	  "advert_int 0: must be 0.01..255" },
	{ "advert_int 256",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n advert_int 256\n}\n", 4,
	  "advert_int 256: must be 0..255" },
	{ "preempt_delay",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n preempt_delay 1001\n}\n", 4,
	  "preempt_delay 1001: must be 0..1000" },
	{ "auth_type", "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
		       " authentication {\n  auth_type MD5\n }\n}\n",
	  5, "auth_type MD5: must be one of PASS|AH" },
	{ "PASS without password", "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
				   " authentication {\n  auth_type PASS\n }\n}\n",
	  4, "auth_type PASS needs an auth_pass" },
	{ "unknown track_script",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n track_script {\n"
	  "  nosuch\n }\n}\n",
	  5, "A: track_script nosuch: no vrrp_script of that name" },
	{ "unknown track_file",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n track_file {\n"
	  "  nofile weight 3\n }\n}\n",
	  5, "A: track_file nofile: no track_file of that name" },
	{ "unknown track_process",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n track_process {\n"
	  "  noproc\n }\n}\n",
	  5, "A: track_process noproc: no vrrp_track_process of that name" },
	{ "track weight range",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n track_interface {\n"
	  "  eth1 weight 254\n }\n}\n",
	  5, "eth1 254: must be -253..253" },
	{ "track option", "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
			  " track_interface {\n  eth1 bogus\n }\n}\n",
	  5, "track_interface: eth1: expected 'weight N' or 'reverse', got 'bogus'" },
	{ "sync group unknown member",
	  "vrrp_sync_group G {\n group {\n  A\n  Z\n }\n}\n" VI_OK("A", "1"), 2,
	  "vrrp_sync_group G: no vrrp_instance Z" },
	{ "instance in two sync groups",
	  "vrrp_sync_group G1 {\n group {\n  A\n }\n}\n"
	  "vrrp_sync_group G2 {\n group {\n  A\n }\n}\n" VI_OK("A", "1"),
	  7, "vrrp_sync_group G2: vrrp_instance A is already in vrrp_sync_group G1 (t.conf:1)" },
	{ "sync group without group",
	  "vrrp_sync_group G {\n notify_master /bin/true\n}\n" VI_OK("A", "1"), 1,
	  "vrrp_sync_group G: no 'group { }' block naming its instances" },
	{ "sync group empty group", "vrrp_sync_group G {\n group {\n }\n}\n" VI_OK("A", "1"), 2,
	  "the group { } block is empty" },
	{ "sync group unknown track_script",
	  "vrrp_sync_group G {\n group {\n  A\n }\n track_script {\n  x\n }\n}\n" VI_OK("A", "1"),
	  6, "G: track_script x: no vrrp_script of that name" },
	{ "vrrp_script without script", "vrrp_script S {\n interval 2\n}\n" VI_OK("A", "1"), 1,
	  "vrrp_script S: no 'script' given" },
	{ "vrrp_script weight",
	  "vrrp_script S {\n script /bin/true\n weight -300\n}\n" VI_OK("A", "1"), 3,
	  "weight -300: must be -253..253" },
	{ "vrrp_script interval", "vrrp_script S {\n script /bin/true\n interval 0\n}\n", 3,
	  "interval 0: must be 0.001..86400" },
	{ "duplicate vrrp_script",
	  "vrrp_script S {\n script /bin/true\n}\nvrrp_script S {\n script /bin/false\n}\n", 4,
	  "vrrp_script S defined twice (first at t.conf:1)" },
	{ "track_file without file", "track_file F {\n weight 2\n}\n", 1,
	  "track_file F: no 'file' given" },
	{ "track_process quorum",
	  "vrrp_track_process P {\n process x\n quorum 3\n quorum_max 2\n}\n",
	  1, "quorum 3 is above quorum_max 2" },
	{ "bad VIP", "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
		     " virtual_ipaddress {\n  10.0.0.300\n }\n}\n",
	  5, "virtual_ipaddress: 10.0.0.300: must be an IPv4 or IPv6 address[/prefix]" },
	{ "VIP unknown option", "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
				" virtual_ipaddress {\n  10.0.0.3 devv eth0\n }\n}\n",
	  5, "virtual_ipaddress: unknown option 'devv'" },
	{ "VIP brd on IPv6", "static_ipaddress {\n 2001:db8::1/64 brd +\n}\n", 2,
	  "static_ipaddress: 2001:db8::1/64: brd applies to IPv4 addresses only" },
	{ "VIP scope", "static_ipaddress {\n 10.0.0.1 scope moon\n}\n", 2,
	  "scope moon: must be global|site|link|host|nowhere or 0..255" },
	{ "route via family", "static_routes {\n 10.0.0.0/8 via fe80::1\n}\n", 2,
	  "static_routes: via fe80::1: address family differs from 10.0.0.0/8" },
	{ "route without destination", "static_routes {\n via 10.0.0.1 dev eth0\n}\n", 2,
	  "static_routes: no destination" },
	{ "route unknown word", "static_routes {\n 10.0.0.0/8 via 10.0.0.1 bogus\n}\n", 2,
	  "static_routes: unexpected word 'bogus'" },
	{ "route encap", "static_routes {\n 10.0.0.0/8 encap mpls 200 via 10.0.0.1\n}\n", 2,
	  "'encap' is not supported by alived" },
	{ "route metric value", "static_routes {\n 10.0.0.0/8 dev eth0 mtu lock x\n}\n", 2,
	  "mtu x: must be 0..4294967295" },
	{ "rule fwmark", "static_rules {\n from 10.0.0.0/8 fwmark 1/0 table 2 preference 3\n}\n", 2,
	  "fwmark 1/0: must be MARK or MARK/MASK" },
	{ "rule address", "static_rules {\n to 192.168.100./24 table 1\n}\n", 2,
	  "static_rules: to 192.168.100./24: must be an IPv4 or IPv6 address" },
	{ "rule two actions", "static_rules {\n from 10.0.0.0/8 table 2 blackhole\n}\n", 2,
	  "'blackhole': only one of table, goto" },
	{ "rule goto backwards", "static_rules {\n from 10.0.0.0/8 goto 5 preference 10\n}\n", 2,
	  "goto 5: must be above the rule's preference 10" },
	{ "rule suppress without table",
	  "static_rules {\n from 10.0.0.0/8 prohibit suppress_prefixlength 0 preference 3\n}\n", 2,
	  "suppress_prefixlength/suppress_ifgroup apply to table lookups only" },
	{ "rule families", "static_rules {\n from 10.0.0.0/8 to 2001:db8::/32\n}\n", 2,
	  "from and to are of different address families" },
	{ "unknown track_group", "static_ipaddress {\n 10.0.0.1 track_group TG\n}\n", 2,
	  "track_group TG: no track_group of that name" },
	{ "track_group member", "track_group TG {\n group {\n  X\n }\n}\n", 1,
	  "track_group TG: no vrrp_instance X" },
	{ "notify arguments",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	  " notify_master /bin/a b c d\n}\n",
	  4, "notify_master: expected SCRIPT [USER [GROUP]]" },
	{ "unicast_peer ttl", "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
			      " unicast_peer {\n  10.0.0.1 max_ttl 300\n }\n}\n",
	  5, "300: must be 0..255" },
	{ "mcast_dst_ip not multicast",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	  " mcast_dst_ip 10.0.0.1\n}\n",
	  1,
	  "mcast_dst_ip 10.0.0.1 is not multicast" },
	{ "mcast_src_ip prefix",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	  " mcast_src_ip 10.0.0.1/24\n}\n",
	  4, "mcast_src_ip 10.0.0.1/24: no /prefix here" },
	{ "strict mode unicast",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n strict_mode\n"
	  " unicast_peer {\n  10.0.0.1\n }\n virtual_ipaddress {\n  10.0.0.5\n }\n}\n",
	  1, "strict mode does not allow unicast_peer" },
	{ "strict mode MASTER", "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
				" strict_mode\n state MASTER\n"
				" virtual_ipaddress {\n  10.0.0.5\n }\n}\n",
	  5, "strict mode allows state MASTER only with priority 255" },
	{ "block where a value is expected",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n priority {\n }\n}\n", 4,
	  "priority takes a value, not a { } block" },
	{ "instance without name", "vrrp_instance {\n interface eth0\n virtual_router_id 1\n}\n", 1,
	  "vrrp_instance needs exactly one name" },
};

static void test_errors(void **state)
{
	struct loaded l;
	size_t i;

	(void)state;
	assert_true(sizeof(error_cases) / sizeof(error_cases[0]) >= 20);
	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct diag_case *c = &error_cases[i];

		load(&l, c->text);
		if (l.rc != -EINVAL || !l.diags.n_err) {
			cfg_diags_print(&l.diags, stderr);
			fail_msg("case '%s': accepted (rc %d)", c->what, l.rc);
		}
		if (!find_diag(&l.diags, CFG_SEV_ERROR, FILE_NAME, c->line, c->msg)) {
			cfg_diags_print(&l.diags, stderr);
			fail_msg("case '%s': no error at " FILE_NAME ":%u containing '%s'", c->what,
				 c->line, c->msg);
		}
		assert_null(l.root);
		unload(&l);
	}
}

/* Warnings: accepted, with the message at FILE:LINE. */
static const struct diag_case warn_cases[] = {
	{ "unknown keyword",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n frobnicate 3\n}\n", 4,
	  "unknown keyword 'frobnicate' in vrrp_instance" },
	{ "priority twice",
	  "vrrp_instance A {\n interface eth0\n priority 10\n priority 20\n"
	  " virtual_router_id 1\n}\n",
	  4, "priority given twice; the last one wins" },
	{ "advert_int twice",
	  "vrrp_instance A {\n interface eth0\n advert_int 2\n advert_int 3\n"
	  " virtual_router_id 1\n}\n",
	  4, "advert_int given twice; the last one wins" },
	{ "interface twice",
	  "vrrp_instance A {\n interface eth0\n interface eth1\n virtual_router_id 1\n}\n", 3,
	  "interface given twice" },
	{ "notify twice",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n notify /a\n notify /b\n}\n",
	  5, "notify given twice" },
	{ "owner in BACKUP",
	  "vrrp_instance A {\n interface eth0\n state BACKUP\n priority 255\n"
	  " virtual_router_id 1\n}\n",
	  3, "state BACKUP with priority 255 (address owner); starting as MASTER" },
	{ "auth with version 3",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 3\n"
	  " authentication {\n  auth_type PASS\n  auth_pass 1111\n }\n}\n",
	  5, "VRRP version 3 has no authentication; ignored" },
	{ "auth_pass truncated",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n authentication {\n"
	  "  auth_type PASS\n  auth_pass 1234567890\n }\n}\n",
	  6, "auth_pass: longer than 8 characters; truncated" },
	{ "advert_int v2 fraction",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n advert_int 1.5\n}\n", 4,
	  "advert_int 1.50: VRRP version 2 counts whole seconds; rounded to 2" },
	{ "advert_int sub-centisecond",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 3\n"
	  " advert_int 0.015\n}\n",
	  5, "advert_int 0.015: rounded to 0.02 (centisecond resolution)" },
	{ "nopreempt with MASTER",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n state MASTER\n"
	  " nopreempt\n}\n",
	  5, "nopreempt has no effect with state MASTER" },
	{ "track listed twice",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n track_interface {\n"
	  "  eth1\n  eth1 weight 3\n }\n}\n",
	  6, "track_interface: eth1 listed twice" },
	{ "sync member listed twice",
	  "vrrp_sync_group G {\n group {\n  A A\n }\n}\n" VI_OK("A", "1"), 2,
	  "vrrp_sync_group G: A listed twice" },
	{ "instance names outside group",
	  "vrrp_sync_group G {\n group {\n  A\n }\n B\n}\n" VI_OK("A", "1") VI_OK("B", "2"), 5,
	  "instance names go in 'group { }'" },
	{ "rule without preference", "static_rules {\n from 10.0.0.0/8 table 5\n}\n", 2,
	  "rule without preference" },
	{ "track_group in a virtual entry",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n"
	  "  10.0.0.1 track_group X\n }\n}\n",
	  5, "track_group applies to static entries only; ignored" },
	{ "VRRP MAC in use_vmac",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n use_vmac 00:00:5e:00:01\n}\n",
	  4, "the standard VRRP MAC is used anyway" },
	{ "brd with peer", "static_ipaddress {\n 10.0.0.1 peer 10.0.0.2 brd +\n}\n", 2,
	  "brd and peer together: brd ignored" },
	{ "brd + on a /32", "static_ipaddress {\n 10.0.0.1 brd +\n}\n", 2,
	  "brd + needs a prefix of /30 or shorter; ignored" },
	{ "scope on IPv6", "static_ipaddress {\n 2001:db8::1 scope link\n}\n", 2,
	  "scope applies to IPv4 addresses only; ignored" },
	{ "use_vmac on a static address", "static_ipaddress {\n 10.0.0.1 use_vmac\n}\n", 2,
	  "use_vmac applies to virtual addresses only; ignored" },
	{ "deprecated vrrp_track_file", "vrrp_track_file F {\n file /x\n}\n", 1,
	  "'vrrp_track_file' is deprecated, use 'track_file'" },
	{ "use_vmac with unicast",
	  "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n use_vmac\n"
	  " unicast_peer {\n  10.0.0.2\n }\n}\n",
	  1, "use_vmac with unicast_peer needs vmac_xmit_base" },
};

static void test_warnings(void **state)
{
	struct loaded l;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(warn_cases) / sizeof(warn_cases[0]); i++) {
		const struct diag_case *c = &warn_cases[i];

		load(&l, c->text);
		if (l.rc != 0) {
			cfg_diags_print(&l.diags, stderr);
			fail_msg("case '%s': refused (rc %d)", c->what, l.rc);
		}
		if (!find_diag(&l.diags, CFG_SEV_WARN, FILE_NAME, c->line, c->msg)) {
			cfg_diags_print(&l.diags, stderr);
			fail_msg("case '%s': no warning at " FILE_NAME ":%u containing '%s'",
				 c->what, c->line, c->msg);
		}
		assert_round_trip(l.root, NULL);
		unload(&l);
	}
}

/* ------------------------------------------------------------------ */
/* Semantics decided by the validator */

static void test_resolved_fields(void **state)
{
	struct loaded l;
	const struct cfg_vrrp *v;
	const struct cfg_vrrp_inst *i;

	(void)state;
	/* Rounding of a v2 fraction; the owner starts as MASTER; auth dropped for v3. */
	v = load_ok(&l, "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
			" advert_int 1.5\n state BACKUP\n priority 255\n}\n"
			"vrrp_instance B {\n interface eth0\n virtual_router_id 2\n version 3\n"
			" advert_int 0.15\n authentication {\n  auth_type AH\n  auth_pass x\n"
			" }\n}\n");
	i = inst(v, "A");
	assert_int_equal(i->advert_int_cs, 150);
	assert_int_equal(i->eff_advert_int_cs, 200);
	assert_int_equal(i->state, CFG_VRRP_STATE_MASTER);
	i = inst(v, "B");
	assert_int_equal(i->eff_advert_int_cs, 15);
	assert_int_equal(i->auth.type, CFG_VRRP_AUTH_NONE);
	assert_round_trip(l.root, NULL);
	unload(&l);

	/* The global vrrp_version is the default; IPv6 always runs version 3. */
	v = load_ok(&l, "global_defs {\n vrrp_version 3\n}\n" VI_OK("A", "1")
			"vrrp_instance B {\n interface eth0\n virtual_router_id 2\n version 2\n}\n"
			"vrrp_instance C {\n interface eth0\n virtual_router_id 3\n"
			" virtual_ipaddress {\n  fe80::1\n }\n}\n");
	assert_int_equal(inst(v, "A")->eff_version, 3);
	assert_int_equal(inst(v, "B")->eff_version, 2);
	assert_int_equal(inst(v, "C")->eff_version, 3);
	assert_int_equal(inst(v, "C")->family, AF_INET6);
	assert_int_equal(l.root->global->vrrp_version, 3);
	unload(&l);
	v = load_ok(&l, VI_OK("A", "1") "vrrp_instance C {\n interface eth0\n"
			" virtual_router_id 3\n virtual_ipaddress {\n  fe80::1\n }\n}\n");
	assert_int_equal(inst(v, "A")->eff_version, 2);
	assert_int_equal(inst(v, "C")->eff_version, 3);
	/* Same VRID on another family is fine. */
	unload(&l);

	/* A VRID may repeat on other interfaces, families, multicast groups, or
	 * with disjoint unicast peers. */
	v = load_ok(&l, VI_OK("A", "9")
			"vrrp_instance B {\n interface eth1\n virtual_router_id 9\n}\n"
			"vrrp_instance C {\n interface eth0\n virtual_router_id 9\n"
			" virtual_ipaddress {\n  2001:db8::1\n }\n}\n"
			"vrrp_instance D {\n interface eth0\n virtual_router_id 9\n"
			" mcast_dst_ip 224.0.0.19\n}\n"
			"vrrp_instance E {\n interface eth0\n virtual_router_id 9\n"
			" unicast_peer {\n  10.0.0.1\n }\n}\n"
			"vrrp_instance F {\n interface eth0\n virtual_router_id 9\n"
			" unicast_peer {\n  10.0.0.2\n }\n}\n");
	assert_int_equal(count_diags(&l, CFG_SEV_ERROR), 0);
	assert_true(inst(v, "E")->unicast);
	unload(&l);

	/* Global strict mode applies unless the instance says otherwise. */
	load(&l, "global_defs {\n vrrp_strict\n}\n"
		 "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
		 " preempt_delay 3\n virtual_ipaddress {\n  10.0.0.1\n }\n}\n");
	assert_int_equal(l.rc, -EINVAL);
	assert_diag(&l, CFG_SEV_ERROR, 4, "strict mode does not allow preempt_delay");
	unload(&l);
	load(&l, "global_defs {\n vrrp_strict\n}\n"
		 "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n strict_mode off\n"
		 " preempt_delay 3\n}\n");
	assert_int_equal(l.rc, 0);
	unload(&l);
}

/* Errors in several objects are all reported in one pass. */
static void test_all_errors_reported(void **state)
{
	struct loaded l;

	(void)state;
	load(&l, "vrrp_instance A {\n interface eth0\n virtual_router_id 0\n}\n"
		 "vrrp_instance B {\n interface eth0\n priority 300\n virtual_router_id 2\n}\n"
		 "vrrp_script S {\n}\n");
	assert_int_equal(l.rc, -EINVAL);
	assert_diag(&l, CFG_SEV_ERROR, 3, "virtual_router_id 0: must be 1..255");
	assert_diag(&l, CFG_SEV_ERROR, 7, "priority 300: must be 1..255");
	assert_diag(&l, CFG_SEV_ERROR, 10, "vrrp_script S: no 'script' given");
	unload(&l);
}

/* ------------------------------------------------------------------ */
/* Seed configs and keepalived's samples */

static void load_file(struct loaded *l, const char *path, const char *config_id)
{
	struct cfg_opts o = { .config_id = config_id };

	memset(l, 0, sizeof(*l));
	cfg_diags_init(&l->diags);
	l->rc = cfg_load(path, &o, &l->diags, &l->root);
}

static bool file_diag(const struct loaded *l, enum cfg_sev sev, const char *path, unsigned line,
		      const char *sub)
{
	return find_diag(&l->diags, sev, path, line, sub) != NULL;
}

static unsigned check_dir(const char *pattern)
{
	glob_t g;
	size_t i;
	unsigned n = 0;

	if (glob(pattern, 0, NULL, &g))
		return 0;
	for (i = 0; i < g.gl_pathc; i++) {
		const char *p = g.gl_pathv[i], *base = strrchr(p, '/') + 1;
		struct loaded l;

		if (strstr(base, ".sh"))
			continue;
		load_file(&l, p, "high");
		if (!strcmp(base, "keepalived.conf.vrrp.lvs_syncd")) {
			/* keepalived 2.2.7 -t refuses it too: instance names outside group { } */
			assert_int_equal(l.rc, -EINVAL);
			assert_true(file_diag(&l, CFG_SEV_ERROR, p, 3, "no 'group { }' block"));
			assert_true(file_diag(&l, CFG_SEV_WARN, p, 4, "unknown keyword 'VI_2'"));
			assert_int_equal(l.diags.n_err, 1);
		} else if (!strcmp(base, "keepalived.conf.vrrp.rules")) {
			/* "192.168.100./24" is no address (keepalived 2.2.7 refuses it too) */
			assert_int_equal(l.rc, -EINVAL);
			assert_true(file_diag(&l, CFG_SEV_ERROR, p, 11, "to 192.168.100./24"));
			assert_true(file_diag(&l, CFG_SEV_ERROR, p, 26, "to 192.168.200./24"));
			assert_int_equal(l.diags.n_err, 2);
		} else {
			if (l.rc) {
				cfg_diags_print(&l.diags, stderr);
				fail_msg("%s does not load", p);
			}
			assert_round_trip(l.root, "high");
		}
		unload(&l);
		n++;
	}
	globfree(&g);
	return n;
}

static void test_seed_configs(void **state)
{
	struct loaded l;
	const struct cfg_vrrp *v;

	(void)state;
	if (!check_dir(SEED_DIR "/*.conf"))
		skip();
	load_file(&l, SEED_DIR "/dual-master-a.conf", NULL);
	assert_int_equal(l.rc, 0);
	v = l.root->vrrp;
	assert_int_equal(inst(v, "VI_1")->state, CFG_VRRP_STATE_MASTER);
	assert_int_equal(inst(v, "VI_2")->priority, 90);
	assert_int_equal(inst(v, "VI_2")->auth.type, CFG_VRRP_AUTH_PASS);
	assert_string_equal(inst(v, "VI_2")->auth.pass, "1111");
	assert_addr(&inst(v, "VI_2")->vips->addr, "192.168.1.230");
	unload(&l);
}

static void test_samples(void **state)
{
	struct loaded l;
	const char *p = SAMPLE_DIR "/keepalived.conf.conditional_conf";
	const struct cfg_vrrp_inst *i;

	(void)state;
	if (!check_dir(SAMPLE_DIR "/keepalived.conf.*"))
		skip();
	/* The @high / @low lines choose the script and the priority. */
	load_file(&l, p, "low");
	assert_int_equal(l.rc, 0);
	i = inst(l.root->vrrp, "VI_0");
	assert_int_equal(i->priority, 85);
	assert_int_equal(i->advert_int_cs, 1200);
	assert_int_equal(i->eff_version, 3);
	assert_true(i->use_vmac);
	assert_string_equal(l.root->vrrp->scripts->script,
			    "/etc/keepalived/scripts/check_low_VI_0.sh");
	unload(&l);
	/* With neither id the script has no command: refused, as keepalived does. */
	load_file(&l, p, "other");
	assert_int_equal(l.rc, -EINVAL);
	assert_true(file_diag(&l, CFG_SEV_ERROR, p, 6, "vrrp_script check_VI_0: no 'script'"));
	unload(&l);

	load_file(&l, SAMPLE_DIR "/keepalived.conf.vrrp.routes", NULL);
	assert_int_equal(l.rc, 0);
	assert_true(file_diag(&l, CFG_SEV_WARN, SAMPLE_DIR "/keepalived.conf.vrrp.routes", 32,
			      "'gw' is deprecated"));
	unload(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inst_keywords),
		cmocka_unit_test(test_tracking_keywords),
		cmocka_unit_test(test_line_parsers),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_resolved_fields),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_seed_configs),
		cmocka_unit_test(test_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
