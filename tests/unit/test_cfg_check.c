/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests of the checker side of the configuration: virtual_server,
 * real_server, every checker, virtual_server_group and SSL (src/config/
 * kw_check.c, kw_checkers.c, validate_check.c), through cfg_load_string()
 * and cfg_load(): every keyword, every error with its exact file:line, the
 * deprecated spellings, the inherited (eff_*) values, the sample configs and
 * the dump round trip.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "alived/config.h"
#include "alived/cfg_check.h"
#include "config/lex.h"

#ifndef TEST_SEED_DIR
#define TEST_SEED_DIR "tests/data/seed"
#endif
#define SEED_CONF TEST_SEED_DIR "/lvs-sample.conf"	/* or $ALIVED_SEED_CONF */
#define SAMPLE_DIR "/usr/share/doc/keepalived/samples"
#define US 1000000ULL
#define FILE_NAME "t.conf"

struct loaded {
	int rc;
	struct cfg_root *root;
	struct cfg_diags diags;
};

static void load(struct loaded *l, const char *text)
{
	memset(l, 0, sizeof(*l));
	cfg_diags_init(&l->diags);
	l->rc = cfg_load_string(FILE_NAME, text, NULL, &l->diags, &l->root);
}

static void unload(struct loaded *l)
{
	cfg_free(l->root);
	cfg_diags_free(&l->diags);
	l->root = NULL;
}

static void print_diags(const struct loaded *l)
{
	cfg_diags_print(&l->diags, stderr);
}

/* Loads text that must be accepted; returns its check part. */
static const struct cfg_check *load_ok(struct loaded *l, const char *text)
{
	load(l, text);
	if (l->rc != 0)
		print_diags(l);
	assert_int_equal(l->rc, 0);
	assert_non_null(l->root);
	return l->root->check;
}

/* The diagnostic of severity sev at FILE_NAME:line whose text contains sub. */
static const struct cfg_diag *find_diag(const struct loaded *l, enum cfg_sev sev,
					unsigned line, const char *sub)
{
	size_t i;

	for (i = 0; i < l->diags.n; i++) {
		const struct cfg_diag *d = &l->diags.v[i];

		if (d->sev == sev && d->line == line && d->file &&
		    !strcmp(d->file, FILE_NAME) && strstr(d->msg, sub))
			return d;
	}
	return NULL;
}

static void expect_diag(const struct loaded *l, enum cfg_sev sev, unsigned line,
			const char *sub)
{
	if (!find_diag(l, sev, line, sub)) {
		print_diags(l);
		fail_msg("no %s at %s:%u containing \"%s\"",
			 sev == CFG_SEV_ERROR ? "error" :
			 sev == CFG_SEV_WARN ? "warning" : "notice",
			 FILE_NAME, line, sub);
	}
}

/* text must be refused with an error at line containing sub. */
static void expect_error(const char *text, unsigned line, const char *sub)
{
	struct loaded l;

	load(&l, text);
	assert_int_equal(l.rc, -EINVAL);
	assert_null(l.root);
	expect_diag(&l, CFG_SEV_ERROR, line, sub);
	unload(&l);
}

/* text must load, with a warning at line containing sub. */
static void expect_warning(const char *text, unsigned line, const char *sub)
{
	struct loaded l;

	load_ok(&l, text);
	expect_diag(&l, CFG_SEV_WARN, line, sub);
	unload(&l);
}

static char *dump_root(const struct cfg_root *root)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	cfg_dump(root, f);
	fclose(f);
	return buf;
}

/* Dump, parse the dump, dump again: both dumps must be identical.
 * Returns the first dump (caller frees). */
static char *roundtrip(const struct cfg_root *root)
{
	char *d1 = dump_root(root), *d2;
	struct loaded l;

	load(&l, d1);
	if (l.rc != 0) {
		print_diags(&l);
		fprintf(stderr, "%s", d1);
	}
	assert_int_equal(l.rc, 0);
	d2 = dump_root(l.root);
	if (strcmp(d1, d2))
		fprintf(stderr, "--- first dump\n%s--- second dump\n%s", d1, d2);
	assert_string_equal(d1, d2);
	free(d2);
	unload(&l);
	return d1;
}

static size_t count_vs(const struct cfg_check *c)
{
	const struct cfg_vs *vs;
	size_t n = 0;

	for (vs = c->vs; vs; vs = vs->next)
		n++;
	return n;
}

static const struct cfg_checker *nth_checker(const struct cfg_rs *rs, unsigned n)
{
	const struct cfg_checker *c = rs->checkers;

	while (c && n--)
		c = c->next;
	assert_non_null(c);
	return c;
}

static void assert_addr(const struct cfg_addr *a, const char *s)
{
	char buf[CFG_ADDRSTRLEN];

	assert_string_equal(cfg_addr_fmt(a, buf, sizeof(buf)), s);
}

/* ---- the seed config and the keepalived samples ---- */

static void test_lvs_sample(void **state)
{
	const struct cfg_vs *vs;
	const struct cfg_rs *rs;
	const struct cfg_checker *c;
	const struct cfg_check *cc;
	struct loaded l;
	char *d;

	(void)state;
	memset(&l, 0, sizeof(l));
	cfg_diags_init(&l.diags);
	l.rc = cfg_load(getenv("ALIVED_SEED_CONF") ? getenv("ALIVED_SEED_CONF") : SEED_CONF, NULL,
			&l.diags, &l.root);
	if (l.rc == -ENOENT) {
		cfg_diags_free(&l.diags);
		skip();
	}
	if (l.rc)
		print_diags(&l);
	assert_int_equal(l.rc, 0);
	cc = l.root->check;
	assert_int_equal(count_vs(cc), 2);
	vs = cc->vs;
	assert_int_equal(vs->kind, CFG_VS_ADDR);
	assert_addr(&vs->addr, "192.168.200.100");
	assert_int_equal(vs->port, 443);
	assert_int_equal(vs->t.delay_loop_us, 6 * US);
	assert_int_equal(vs->sched, CFG_SCHED_RR);
	assert_int_equal(vs->method.fwd, CFG_FWD_NAT);
	assert_int_equal(vs->persistence_timeout_s, 50);
	assert_int_equal(vs->protocol, CFG_PROTO_TCP);
	assert_int_equal(vs->eff_family, AF_INET);
	rs = vs->rs;
	assert_non_null(rs);
	assert_null(rs->next);
	assert_int_equal(rs->weight, 1);
	c = rs->checkers;
	assert_int_equal(c->type, CFG_CHK_SSL);
	assert_null(c->next);
	assert_non_null(c->u.http.urls);
	assert_string_equal(c->u.http.urls->path, "/");
	assert_string_equal(c->u.http.urls->digest, "ff20ad2481f97b1754ef3e12ecd3a9cc");
	assert_string_equal(c->u.http.urls->next->path, "/mrtg/");
	assert_int_equal(c->t.retry, 3);		/* from nb_get_retry */
	assert_int_equal(c->eff.retry, 3);
	assert_int_equal(c->eff.connect_timeout_us, 3 * US);
	assert_int_equal(c->eff.delay_loop_us, 6 * US);	/* the VS's */
	assert_int_equal(c->eff_connect_port, 443);
	vs = vs->next;
	assert_true(vs->sorry.set);
	assert_addr(&vs->sorry.addr, "192.168.200.200");
	assert_int_equal(vs->sorry.port, 1358);
	assert_int_equal(vs->rs->checkers->type, CFG_CHK_HTTP);
	assert_non_null(vs->rs->next);

	/* deprecated spellings are warned about with file and line */
	assert_true(l.diags.n_err == 0);
	{
		size_t i;
		unsigned nat = 0, nb = 0;

		for (i = 0; i < l.diags.n; i++) {
			const struct cfg_diag *g = &l.diags.v[i];

			if (g->sev == CFG_SEV_WARN && g->line == 39 && strstr(g->msg, "nat_mask"))
				nat++;
			if (g->sev == CFG_SEV_WARN && strstr(g->msg, "nb_get_retry") &&
			    strstr(g->msg, "'retry'") && (g->line == 55 || g->line == 86 ||
							 g->line == 103))
				nb++;
		}
		assert_int_equal(nat, 1);
		assert_int_equal(nb, 3);
	}
	d = roundtrip(l.root);
	/* the current spelling is printed, the no-op keyword is gone */
	assert_null(strstr(d, "nb_get_retry"));
	assert_null(strstr(d, "nat_mask"));
	assert_null(strstr(d, "lb_algo"));
	assert_non_null(strstr(d, "\n            retry 3\n"));
	assert_non_null(strstr(d, "\n    lvs_sched rr\n"));
	free(d);
	unload(&l);
}

static char *read_text(const char *path)
{
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];
	FILE *m, *f = fopen(path, "r");

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	assert_non_null(m);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	return buf;
}

static bool is_check_kw(const char *kw)
{
	return !strcmp(kw, "virtual_server") || !strcmp(kw, "virtual_server_group") ||
	       !strcmp(kw, "SSL");
}

/*
 * The checker part of a config text: the lines of every top-level
 * virtual_server, virtual_server_group and SSL statement (up to the next
 * top-level statement); all other lines are blanked so line numbers stay.
 * Returns NULL when the text has no checker part.
 */
static char *check_part(const char *name, const char *text)
{
	struct cfg_tree *tree = NULL;
	const struct cfg_node *n;
	struct cfg_diags diags;
	unsigned nlines = 1, line = 1, from, to;
	bool *keep, any = false;
	const char *p;
	char *out, *o;

	for (p = text; *p; p++)
		nlines += *p == '\n';
	keep = calloc(nlines + 2, sizeof(*keep));
	assert_non_null(keep);
	cfg_diags_init(&diags);
	assert_int_equal(cfg_lex_string(name, text, strlen(text), NULL, &diags, &tree), 0);
	for (n = cfg_tree_top(tree); n; n = n->next) {
		if (!is_check_kw(n->kw))
			continue;
		from = n->line;
		to = n->next ? n->next->line - 1 : nlines;
		for (; from <= to && from <= nlines; from++)
			keep[from] = true;
		any = true;
	}
	cfg_tree_free(tree);
	cfg_diags_free(&diags);
	out = o = malloc(strlen(text) + 1);
	assert_non_null(out);
	for (p = text; *p; p++) {
		if (*p == '\n')
			line++;
		if (*p == '\n' || keep[line])
			*o++ = *p;
	}
	*o = '\0';
	free(keep);
	if (!any) {
		free(out);
		return NULL;
	}
	return out;
}

static void test_keepalived_samples(void **state)
{
	const char *dir = getenv("ALIVED_SAMPLE_DIR") ? getenv("ALIVED_SAMPLE_DIR") : SAMPLE_DIR;
	unsigned nfiles = 0, nvs = 0;
	struct dirent *e;
	DIR *d;

	(void)state;
	d = opendir(dir);
	if (!d)
		skip();
	while ((e = readdir(d))) {
		char path[4096];
		struct loaded l;
		char *text, *part, *dump;

		if (strncmp(e->d_name, "keepalived.conf.", 16))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		text = read_text(path);
		assert_non_null(text);
		part = check_part(path, text);
		free(text);
		if (!part)
			continue;
		memset(&l, 0, sizeof(l));
		cfg_diags_init(&l.diags);
		l.rc = cfg_load_string(path, part, NULL, &l.diags, &l.root);
		free(part);
		if (l.rc) {
			print_diags(&l);
			closedir(d);
			fail_msg("the checker part of %s is refused", path);
		}
		nfiles++;
		nvs += (unsigned)count_vs(l.root->check);
		dump = roundtrip(l.root);
		free(dump);
		unload(&l);
	}
	closedir(d);
	if (!nfiles)
		skip();
	assert_true(nfiles >= 15);
	assert_true(nvs >= 17);
}

/* ---- virtual_server keywords ---- */

static const char vs_all[] =
	"virtual_server 10.1.1.1 80 {\n"			/* 1 */
	"    delay_loop 2.5\n"
	"    connect_timeout 4\n"
	"    retry 2\n"
	"    delay_before_retry 1.25\n"			/* 5 */
	"    warmup 0\n"
	"    lb_algo sh\n"
	"    flag-1\n"
	"    flag-2\n"
	"    flag-3\n"					/* 10 */
	"    sh-port\n"
	"    sh-fallback\n"
	"    lb_kind TUN type gue port 6080 remcsum\n"
	"    persistence_timeout\n"
	"    persistence_granularity 255.255.255.0\n"	/* 15 */
	"    persistence_engine sip\n"
	"    protocol udp\n"
	"    ops\n"
	"    ha_suspend\n"
	"    alpha\n"					/* 20 */
	"    omega\n"
	"    inhibit_on_failure\n"
	"    smtp_alert no\n"
	"    virtualhost www.example.com\n"
	"    snmp_name vs1\n"				/* 25 */
	"    quorum 3\n"
	"    hysteresis 1\n"
	"    quorum_up \"/usr/bin/up.sh a b\" nobody nogroup\n"
	"    quorum_down /usr/bin/down.sh\n"
	"    sorry_server 10.9.9.9 8080\n"		/* 30 */
	"    sorry_server_inhibit\n"
	"    sorry_server_lvs_method DR\n"
	"    nat_mask 255.255.255.0\n"
	"    real_server 10.2.2.2 80 {\n"
	"        weight 2\n"				/* 35 */
	"    }\n"
	"}\n"
	"virtual_server fwmark 9 {\n"
	"    ip_family inet6\n"
	"    lvs_sched mh\n"				/* 40 */
	"    mh-port\n"
	"    mh-fallback\n"
	"    one_packet_scheduling\n"
	"    lvs_method DR\n"
	"    real_server 2001:db8::1 {\n"		/* 45 */
	"        PING_CHECK {\n"
	"        }\n"
	"    }\n"
	"}\n";

static void test_vs_keywords(void **state)
{
	const struct cfg_check *c;
	const struct cfg_vs *vs;
	struct loaded l;
	char *d;

	(void)state;
	c = load_ok(&l, vs_all);
	vs = c->vs;
	assert_string_equal(vs->file, FILE_NAME);
	assert_int_equal(vs->line, 1);
	assert_int_equal(vs->t.delay_loop_us, 2500000);
	assert_int_equal(vs->t.connect_timeout_us, 4 * US);
	assert_int_equal(vs->t.retry, 2);
	assert_int_equal(vs->t.delay_before_retry_us, 1250000);
	assert_int_equal(vs->t.warmup_us, 0);
	assert_int_equal(vs->sched, CFG_SCHED_SH);
	assert_true(vs->flag_1 && vs->flag_2 && vs->flag_3);
	assert_true(vs->sh_port && vs->sh_fallback);
	assert_false(vs->mh_port || vs->mh_fallback);
	assert_int_equal(vs->method.fwd, CFG_FWD_TUN);
	assert_int_equal(vs->method.tun_type, CFG_TUN_GUE);
	assert_int_equal(vs->method.tun_port, 6080);
	assert_int_equal(vs->method.tun_csum, CFG_TUN_CSUM_REMCSUM);
	assert_int_equal(vs->persistence_timeout_s, 360);
	assert_int_equal(vs->persistence_granularity, 24);
	assert_true(vs->granularity_dotted);
	assert_string_equal(vs->persistence_engine, "sip");
	assert_int_equal(vs->protocol, CFG_PROTO_UDP);
	assert_true(vs->ops);
	assert_true(vs->ha_suspend);
	assert_int_equal(vs->t.alpha, CFG_TRI_ON);
	assert_true(vs->omega);
	assert_int_equal(vs->inhibit_on_failure, CFG_TRI_ON);
	assert_int_equal(vs->smtp_alert, CFG_TRI_OFF);
	assert_string_equal(vs->virtualhost, "www.example.com");
	assert_string_equal(vs->snmp_name, "vs1");
	assert_int_equal(vs->quorum, 3);
	assert_int_equal(vs->hysteresis, 1);
	assert_string_equal(vs->quorum_up.cmd, "/usr/bin/up.sh a b");
	assert_string_equal(vs->quorum_up.user, "nobody");
	assert_string_equal(vs->quorum_up.group, "nogroup");
	assert_int_equal(vs->quorum_up.line, 28);
	assert_string_equal(vs->quorum_down.cmd, "/usr/bin/down.sh");
	assert_null(vs->quorum_down.user);
	assert_true(vs->sorry.set);
	assert_addr(&vs->sorry.addr, "10.9.9.9");
	assert_int_equal(vs->sorry.port, 8080);
	assert_int_equal(vs->sorry.line, 30);
	assert_true(vs->sorry.inhibit);
	assert_int_equal(vs->sorry.method.fwd, CFG_FWD_DR);
	assert_int_equal(vs->rs->weight, 2);
	assert_int_equal(vs->rs->line, 34);
	/* the real server inherits TUN from the virtual server */
	assert_int_equal(vs->rs->eff_method.fwd, CFG_FWD_TUN);
	assert_true(vs->rs->eff_inhibit_on_failure);
	assert_int_equal(vs->rs->eff_smtp_alert, CFG_TRI_OFF);
	expect_diag(&l, CFG_SEV_WARN, 33, "'nat_mask' is deprecated and has no effect");

	vs = vs->next;
	assert_int_equal(vs->kind, CFG_VS_FWMARK);
	assert_int_equal(vs->fwmark, 9);
	assert_int_equal(vs->ip_family, AF_INET6);
	assert_int_equal(vs->eff_family, AF_INET6);
	assert_int_equal(vs->sched, CFG_SCHED_MH);
	assert_true(vs->mh_port && vs->mh_fallback);
	assert_true(vs->ops);		/* one_packet_scheduling */
	assert_int_equal(vs->method.fwd, CFG_FWD_DR);
	assert_int_equal(vs->rs->port, 0);
	assert_int_equal(vs->rs->eff_port, 0);
	/* ops on a TCP service is pointless */
	expect_diag(&l, CFG_SEV_WARN, 38, "ops only applies to UDP");

	d = roundtrip(l.root);
	assert_non_null(strstr(d, "    lvs_method TUN type gue port 6080 remcsum\n"));
	assert_non_null(strstr(d, "    persistence_timeout 360\n"));
	assert_non_null(strstr(d, "    persistence_granularity 255.255.255.0\n"));
	assert_non_null(strstr(d, "    protocol UDP\n"));
	assert_non_null(strstr(d, "    quorum_up \"/usr/bin/up.sh a b\" nobody nogroup\n"));
	assert_non_null(strstr(d, "    smtp_alert off\n"));
	assert_non_null(strstr(d, "    delay_loop 2.5\n"));
	assert_non_null(strstr(d, "    delay_before_retry 1.25\n"));
	assert_non_null(strstr(d, "    sorry_server_lvs_method DR\n"));
	assert_non_null(strstr(d, "virtual_server fwmark 9 {\n"));
	assert_non_null(strstr(d, "    real_server 2001:db8::1 {\n"));
	assert_null(strstr(d, "one_packet_scheduling"));
	assert_null(strstr(d, "lb_kind"));
	free(d);
	unload(&l);
}

static void test_vs_defaults(void **state)
{
	const struct cfg_checker *c;
	const struct cfg_vs *vs;
	struct loaded l;
	char *d;

	(void)state;
	vs = load_ok(&l, "virtual_server 10.0.0.1 80 {\n"
			 "  real_server 10.0.0.2 80 {\n"
			 "    TCP_CHECK {\n"
			 "    }\n"
			 "  }\n"
			 "}\n")->vs;
	assert_int_equal(vs->protocol, CFG_PROTO_TCP);
	assert_int_equal(vs->sched, CFG_SCHED_WLC);
	assert_int_equal(vs->method.fwd, CFG_FWD_NAT);
	assert_int_equal(vs->quorum, 1);
	assert_int_equal(vs->t.delay_loop_us, CFG_UNSET_U64);
	assert_int_equal(vs->rs->weight, 1);
	assert_false(vs->rs->eff_inhibit_on_failure);
	assert_int_equal(vs->rs->eff_smtp_alert, CFG_TRI_UNSET);
	c = vs->rs->checkers;
	assert_int_equal(c->eff.delay_loop_us, 60 * US);
	assert_int_equal(c->eff.connect_timeout_us, 5 * US);
	assert_int_equal(c->eff.retry, 1);
	assert_int_equal(c->eff.delay_before_retry_us, 1 * US);
	assert_int_equal(c->eff.warmup_us, 60 * US);
	assert_int_equal(c->eff.alpha, 0);
	assert_addr(&c->eff_connect_ip, "10.0.0.2");
	assert_int_equal(c->eff_connect_port, 80);
	d = roundtrip(l.root);
	/* nothing but the structure: every value is a default */
	assert_string_equal(strstr(d, "virtual_server"),
			    "virtual_server 10.0.0.1 80 {\n"
			    "    real_server 10.0.0.2 80 {\n"
			    "        TCP_CHECK {\n"
			    "        }\n"
			    "    }\n"
			    "}\n");
	free(d);
	unload(&l);
}

/* ---- real_server keywords and inheritance ---- */

static const char rs_all[] =
	"virtual_server 10.1.1.1 80 {\n"			/* 1 */
	"    delay_loop 10\n"
	"    virtualhost vs.example.com\n"
	"    smtp_alert\n"
	"    real_server 10.2.2.2 8080 {\n"		/* 5 */
	"        weight 65535\n"
	"        lvs_method NAT\n"
	"        notify_up /bin/up\n"
	"        notify_down \"/bin/down x\" root\n"
	"        uthreshold 100\n"				/* 10 */
	"        lthreshold 10\n"
	"        inhibit_on_failure on\n"
	"        smtp_alert off\n"
	"        virtualhost rs.example.com\n"
	"        snmp_name rs1\n"				/* 15 */
	"        alpha\n"
	"        delay_loop 3\n"
	"        connect_timeout 1\n"
	"        retry 0\n"
	"        delay_before_retry 2\n"			/* 20 */
	"        warmup 5\n"
	"        HTTP_GET {\n"
	"            url {\n"
	"                path /\n"
	"            }\n"					/* 25 */
	"        }\n"
	"        DNS_CHECK {\n"
	"            retry 7\n"
	"            alpha off\n"
	"        }\n"					/* 30 */
	"    }\n"
	"    real_server 10.2.2.3 {\n"
	"        lb_kind DR\n"
	"        weight 0\n"
	"        SSL_GET {\n"				/* 35 */
	"            url {\n"
	"                path /\n"
	"            }\n"
	"        }\n"
	"        DNS_CHECK {\n"				/* 40 */
	"        }\n"
	"        MISC_CHECK {\n"
	"            misc_path /bin/true\n"
	"        }\n"
	"    }\n"					/* 45 */
	"}\n";

static void test_rs_keywords(void **state)
{
	const struct cfg_checker *c;
	const struct cfg_rs *rs;
	struct loaded l;
	char *d;

	(void)state;
	rs = load_ok(&l, rs_all)->vs->rs;
	assert_int_equal(rs->line, 5);
	assert_addr(&rs->addr, "10.2.2.2");
	assert_int_equal(rs->port, 8080);
	assert_int_equal(rs->weight, 65535);
	assert_int_equal(rs->method.fwd, CFG_FWD_NAT);
	assert_string_equal(rs->notify_up.cmd, "/bin/up");
	assert_string_equal(rs->notify_down.cmd, "/bin/down x");
	assert_string_equal(rs->notify_down.user, "root");
	assert_null(rs->notify_down.group);
	assert_int_equal(rs->uthreshold, 100);
	assert_int_equal(rs->lthreshold, 10);
	assert_int_equal(rs->inhibit_on_failure, CFG_TRI_ON);
	assert_int_equal(rs->smtp_alert, CFG_TRI_OFF);
	assert_int_equal(rs->eff_smtp_alert, CFG_TRI_OFF);
	assert_string_equal(rs->virtualhost, "rs.example.com");
	assert_string_equal(rs->snmp_name, "rs1");
	assert_int_equal(rs->t.alpha, CFG_TRI_ON);
	assert_int_equal(rs->t.delay_loop_us, 3 * US);
	assert_int_equal(rs->t.retry, 0);
	assert_int_equal(rs->eff_port, 8080);

	/* HTTP_GET: everything from the real server */
	c = nth_checker(rs, 0);
	assert_int_equal(c->type, CFG_CHK_HTTP);
	assert_int_equal(c->line, 22);
	assert_int_equal(c->eff.delay_loop_us, 3 * US);
	assert_int_equal(c->eff.connect_timeout_us, 1 * US);
	assert_int_equal(c->eff.retry, 0);
	assert_int_equal(c->eff.delay_before_retry_us, 2 * US);
	assert_int_equal(c->eff.warmup_us, 5 * US);
	assert_int_equal(c->eff.alpha, 1);
	assert_string_equal(c->eff_virtualhost, "rs.example.com");
	assert_int_equal(c->eff_connect_port, 8080);
	/* DNS_CHECK overrides two of them */
	c = nth_checker(rs, 1);
	assert_int_equal(c->type, CFG_CHK_DNS);
	assert_int_equal(c->eff.retry, 7);
	assert_int_equal(c->eff.alpha, 0);
	assert_int_equal(c->eff.delay_loop_us, 3 * US);

	/* second real server: port and method from the VS, type defaults */
	rs = rs->next;
	assert_int_equal(rs->port, 0);
	assert_int_equal(rs->eff_port, 80);
	assert_int_equal(rs->method.fwd, CFG_FWD_DR);
	assert_int_equal(rs->weight, 0);
	assert_int_equal(rs->eff_smtp_alert, CFG_TRI_ON);	/* the VS's */
	c = nth_checker(rs, 0);
	assert_int_equal(c->type, CFG_CHK_SSL);
	assert_string_equal(c->eff_virtualhost, "vs.example.com");
	assert_int_equal(c->eff.delay_loop_us, 10 * US);
	assert_int_equal(c->eff.delay_before_retry_us, 3 * US);	/* HTTP/SSL default */
	assert_int_equal(c->eff.retry, 1);
	c = nth_checker(rs, 1);
	assert_int_equal(c->type, CFG_CHK_DNS);
	assert_int_equal(c->eff.retry, 3);				/* DNS default */
	assert_int_equal(c->eff.delay_before_retry_us, 10 * US);	/* = delay_loop */
	c = nth_checker(rs, 2);
	assert_int_equal(c->type, CFG_CHK_MISC);
	assert_int_equal(c->eff.retry, 0);				/* MISC default */
	assert_int_equal(c->eff.delay_before_retry_us, 1 * US);

	d = roundtrip(l.root);
	assert_non_null(strstr(d, "    real_server 10.2.2.3 {\n        weight 0\n"
				  "        lvs_method DR\n"));
	assert_non_null(strstr(d, "        notify_down \"/bin/down x\" root\n"));
	assert_non_null(strstr(d, "        inhibit_on_failure\n"));
	assert_non_null(strstr(d, "            alpha off\n"));
	free(d);
	unload(&l);
}

/* ---- checkers ---- */

static const char chk_all[] =
	"virtual_server 10.1.1.1 80 {\n"			/* 1 */
	"  real_server 10.2.2.2 80 {\n"
	"    HTTP_GET {\n"
	"      connect_ip 10.2.2.3\n"
	"      connect_port 8080\n"				/* 5 */
	"      bindto 10.1.1.1\n"
	"      bind_port 1234\n"
	"      bind_if eth0\n"
	"      fwmark 5\n"
	"      alpha\n"						/* 10 */
	"      log_all_failures\n"
	"      http_protocol 1.0C\n"
	"      virtualhost chk.example.com\n"
	"      fast_recovery\n"
	"      delay_loop 7\n"					/* 15 */
	"      url {\n"
	"        path /health\n"
	"        digest FF20AD2481F97B1754EF3E12ECD3A9CC\n"
	"        status_code 200-299 404 503\n"
	"        virtualhost url.example.com\n"		/* 20 */
	"        regex \"OK [0-9]+\"\n"
	"        regex_no_match\n"
	"        regex_options caseless multiline\n"
	"        regex_stack 1024 65536\n"
	"        regex_min_offset 2\n"				/* 25 */
	"        regex_max_offset 200\n"
	"      }\n"
	"      url {\n"
	"        path /two\n"
	"      }\n"						/* 30 */
	"    }\n"
	"    SSL_GET {\n"
	"      enable_sni\n"
	"      tls_compliant\n"
	"      protocol 1.1\n"					/* 35 */
	"      url {\n"
	"        path /\n"
	"      }\n"
	"    }\n"
	"    TCP_CHECK {\n"					/* 40 */
	"      connect_port 81\n"
	"      nb_get_retry 4\n"
	"    }\n"
	"    MISC_CHECK {\n"
	"      misc_path /bin/check.sh arg\n"			/* 45 */
	"      misc_timeout 5\n"
	"      misc_dynamic\n"
	"      user nobody nogroup\n"
	"      warmup 1\n"
	"    }\n"						/* 50 */
	"    SMTP_CHECK {\n"
	"      helo_name \"foo.bar.com\"\n"
	"      host {\n"
	"        connect_ip 10.2.2.9\n"
	"        connect_port 587\n"				/* 55 */
	"        bindto 10.1.1.1\n"
	"        bind_port 2525\n"
	"        bind_if eth1\n"
	"        fwmark 3\n"
	"      }\n"						/* 60 */
	"      host {\n"
	"        connect_ip 10.2.2.10\n"
	"      }\n"
	"    }\n"
	"    DNS_CHECK {\n"					/* 65 */
	"      type AAAA\n"
	"      name example.com\n"
	"    }\n"
	"    UDP_CHECK {\n"
	"      payload Ab12f 3 456 546443123\n"		/* 70 */
	"      require_reply 1x2X f\n"
	"      min_reply_length 2\n"
	"      max_reply_length 100\n"
	"    }\n"
	"    PING_CHECK {\n"					/* 75 */
	"      retry 4\n"
	"    }\n"
	"    FILE_CHECK {\n"
	"      track_file tf1\n"
	"      dynamic\n"					/* 80 */
	"      weight -5 reverse\n"
	"    }\n"
	"    BFD_CHECK {\n"
	"      name bfd1\n"
	"    }\n"						/* 85 */
	"    UDP_CHECK {\n"
	"      require_reply\n"
	"    }\n"
	"  }\n"
	"}\n"							/* 90 */
	"track_file tf1 {\n"
	"    file /run/alived-test-tf1\n"
	"}\n";

static void test_checkers(void **state)
{
	static const uint8_t payload[] = { 0xab, 0x12, 0x0f, 0x03, 0x45, 0x06,
					   0x54, 0x64, 0x43, 0x12, 0x03 };
	static const uint8_t reply[] = { 0x10, 0x20, 0x0f };
	static const uint8_t mask[] = { 0xf0, 0xf0, 0xff };
	const struct cfg_chk_host *h;
	const struct cfg_checker *c;
	const struct cfg_url *u;
	const struct cfg_rs *rs;
	struct loaded l;
	char *d;

	(void)state;
	rs = load_ok(&l, chk_all)->vs->rs;

	c = nth_checker(rs, 0);
	assert_int_equal(c->type, CFG_CHK_HTTP);
	assert_addr(&c->conn.connect_ip, "10.2.2.3");
	assert_int_equal(c->conn.connect_port, 8080);
	assert_addr(&c->conn.bindto, "10.1.1.1");
	assert_int_equal(c->conn.bind_port, 1234);
	assert_string_equal(c->conn.bind_if, "eth0");
	assert_int_equal(c->conn.fwmark, 5);
	assert_int_equal(c->t.alpha, CFG_TRI_ON);
	assert_true(c->log_all_failures);
	assert_int_equal(c->u.http.http_protocol, CFG_HTTP_10C);
	assert_string_equal(c->u.http.virtualhost, "chk.example.com");
	assert_string_equal(c->eff_virtualhost, "chk.example.com");
	assert_true(c->u.http.fast_recovery);
	assert_int_equal(c->eff.delay_loop_us, 7 * US);
	assert_addr(&c->eff_connect_ip, "10.2.2.3");
	assert_int_equal(c->eff_connect_port, 8080);
	u = c->u.http.urls;
	assert_int_equal(u->line, 16);
	assert_string_equal(u->path, "/health");
	assert_string_equal(u->digest, "ff20ad2481f97b1754ef3e12ecd3a9cc");
	assert_int_equal(u->n_status, 3);
	assert_int_equal(u->status[0].lo, 200);
	assert_int_equal(u->status[0].hi, 299);
	assert_int_equal(u->status[1].lo, 404);
	assert_int_equal(u->status[1].hi, 404);
	assert_int_equal(u->status[2].lo, 503);
	assert_string_equal(u->virtualhost, "url.example.com");
	assert_string_equal(u->regex, "OK [0-9]+");
	assert_true(u->regex_no_match);
	assert_int_equal(u->regex_options,
			 (1u << CFG_RX_CASELESS) | (1u << CFG_RX_MULTILINE));
	assert_int_equal(u->regex_stack_start, 1024);
	assert_int_equal(u->regex_stack_max, 65536);
	assert_int_equal(u->regex_min_offset, 2);
	assert_int_equal(u->regex_max_offset, 200);
	u = u->next;
	assert_string_equal(u->path, "/two");
	assert_null(u->digest);
	assert_int_equal(u->n_status, 0);
	assert_int_equal(u->regex_max_offset, CFG_UNSET_U64);
	assert_null(u->next);

	c = nth_checker(rs, 1);
	assert_int_equal(c->type, CFG_CHK_SSL);
	assert_true(c->u.http.enable_sni);
	assert_true(c->u.http.tls_compliant);
	assert_int_equal(c->u.http.http_protocol, CFG_HTTP_11);

	c = nth_checker(rs, 2);
	assert_int_equal(c->type, CFG_CHK_TCP);
	assert_int_equal(c->eff_connect_port, 81);
	assert_int_equal(c->t.retry, 4);
	expect_diag(&l, CFG_SEV_WARN, 42, "'nb_get_retry' is deprecated, use 'retry'");

	c = nth_checker(rs, 3);
	assert_int_equal(c->type, CFG_CHK_MISC);
	assert_string_equal(c->u.misc.path, "/bin/check.sh arg");
	assert_int_equal(c->u.misc.timeout_us, 5 * US);
	assert_true(c->u.misc.dynamic);
	assert_string_equal(c->u.misc.user, "nobody");
	assert_string_equal(c->u.misc.group, "nogroup");
	assert_int_equal(c->t.warmup_us, 1 * US);

	c = nth_checker(rs, 4);
	assert_int_equal(c->type, CFG_CHK_SMTP);
	assert_string_equal(c->u.smtp.helo_name, "foo.bar.com");
	h = c->u.smtp.hosts;
	assert_int_equal(h->line, 53);
	assert_addr(&h->conn.connect_ip, "10.2.2.9");
	assert_int_equal(h->conn.connect_port, 587);
	assert_addr(&h->conn.bindto, "10.1.1.1");
	assert_int_equal(h->conn.bind_port, 2525);
	assert_string_equal(h->conn.bind_if, "eth1");
	assert_int_equal(h->conn.fwmark, 3);
	assert_addr(&h->next->conn.connect_ip, "10.2.2.10");
	assert_null(h->next->next);

	c = nth_checker(rs, 5);
	assert_int_equal(c->type, CFG_CHK_DNS);
	assert_int_equal(c->u.dns.type, CFG_DNS_AAAA);
	assert_string_equal(c->u.dns.name, "example.com");

	c = nth_checker(rs, 6);
	assert_int_equal(c->type, CFG_CHK_UDP);
	assert_int_equal(c->u.udp.payload_len, sizeof(payload));
	assert_memory_equal(c->u.udp.payload, payload, sizeof(payload));
	assert_true(c->u.udp.require_reply);
	assert_int_equal(c->u.udp.reply_len, sizeof(reply));
	assert_memory_equal(c->u.udp.reply, reply, sizeof(reply));
	assert_memory_equal(c->u.udp.reply_mask, mask, sizeof(mask));
	assert_int_equal(c->u.udp.min_reply_length, 2);
	assert_int_equal(c->u.udp.max_reply_length, 100);

	c = nth_checker(rs, 7);
	assert_int_equal(c->type, CFG_CHK_PING);
	assert_int_equal(c->eff.retry, 4);

	c = nth_checker(rs, 8);
	assert_int_equal(c->type, CFG_CHK_FILE);
	assert_string_equal(c->u.file.track_file, "tf1");
	assert_true(c->u.file.dynamic);
	assert_int_equal(c->u.file.weight, -5);
	assert_true(c->u.file.reverse);
	assert_non_null(c->u.file.eff_track_file);

	c = nth_checker(rs, 9);
	assert_int_equal(c->type, CFG_CHK_BFD);
	assert_string_equal(c->u.bfd.name, "bfd1");
	expect_diag(&l, CFG_SEV_WARN, 83, "BFD_CHECK is not supported by alived");

	c = nth_checker(rs, 10);
	assert_int_equal(c->type, CFG_CHK_UDP);
	assert_true(c->u.udp.require_reply);
	assert_int_equal(c->u.udp.reply_len, 0);
	assert_null(c->u.udp.payload);
	assert_int_equal(c->u.udp.max_reply_length, 255);
	assert_null(c->next);

	d = roundtrip(l.root);
	assert_non_null(strstr(d, "            payload ab120f0345065464431203\n"));
	assert_non_null(strstr(d, "            require_reply 1x2x0f\n"));
	assert_non_null(strstr(d, "            require_reply\n"));
	assert_non_null(strstr(d, "                regex \"OK [0-9]+\"\n"));
	assert_non_null(strstr(d, "            misc_path \"/bin/check.sh arg\"\n"));
	assert_non_null(strstr(d, "                status_code 200-299 404 503\n"));
	assert_non_null(strstr(d, "            http_protocol 1.1\n"));
	assert_non_null(strstr(d, "            weight -5 reverse\n"));
	assert_non_null(strstr(d, "            retry 4\n"));
	assert_non_null(strstr(d, "                regex_options caseless multiline\n"));
	free(d);
	unload(&l);
}

/* ---- virtual_server_group ---- */

static const char vsg_all[] =
	"virtual_server_group G1 {\n"				/* 1 */
	"    10.0.0.1 80\n"
	"    192.168.200.3-10 80\n"
	"    192.168.200.250-192.168.201.10 8080\n"
	"    192.168.202.8/29 81\n"				/* 5 */
	"    fwmark 7\n"
	"    fwmark 8 inet\n"
	"}\n"
	"virtual_server_group G6 {\n"
	"    ae00::2-9 80\n"					/* 10 */
	"    ae00::1 80\n"
	"    ae00::fe-1ff 80\n"
	"}\n"
	"virtual_server group G1 {\n"
	"    real_server 10.3.3.3 80 {\n"			/* 15 */
	"    }\n"
	"}\n"
	"virtual_server group G6 {\n"
	"    real_server ae00::10 80 {\n"
	"    }\n"						/* 20 */
	"}\n"
	"virtual_server group G1 {\n"
	"    protocol UDP\n"
	"    real_server 10.3.3.3 80 {\n"
	"    }\n"						/* 25 */
	"}\n";

static void test_vsg(void **state)
{
	const struct cfg_check *c;
	const struct cfg_vsg *g;
	struct loaded l;
	char *d;

	(void)state;
	c = load_ok(&l, vsg_all);
	g = c->vsg;
	assert_string_equal(g->name, "G1");
	assert_int_equal(g->line, 1);
	assert_int_equal(g->n, 6);
	assert_int_equal(g->v[0].kind, CFG_VSG_ADDR);
	assert_addr(&g->v[0].addr, "10.0.0.1");
	assert_int_equal(g->v[0].port, 80);
	assert_int_equal(g->v[0].line, 2);
	assert_int_equal(g->v[1].kind, CFG_VSG_RANGE);
	assert_addr(&g->v[1].addr, "192.168.200.3");
	assert_addr(&g->v[1].last, "192.168.200.10");
	assert_int_equal(g->v[2].kind, CFG_VSG_RANGE);
	assert_addr(&g->v[2].last, "192.168.201.10");
	assert_int_equal(g->v[2].port, 8080);
	assert_int_equal(g->v[3].kind, CFG_VSG_ADDR);
	assert_addr(&g->v[3].addr, "192.168.202.8/29");
	assert_int_equal(g->v[4].kind, CFG_VSG_FWMARK);
	assert_int_equal(g->v[4].fwmark, 7);
	assert_int_equal(g->v[4].family, AF_UNSPEC);
	assert_int_equal(g->v[5].family, AF_INET);
	g = g->next;
	assert_string_equal(g->name, "G6");
	assert_addr(&g->v[0].last, "ae00::9");
	assert_addr(&g->v[2].addr, "ae00::fe");
	assert_addr(&g->v[2].last, "ae00::1ff");
	assert_ptr_equal(c->vs->eff_group, c->vsg);
	assert_int_equal(c->vs->eff_family, AF_INET);
	assert_ptr_equal(c->vs->next->eff_group, c->vsg->next);
	assert_int_equal(c->vs->next->eff_family, AF_INET6);
	d = roundtrip(l.root);
	assert_non_null(strstr(d, "virtual_server_group G1 {\n"
				  "    10.0.0.1 80\n"
				  "    192.168.200.3-10 80\n"
				  "    192.168.200.250-192.168.201.10 8080\n"
				  "    192.168.202.8/29 81\n"
				  "    fwmark 7\n"
				  "    fwmark 8 inet\n"
				  "}\n"));
	assert_non_null(strstr(d, "    ae00::2-9 80\n"));
	assert_non_null(strstr(d, "    ae00::fe-1ff 80\n"));
	assert_non_null(strstr(d, "virtual_server group G6 {\n"));
	free(d);
	unload(&l);
}

static void test_ssl(void **state)
{
	const struct cfg_check *c;
	struct loaded l;
	char *d;

	(void)state;
	c = load_ok(&l, "SSL {\n"
			"    password secret\n"
			"    ca /etc/ssl/ca.pem\n"
			"    certificate /etc/ssl/c.pem\n"
			"    key /etc/ssl/k.pem\n"
			"}\n");
	assert_true(c->ssl.set);
	assert_int_equal(c->ssl.line, 1);
	assert_string_equal(c->ssl.password, "secret");
	assert_string_equal(c->ssl.ca, "/etc/ssl/ca.pem");
	assert_string_equal(c->ssl.certificate, "/etc/ssl/c.pem");
	assert_string_equal(c->ssl.key, "/etc/ssl/k.pem");
	d = roundtrip(l.root);
	assert_non_null(strstr(d, "SSL {\n    password secret\n    ca /etc/ssl/ca.pem\n"));
	free(d);
	unload(&l);
}

/* ---- errors: each with its exact line ---- */

#define VS_HEAD "virtual_server 10.0.0.1 80 {\n"
#define RS_HEAD "  real_server 10.0.0.2 80 {\n"
#define END2 "  }\n}\n"

static void test_errors_values(void **state)
{
	(void)state;
	expect_error(VS_HEAD RS_HEAD "    weight 70000\n" END2, 3,
		     "real_server 10.0.0.2 80: weight 70000 out of range 0..65535");
	expect_error(VS_HEAD RS_HEAD "    weight -1\n" END2, 3,
		     "real_server 10.0.0.2 80: weight -1 out of range 0..65535");
	expect_error(VS_HEAD RS_HEAD "    HTTP_GET {\n      url {\n        path /\n"
		     "        digest 1234\n      }\n    }\n" END2, 6,
		     "digest 1234: must be 32 hexadecimal digits");
	expect_error(VS_HEAD RS_HEAD "    HTTP_GET {\n      url {\n        path /\n"
		     "        digest zz20ad2481f97b1754ef3e12ecd3a9cc\n      }\n    }\n" END2, 6,
		     "must be 32 hexadecimal digits");
	expect_error(VS_HEAD RS_HEAD "    HTTP_GET {\n      url {\n        path /\n"
		     "        status_code 200 700\n      }\n    }\n" END2, 6,
		     "status_code 700: must be within 100..599");
	expect_error(VS_HEAD RS_HEAD "    HTTP_GET {\n      url {\n        path /\n"
		     "        status_code 99-200\n      }\n    }\n" END2, 6,
		     "status_code 99-200: must be within 100..599");
	expect_error(VS_HEAD RS_HEAD "    HTTP_GET {\n      url {\n        path /\n"
		     "        status_code 299-200\n      }\n    }\n" END2, 6,
		     "status_code 299-200: range ends before it starts");
	expect_error(VS_HEAD RS_HEAD "    HTTP_GET {\n      url {\n        path /\n"
		     "        status_code 2xx\n      }\n    }\n" END2, 6,
		     "status_code 2xx: must be a code or a range");
	expect_error(VS_HEAD RS_HEAD "    HTTP_GET {\n      url {\n        path /\n"
		     "        regex_options caseless bogus\n      }\n    }\n" END2, 6,
		     "regex_options bogus: unknown option");
	expect_error(VS_HEAD RS_HEAD "    HTTP_GET {\n      url {\n        path /\n"
		     "        regex_stack 100 10\n      }\n    }\n" END2, 6,
		     "regex_stack 100 10: the start size is above the maximum");
	expect_error(VS_HEAD "  lvs_method FOO\n}\n", 2,
		     "lvs_method FOO: must be one of NAT|DR|TUN");
	expect_error(VS_HEAD "  lb_kind DR type gue\n}\n", 2,
		     "lb_kind DR: tunnel options are only allowed with TUN");
	expect_error(VS_HEAD "  lvs_method TUN type gue\n}\n", 2,
		     "lvs_method TUN type gue: needs 'port NUM'");
	expect_error(VS_HEAD "  lvs_method TUN csum\n}\n", 2,
		     "checksum options need type gue or gre");
	expect_error(VS_HEAD "  lvs_method TUN type gre remcsum\n}\n", 2,
		     "remcsum: only with type gue");
	expect_error(VS_HEAD "  lvs_method TUN type vxlan\n}\n", 2, "unexpected 'vxlan'");
	expect_error(VS_HEAD "  lvs_sched xyz\n}\n", 2, "lvs_sched xyz: must be one of rr|");
	expect_error(VS_HEAD "  protocol ICMP\n}\n", 2,
		     "protocol ICMP: must be one of TCP|UDP|SCTP");
	expect_error(VS_HEAD "  quorum 0\n}\n", 2, "quorum 0: must be 1..");
	expect_error(VS_HEAD "  persistence_granularity 255.0.255.0\n}\n", 2,
		     "persistence_granularity 255.0.255.0: must be a contiguous netmask");
	expect_error(VS_HEAD "  delay_loop abc\n}\n", 2, "delay_loop abc: must be");
	expect_error(VS_HEAD "  quorum_up\n}\n", 2, "quorum_up needs at least 1 argument");
	expect_error(VS_HEAD "  sorry_server 10.0.0.9/24 80\n}\n", 2,
		     "a prefix length is not allowed here");
	expect_error(VS_HEAD RS_HEAD "    UDP_CHECK {\n      payload 12zz\n    }\n" END2, 4,
		     "payload 12zz: not a hex string");
	expect_error(VS_HEAD RS_HEAD "    FILE_CHECK {\n      track_file f\n"
		     "      weight 3 forward\n    }\n" END2, 5,
		     "only 'reverse' may follow the weight");
	expect_error(VS_HEAD RS_HEAD "    DNS_CHECK {\n      type PTR\n    }\n" END2, 4,
		     "type PTR: must be one of A|NS|CNAME|SOA|MX|TXT|AAAA");
	expect_error(VS_HEAD RS_HEAD "    TCP_CHECK {\n      connect_port 0\n    }\n" END2, 4,
		     "connect_port 0: must be 1..65535");
	expect_error(VS_HEAD RS_HEAD "    TCP_CHECK extra {\n    }\n" END2, 3,
		     "TCP_CHECK takes no arguments");
	expect_error("virtual_server {\n}\n", 1, "needs 'IP [PORT]', 'fwmark N' or 'group NAME'");
	expect_error("virtual_server fwmark 0 {\n}\n", 1, "virtual_server 0: must be 1..");
	expect_error("virtual_server 10.0.0.300 80 {\n}\n", 1,
		     "virtual_server 10.0.0.300: must be an IPv4 or IPv6 address");
	expect_error("virtual_server 10.0.0.1 70000 {\n}\n", 1,
		     "virtual_server 70000: must be 0..65535");
}

static void test_errors_semantic(void **state)
{
	(void)state;
	/* duplicate virtual server (same address, port and protocol) */
	expect_error(VS_HEAD "}\n" VS_HEAD "}\n", 3,
		     "virtual_server 10.0.0.1 80: TCP service defined twice (first at t.conf:1)");
	expect_error("virtual_server fwmark 4 {\n}\nvirtual_server fwmark 4 {\n}\n", 3,
		     "virtual_server fwmark 4: fwmark service defined twice");
	/* duplicate real server in one virtual server */
	expect_error(VS_HEAD RS_HEAD "  }\n" RS_HEAD END2, 4,
		     "real_server 10.0.0.2 80: given twice in virtual_server 10.0.0.1 80 "
		     "(first at t.conf:2)");
	/* port 0 without persistence */
	expect_error("virtual_server 10.0.0.1 {\n}\n", 1,
		     "virtual_server 10.0.0.1: port 0 (no port) is only allowed with "
		     "persistence_timeout");
	/* unknown group */
	expect_error("virtual_server group NOPE {\n}\n", 1,
		     "virtual_server group NOPE: no virtual_server_group named 'NOPE'");
	/* scripts */
	expect_error(VS_HEAD "  quorum_up /bin/up.sh bad:user\n}\n", 2,
		     "virtual_server 10.0.0.1 80: quorum_up: 'bad:user' is not a valid user name");
	expect_error(VS_HEAD RS_HEAD "    notify_down /bin/x root a/b\n" END2, 3,
		     "real_server 10.0.0.2 80: notify_down: 'a/b' is not a valid group name");
	expect_error(VS_HEAD "  quorum_down \"  \"\n}\n", 2, "quorum_down: no program given");
	/* address families */
	expect_error(VS_HEAD "  real_server 2001:db8::2 80 {\n  }\n}\n", 2,
		     "real_server 2001:db8::2 80: address family differs from the virtual "
		     "server's; only lvs_method TUN may mix IPv4 and IPv6");
	expect_error(VS_HEAD "  sorry_server 2001:db8::9 80\n}\n", 2,
		     "sorry_server address family differs");
	expect_error(VS_HEAD "  ip_family inet6\n}\n", 1,
		     "virtual_server 10.0.0.1 80: ip_family inet6 does not match the address");
	expect_error("virtual_server 2001:db8::1 80 {\n  persistence_granularity 255.255.0.0\n}\n",
		     1, "persistence_granularity of an IPv6 service must be a prefix length");
	expect_error(VS_HEAD "  persistence_granularity 64\n}\n", 1,
		     "persistence_granularity 64 is above 32 for IPv4");
	expect_error("virtual_server_group G {\n  10.0.0.1 80\n  2001:db8::1 80\n}\n"
		     "virtual_server group G {\n  real_server 10.0.0.2 80 {\n  }\n}\n", 5,
		     "the group mixes IPv4 and IPv6");
	/* thresholds */
	expect_error(VS_HEAD RS_HEAD "    uthreshold 5\n    lthreshold 10\n" END2, 2,
		     "real_server 10.0.0.2 80: lthreshold 10 is above uthreshold 5");
	/* checkers */
	expect_error(VS_HEAD RS_HEAD "    MISC_CHECK {\n    }\n" END2, 3,
		     "real_server 10.0.0.2 80: MISC_CHECK needs misc_path");
	expect_error(VS_HEAD RS_HEAD "    FILE_CHECK {\n    }\n" END2, 3,
		     "real_server 10.0.0.2 80: FILE_CHECK needs track_file");
	expect_error(VS_HEAD RS_HEAD "    FILE_CHECK {\n      track_file nope\n    }\n" END2, 3,
		     "real_server 10.0.0.2 80: FILE_CHECK: no track_file named 'nope'");
	expect_error(VS_HEAD RS_HEAD "    HTTP_GET {\n      url {\n        digest "
		     "ff20ad2481f97b1754ef3e12ecd3a9cc\n      }\n    }\n" END2, 4,
		     "real_server 10.0.0.2 80: HTTP_GET: url without path");
	expect_error(VS_HEAD RS_HEAD "    SSL_GET {\n      url {\n        path /\n"
		     "        regex x\n        regex_min_offset 9\n        regex_max_offset 3\n"
		     "      }\n    }\n" END2, 4,
		     "SSL_GET: regex_min_offset 9 is above regex_max_offset 3");
	expect_error("virtual_server fwmark 1 {\n  real_server 10.0.0.2 {\n"
		     "    TCP_CHECK {\n    }\n" END2, 3,
		     "real_server 10.0.0.2: TCP_CHECK has no port to connect to; set connect_port");
	expect_error("virtual_server fwmark 1 {\n  real_server 10.0.0.2 {\n"
		     "    SMTP_CHECK {\n      host {\n        connect_ip 10.0.0.3\n      }\n"
		     "    }\n" END2, 4, "SMTP_CHECK host has no port to connect to");
	expect_error(VS_HEAD RS_HEAD "    TCP_CHECK {\n      bind_if averyveryverylongname\n"
		     "    }\n" END2, 3, "bind_if 'averyveryverylongname' is not a valid interface");
	expect_error(VS_HEAD RS_HEAD "    TCP_CHECK {\n      connect_ip 10.0.0.3/24\n"
		     "    }\n" END2, 3, "connect_ip must not have a prefix length");
	expect_error(VS_HEAD RS_HEAD "    TCP_CHECK {\n      connect_ip 10.0.0.3\n"
		     "      bindto 2001:db8::1\n    }\n" END2, 3,
		     "connect_ip and bindto are of different families");
	expect_error(VS_HEAD RS_HEAD "    DNS_CHECK {\n      name a..b\n    }\n" END2, 3,
		     "DNS_CHECK: name 'a..b' is not a valid domain name");
	/* virtual_server_group */
	expect_error("virtual_server_group G {\n  10.0.0.1-abc 80\n}\n", 2,
		     "'10.0.0.1-abc' is not an address, address range or 'fwmark N'");
	expect_error("virtual_server_group G {\n  10.0.0.9-3 80\n}\n", 2,
		     "range 10.0.0.9-3 ends before it starts");
	expect_error("virtual_server_group G {\n  fwmark 3 inet5\n}\n", 2,
		     "fwmark 3 inet5: family must be inet or inet6");
	expect_error("virtual_server_group G {\n  10.0.0.1 80\n}\n"
		     "virtual_server_group G {\n  10.0.0.2 80\n}\n", 4,
		     "virtual_server_group G defined twice (first at t.conf:1)");
	expect_error("virtual_server_group G {\n  10.0.0.1\n}\n"
		     "virtual_server group G {\n}\n", 2,
		     "virtual_server_group G: an entry without port needs persistence_timeout in "
		     "virtual_server group G");
	expect_error("virtual_server_group G {\n  sub {\n  }\n}\n", 2,
		     "a block is not allowed here");
	expect_error("SSL extra {\n}\n", 1, "SSL takes no arguments");
}

/* ---- warnings: accepted, but reported at the right line ---- */

static void test_warnings(void **state)
{
	(void)state;
	expect_warning(VS_HEAD RS_HEAD "    HTTP_GET {\n    }\n" END2, 3,
		       "real_server 10.0.0.2 80: HTTP_GET has no url; the checker is ignored");
	expect_warning(VS_HEAD RS_HEAD "    HTTP_GET {\n      enable_sni\n      url {\n"
		       "        path /\n      }\n    }\n" END2, 3,
		       "HTTP_GET: enable_sni only applies to SSL_GET");
	expect_warning(VS_HEAD RS_HEAD "    UDP_CHECK {\n      min_reply_length 10\n"
		       "      max_reply_length 5\n    }\n" END2, 3,
		       "min_reply_length 10 > max_reply_length 5; the check will always fail");
	expect_warning(VS_HEAD "  quorum 2\n  hysteresis 2\n}\n", 1,
		       "hysteresis 2 is not below quorum 2");
	expect_warning(VS_HEAD "  quorum_up up.sh\n}\n", 2,
		       "quorum_up: 'up.sh' is not an absolute path");
	expect_warning(VS_HEAD "  lb_algo rr\n  lvs_sched wrr\n}\n", 3,
		       "lvs_sched given twice; the last one wins");
	expect_warning(VS_HEAD "  alpha\n  alpha off\n}\n", 3,
		       "alpha given twice; the last one wins");
	expect_warning(VS_HEAD "  sorry_server 10.0.0.8\n  sorry_server 10.0.0.9\n}\n", 3,
		       "sorry_server given twice; the last one wins");
	expect_warning(VS_HEAD "  sh-port\n}\n", 1, "sh-port/sh-fallback need lvs_sched sh");
	expect_warning(VS_HEAD "  mh-fallback\n}\n", 1, "mh-port/mh-fallback need lvs_sched mh");
	expect_warning(VS_HEAD "  persistence_engine sip\n}\n", 1,
		       "persistence_engine has no effect without persistence_timeout");
	expect_warning(VS_HEAD "  sorry_server_inhibit\n}\n", 1,
		       "sorry_server_inhibit/sorry_server_lvs_method without sorry_server");
	expect_warning(VS_HEAD "  bogus_keyword 1\n}\n", 2,
		       "unknown keyword 'bogus_keyword' in virtual_server");
	expect_warning(VS_HEAD RS_HEAD "    MISC_CHECK {\n      misc_path /bin/true\n"
		       "      connect_ip 10.0.0.3\n    }\n" END2, 5,
		       "unknown keyword 'connect_ip' in MISC_CHECK");
	expect_warning(VS_HEAD "  real_server 10.0.0.2 81 {\n    lvs_method DR\n  }\n}\n", 2,
		       "port differs from the virtual server's; DR forwarding uses port 80");
	expect_warning("virtual_server_group G {\n}\n", 1, "virtual_server_group G is empty");
	expect_warning(VS_HEAD RS_HEAD "    TCP_CHECK {\n      bindto fe80::1\n"
		       "      connect_ip fe80::2\n    }\n" END2, 3,
		       "a link-local bindto needs bind_if");
	expect_warning(VS_HEAD RS_HEAD "    HTTP_GET {\n      url {\n        path /\n"
		       "        regex_no_match\n      }\n    }\n" END2, 4,
		       "regex settings without regex have no effect");
}

/* IPv6 real servers behind an IPv4 service are fine when tunnelled; a
 * fwmark service takes its family from its real servers. */
static void test_families(void **state)
{
	const struct cfg_check *c;
	struct loaded l;

	(void)state;
	c = load_ok(&l, VS_HEAD "  lvs_method TUN\n"
			"  real_server 2001:db8::2 80 {\n  }\n"
			"  sorry_server 2001:db8::9 80\n}\n"
			"virtual_server fwmark 3 {\n"
			"  real_server 2001:db8::2 80 {\n  }\n}\n"
			"virtual_server fwmark 4 {\n  lvs_method TUN\n"
			"  real_server 10.0.0.5 80 {\n  }\n"
			"  real_server 2001:db8::2 80 {\n  }\n}\n");
	assert_int_equal(c->vs->eff_family, AF_INET);
	assert_int_equal(c->vs->rs->eff_method.fwd, CFG_FWD_TUN);
	assert_int_equal(c->vs->next->eff_family, AF_INET6);
	assert_int_equal(c->vs->next->next->eff_family, AF_INET);
	unload(&l);
}

static void test_names(void **state)
{
	char buf[CFG_VS_LABEL_LEN];
	struct cfg_vs vs;
	struct cfg_rs rs;

	(void)state;
	assert_string_equal(cfg_lvs_sched_name(CFG_SCHED_WLC), "wlc");
	assert_string_equal(cfg_lvs_sched_name(CFG_SCHED_TWOS), "twos");
	assert_string_equal(cfg_lvs_sched_name(CFG_SCHED__COUNT), "?");
	assert_string_equal(cfg_lvs_fwd_name(CFG_FWD_TUN), "TUN");
	assert_string_equal(cfg_lvs_proto_name(CFG_PROTO_SCTP), "SCTP");
	assert_string_equal(cfg_chk_type_name(CFG_CHK_FILE), "FILE_CHECK");
	assert_string_equal(cfg_chk_type_name(CFG_CHK__COUNT), "?");
	assert_string_equal(cfg_dns_type_name(CFG_DNS_SOA), "SOA");
	memset(&vs, 0, sizeof(vs));
	vs.kind = CFG_VS_ADDR;
	assert_int_equal(cfg_addr_parse("2001:db8::1", &vs.addr), 0);
	vs.port = 443;
	assert_string_equal(cfg_vs_label(&vs, buf, sizeof(buf)), "virtual_server 2001:db8::1 443");
	vs.kind = CFG_VS_FWMARK;
	vs.fwmark = 12;
	assert_string_equal(cfg_vs_label(&vs, buf, sizeof(buf)), "virtual_server fwmark 12");
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(cfg_addr_parse("10.1.2.3", &rs.addr), 0);
	assert_string_equal(cfg_rs_label(&rs, buf, sizeof(buf)), "real_server 10.1.2.3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lvs_sample),
		cmocka_unit_test(test_keepalived_samples),
		cmocka_unit_test(test_vs_keywords),
		cmocka_unit_test(test_vs_defaults),
		cmocka_unit_test(test_rs_keywords),
		cmocka_unit_test(test_checkers),
		cmocka_unit_test(test_vsg),
		cmocka_unit_test(test_ssl),
		cmocka_unit_test(test_errors_values),
		cmocka_unit_test(test_errors_semantic),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
