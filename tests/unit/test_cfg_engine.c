// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the keyword-table engine (cfg_engine.c), the value helpers
 * (cfg_value.c) and the loader (cfg_load.c), through a small table of
 * every CFG_T_* type and the real lexer.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "config/cfg.h"
#include "config/lex.h"

/* ---- the test table ---- */

struct t_elem {
	struct t_elem *next;
	char *name;
	uint16_t port;
	uint32_t weight;
	bool finished;
	const char *file;
	unsigned line;
};

struct t_sub {
	uint32_t a;
	char *s;
};

struct t_obj {
	bool flag, flag_on, b;
	int8_t i8;
	int32_t i32;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	uint32_t fx;
	uint64_t fx6;
	char *str, *line, *newname;
	int en;
	struct cfg_addr addr;
	struct cfg_strlist words;
	struct t_sub sub;
	struct t_elem *items;
	unsigned once;
	int func_calls;
	unsigned func_line;
	char *fstr;
};

static unsigned t_free_calls;

static void t_init(void *obj)
{
	struct t_obj *o = obj;

	o->flag_on = true;
	o->u16 = 100;
	o->fx = 100;
	o->sub.a = 7;
}

static int t_elem_head(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct t_elem *e = obj;

	if (cfg_want_args(ctx, n, 2, 2) < 0 || cfg_get_port(ctx, n, n->args[1], &e->port) < 0)
		return -EINVAL;
	e->name = cfg_strdup(n->args[0]);
	e->file = n->file;
	e->line = n->line;
	return 0;
}

static void t_elem_dump_head(FILE *out, const void *obj)
{
	const struct t_elem *e = obj;

	fputc(' ', out);
	cfg_put_word(out, e->name);
	fprintf(out, " %u", (unsigned)e->port);
}

static int t_elem_finish(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	(void)ctx;
	(void)n;
	((struct t_elem *)obj)->finished = true;
	return 0;
}

static void t_elem_free(void *obj)
{
	free(((struct t_elem *)obj)->name);
}

static const struct cfg_kw t_elem_kws[] = {
	{ .name = "weight", .type = CFG_T_UINT, CFG_FIELD(struct t_elem, weight), .max = 65535 },
	{ .name = NULL },
};

static const struct cfg_block t_elem_block = {
	.name = "item",
	.size = sizeof(struct t_elem),
	.next_off = offsetof(struct t_elem, next),
	.head = t_elem_head,
	.dump_head = t_elem_dump_head,
	.finish = t_elem_finish,
	.free_extra = t_elem_free,
	.kws = t_elem_kws,
};

static const struct cfg_kw t_sub_kws[] = {
	{ .name = "a", .type = CFG_T_UINT, CFG_FIELD(struct t_sub, a), .min = 1, .max = 10 },
	{ .name = "s", .type = CFG_T_STR, CFG_FIELD(struct t_sub, s) },
	{ .name = NULL },
};

static const struct cfg_block t_sub_block = {
	.name = "auth",
	.kws = t_sub_kws,
};

static const struct cfg_enum_val t_enums[] = {
	{ "alpha", 1 },
	{ "beta", 2 },
	{ "gamma", 3 },
	{ NULL, 0 },
};

static int t_func_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct t_obj *o = obj;

	if (cfg_want_args(ctx, n, 1, 1) < 0)
		return -EINVAL;
	o->func_calls++;
	o->func_line = n->line;
	free(o->fstr);
	o->fstr = cfg_strdup(n->args[0]);
	return 0;
}

static void t_func_dump(FILE *out, const void *obj, int indent)
{
	const struct t_obj *o = obj;

	if (!o->fstr)
		return;
	cfg_indent(out, indent);
	fputs("fn ", out);
	cfg_put_word(out, o->fstr);
	fputc('\n', out);
}

static void t_func_free(void *obj)
{
	struct t_obj *o = obj;

	t_free_calls++;
	free(o->fstr);
	o->fstr = NULL;
}

#define F(m) CFG_FIELD(struct t_obj, m)

static const struct cfg_kw t_kws[] = {
	{ .name = "flag", .type = CFG_T_FLAG, F(flag) },
	{ .name = "flag_on", .type = CFG_T_FLAG, F(flag_on) },
	{ .name = "b", .type = CFG_T_BOOL, F(b) },
	{ .name = "i8", .type = CFG_T_INT, F(i8), .min = -5, .max = 5 },
	{ .name = "i32", .type = CFG_T_INT, F(i32) },
	{ .name = "u8", .type = CFG_T_UINT, F(u8), .min = 1, .max = 255 },
	{ .name = "old_u8", .type = CFG_T_UINT, F(u8), .min = 1, .max = 255, .alias_of = "u8",
	  .flags = CFG_KW_DEPRECATED | CFG_KW_NODUMP },
	{ .name = "u16", .type = CFG_T_UINT, F(u16), .max = 100000 },
	{ .name = "u32", .type = CFG_T_UINT, F(u32), .min = 10, .max = 20 },
	{ .name = "u64", .type = CFG_T_UINT, F(u64) },
	{ .name = "u32min", .type = CFG_T_UINT, F(u32), .min = 3, .flags = CFG_KW_NODUMP },
	{ .name = "fx", .type = CFG_T_FIXED, F(fx), .scale = 100, .min = 1, .max = 25500 },
	{ .name = "fx6", .type = CFG_T_FIXED, F(fx6), .scale = 1000000, .min = 1,
	  .max = 10000000 },
	{ .name = "str", .type = CFG_T_STR, F(str) },
	{ .name = "syn_str", .type = CFG_T_STR, F(str), .alias_of = "str",
	  .flags = CFG_KW_NODUMP },
	{ .name = "newname", .type = CFG_T_STR, F(newname), .alias_of = "oldname" },
	{ .name = "line", .type = CFG_T_LINE, F(line) },
	{ .name = "en", .type = CFG_T_ENUM, F(en), .enums = t_enums },
	{ .name = "addr", .type = CFG_T_ADDR, F(addr) },
	{ .name = "words", .type = CFG_T_STRLIST, F(words) },
	{ .name = "auth", .type = CFG_T_SUB, F(sub), .sub = &t_sub_block },
	{ .name = "item", .type = CFG_T_LIST, F(items), .sub = &t_elem_block },
	{ .name = "once", .type = CFG_T_UINT, F(once), .flags = CFG_KW_REPEAT_ERR },
	{ .name = "fn", .type = CFG_T_FUNC, .parse = t_func_parse, .dump = t_func_dump,
	  .free = t_func_free },
	{ .name = "ign", .type = CFG_T_IGNORE },
	{ .name = "gone", .type = CFG_T_IGNORE, .flags = CFG_KW_DEPRECATED },
	{ .name = NULL },
};

static const struct cfg_block t_block = {
	.name = "test",
	.size = sizeof(struct t_obj),
	.init = t_init,
	.kws = t_kws,
};

/* ---- harness ---- */

struct t_run {
	struct cfg_diags d;
	struct cfg_tree *tree;
	struct t_obj *o;
	int rc;
};

static void t_parse(struct t_run *r, const char *text)
{
	struct cfg_lex_opts lo = { .config_id = "test" };
	struct cfg_ctx ctx;

	memset(r, 0, sizeof(*r));
	cfg_diags_init(&r->d);
	assert_int_equal(cfg_lex_string("t.conf", text, strlen(text), &lo, &r->d, &r->tree), 0);
	r->o = cfg_zalloc(sizeof(*r->o));
	t_init(r->o);
	memset(&ctx, 0, sizeof(ctx));
	ctx.diags = &r->d;
	r->rc = cfg_parse_body(&ctx, &t_block, r->o, cfg_tree_top(r->tree));
}

static void t_done(struct t_run *r)
{
	cfg_free_fields(&t_block, r->o);
	free(r->o);
	cfg_tree_free(r->tree);
	cfg_diags_free(&r->d);
}

/* True when diags hold exactly "FILE:LINE: msg" (or "FILE: msg") with severity sev. */
static bool t_has(const struct cfg_diags *d, enum cfg_sev sev, const char *want)
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

#define HAS_ERR(r, s) assert_true(t_has(&(r)->d, CFG_SEV_ERROR, s))
#define HAS_WARN(r, s) assert_true(t_has(&(r)->d, CFG_SEV_WARN, s))
#define HAS_NOTICE(r, s) assert_true(t_has(&(r)->d, CFG_SEV_NOTICE, s))

static char *t_dump(const struct t_obj *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	cfg_dump_body(m, &t_block, o, 0);
	fclose(m);
	return buf;
}

/* Parses text, checks there is no diagnostic and returns the dump. */
static void t_roundtrip(const char *text, const char *want_dump)
{
	struct t_run r1, r2;
	char *d1, *d2;

	t_parse(&r1, text);
	assert_int_equal(r1.rc, 0);
	d1 = t_dump(r1.o);
	if (want_dump)
		assert_string_equal(d1, want_dump);
	t_parse(&r2, d1);
	assert_int_equal(r2.rc, 0);
	assert_int_equal(r2.d.n, 0);
	d2 = t_dump(r2.o);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	t_done(&r1);
	t_done(&r2);
}

/* ---- tests ---- */

static void test_defaults(void **state)
{
	struct t_run r;
	char *d;

	(void)state;
	t_parse(&r, "");
	assert_int_equal(r.rc, 0);
	assert_true(r.o->flag_on);
	assert_int_equal(r.o->u16, 100);
	d = t_dump(r.o);
	assert_string_equal(d, "");
	free(d);
	t_done(&r);
}

static void test_flag_bool(void **state)
{
	struct t_run r;

	(void)state;
	t_parse(&r, "flag\nflag_on off\nb YES\n");
	assert_int_equal(r.rc, 0);
	assert_true(r.o->flag);
	assert_false(r.o->flag_on);
	assert_true(r.o->b);
	assert_int_equal(r.d.n, 0);
	t_done(&r);

	t_parse(&r, "flag maybe\nb\nflag_on false\nflag_on TRUE\n");
	assert_int_equal(r.rc, -EINVAL);
	HAS_ERR(&r, "t.conf:1: flag maybe: must be on|off|yes|no|true|false");
	HAS_WARN(&r, "t.conf:4: flag_on given twice; the last one wins");
	assert_false(r.o->flag);
	assert_true(r.o->b);
	assert_true(r.o->flag_on);
	t_done(&r);

	t_parse(&r, "flag on extra\n");
	assert_int_equal(r.rc, 0);
	HAS_WARN(&r, "t.conf:1: flag takes 1 argument; 'extra' and the rest are ignored");
	assert_true(r.o->flag);
	t_done(&r);

	t_roundtrip("flag yes\nflag_on no\nb on\n", "flag\nflag_on off\nb on\n");
	t_roundtrip("b off\n", "");
}

static void test_int(void **state)
{
	struct t_run r;

	(void)state;
	t_parse(&r, "i8 -5\ni32 -2147483648\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.o->i8, -5);
	assert_int_equal(r.o->i32, INT32_MIN);
	t_done(&r);

	t_parse(&r, "i8 6\ni8 abc\ni32 2147483648\ni8 -6\ni8\ni8 { }\n");
	assert_int_equal(r.rc, -EINVAL);
	HAS_ERR(&r, "t.conf:1: i8 6: must be -5..5");
	HAS_ERR(&r, "t.conf:2: i8 abc: must be -5..5");
	HAS_ERR(&r, "t.conf:3: i32 2147483648: must be -2147483648..2147483647");
	HAS_ERR(&r, "t.conf:4: i8 -6: must be -5..5");
	HAS_ERR(&r, "t.conf:5: i8 takes 1 argument, got 0");
	HAS_ERR(&r, "t.conf:6: i8 takes a value, not a { } block");
	assert_int_equal(r.o->i8, 0);
	t_done(&r);

	t_roundtrip("i8 -3\ni32 +77\n", "i8 -3\ni32 77\n");
}

static void test_uint(void **state)
{
	struct t_run r;

	(void)state;
	t_parse(&r, "u8 255\nu16 65535\nu32 10\nu64 18446744073709551615\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.o->u8, 255);
	assert_int_equal(r.o->u16, 65535);
	assert_int_equal(r.o->u32, 10);
	assert_true(r.o->u64 == UINT64_MAX);
	t_done(&r);

	t_parse(&r, "u8 0\nu8 256\nu16 65536\nu32 21\nu64 18446744073709551616\nu8 -1\n"
		    "u8 1x\nu8 0x10\n");
	assert_int_equal(r.rc, -EINVAL);
	HAS_ERR(&r, "t.conf:1: u8 0: must be 1..255");
	HAS_ERR(&r, "t.conf:2: u8 256: must be 1..255");
	/* max beyond the field's size is clamped to it */
	HAS_ERR(&r, "t.conf:3: u16 65536: must be 0..65535");
	HAS_ERR(&r, "t.conf:4: u32 21: must be 10..20");
	HAS_ERR(&r, "t.conf:5: u64 18446744073709551616: must be 0..18446744073709551615");
	HAS_ERR(&r, "t.conf:6: u8 -1: must be 1..255");
	HAS_ERR(&r, "t.conf:7: u8 1x: must be 1..255");
	HAS_ERR(&r, "t.conf:8: u8 0x10: must be 1..255");
	assert_int_equal(r.o->u8, 0);
	assert_int_equal(r.o->u16, 100);
	t_done(&r);

	/* an unsigned max of 0 means no upper bound */
	t_parse(&r, "u32min 4294967295\nu32min 2\n");
	assert_int_equal(r.rc, -EINVAL);
	HAS_ERR(&r, "t.conf:2: u32min 2: must be 3..4294967295");
	assert_int_equal(r.o->u32, UINT32_MAX);
	t_done(&r);

	t_roundtrip("u8 9\nu16 100\nu64 5\n", "u8 9\nu64 5\n");
}

static void test_fixed(void **state)
{
	struct t_run r;

	(void)state;
	t_parse(&r, "fx 1.5\nfx6 0.000001\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.o->fx, 150);
	assert_int_equal(r.o->fx6, 1);
	t_done(&r);

	t_parse(&r, "fx .25\n");
	assert_int_equal(r.o->fx, 25);
	t_done(&r);

	/* decimals beyond the scale round half up */
	t_parse(&r, "fx 0.005\nfx6 2.0000004\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.o->fx, 1);
	assert_int_equal(r.o->fx6, 2000000);
	t_done(&r);

	t_parse(&r, "fx 0\nfx 255.01\nfx 1.2.3\nfx -1\nfx .\nfx6 11\nfx abc\n");
	assert_int_equal(r.rc, -EINVAL);
	HAS_ERR(&r, "t.conf:1: fx 0: must be 0.01..255");
	HAS_ERR(&r, "t.conf:2: fx 255.01: must be 0.01..255");
	HAS_ERR(&r, "t.conf:3: fx 1.2.3: must be 0.01..255");
	HAS_ERR(&r, "t.conf:4: fx -1: must be 0.01..255");
	HAS_ERR(&r, "t.conf:5: fx .: must be 0.01..255");
	HAS_ERR(&r, "t.conf:6: fx6 11: must be 0.000001..10");
	HAS_ERR(&r, "t.conf:7: fx abc: must be 0.01..255");
	assert_int_equal(r.o->fx, 100);
	t_done(&r);

	t_roundtrip("fx 2.50\nfx6 1.000250\n", "fx 2.5\nfx6 1.00025\n");
	t_roundtrip("fx 1\n", "");
}

static void test_str_line(void **state)
{
	struct t_run r;

	(void)state;
	t_parse(&r, "str one\nstr two\nline a  b\t c\n");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.o->str, "two");
	assert_string_equal(r.o->line, "a b c");
	HAS_WARN(&r, "t.conf:2: str given twice; the last one wins");
	t_done(&r);

	t_parse(&r, "str\nline\nstr a b\n");
	assert_int_equal(r.rc, -EINVAL);
	HAS_ERR(&r, "t.conf:1: str takes 1 argument, got 0");
	HAS_ERR(&r, "t.conf:2: line needs at least 1 argument");
	HAS_WARN(&r, "t.conf:3: str takes 1 argument; 'b' and the rest are ignored");
	assert_string_equal(r.o->str, "a");
	t_done(&r);

	t_roundtrip("str \"with space\"\nline /bin/x  \"a b\" c\n",
		    "str \"with space\"\nline /bin/x a b c\n");
	t_roundtrip("line /bin/x arg1 arg2\n", "line /bin/x arg1 arg2\n");
	t_roundtrip("str \"a#b\"\nline \"x!y\" z\n", "str \"a#b\"\nline \"x!y z\"\n");
	t_roundtrip("str \"{\"\n", "str \"{\"\n");
}

static void test_enum(void **state)
{
	struct t_run r;

	(void)state;
	t_parse(&r, "en BETA\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.o->en, 2);
	t_done(&r);

	t_parse(&r, "en delta\n");
	assert_int_equal(r.rc, -EINVAL);
	HAS_ERR(&r, "t.conf:1: en delta: must be one of alpha|beta|gamma");
	assert_int_equal(r.o->en, 0);
	t_done(&r);

	t_roundtrip("en Gamma\n", "en gamma\n");
}

static void test_addr(void **state)
{
	struct t_run r;
	char buf[CFG_ADDRSTRLEN];

	(void)state;
	t_parse(&r, "addr 10.1.2.3/24\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.o->addr.family, AF_INET);
	assert_true(r.o->addr.has_prefix);
	assert_int_equal(r.o->addr.prefix, 24);
	assert_string_equal(cfg_addr_fmt(&r.o->addr, buf, sizeof(buf)), "10.1.2.3/24");
	t_done(&r);

	t_parse(&r, "addr 300.1.1.1\naddr 10.0.0.1/33\naddr fe80::1/129\naddr 1.2.3\n"
		    "addr 10.0.0.1/\naddr ::1/-1\n");
	assert_int_equal(r.rc, -EINVAL);
	HAS_ERR(&r, "t.conf:1: addr 300.1.1.1: must be an IPv4 or IPv6 address");
	HAS_ERR(&r, "t.conf:2: addr 10.0.0.1/33: must be an IPv4 or IPv6 address");
	HAS_ERR(&r, "t.conf:3: addr fe80::1/129: must be an IPv4 or IPv6 address");
	HAS_ERR(&r, "t.conf:4: addr 1.2.3: must be an IPv4 or IPv6 address");
	HAS_ERR(&r, "t.conf:5: addr 10.0.0.1/: must be an IPv4 or IPv6 address");
	HAS_ERR(&r, "t.conf:6: addr ::1/-1: must be an IPv4 or IPv6 address");
	assert_int_equal(r.o->addr.family, AF_UNSPEC);
	t_done(&r);

	t_roundtrip("addr 2001:DB8:0::1\n", "addr 2001:db8::1\n");
	t_roundtrip("addr 192.168.0.1/32\n", "addr 192.168.0.1/32\n");
}

static void test_addr_helpers(void **state)
{
	struct cfg_addr a, b;
	char buf[CFG_ADDRSTRLEN];

	(void)state;
	assert_int_equal(cfg_addr_parse("192.0.2.1", &a), 0);
	assert_false(a.has_prefix);
	assert_int_equal(a.prefix, 32);
	assert_int_equal(cfg_addr_parse("192.0.2.1/32", &b), 0);
	assert_false(cfg_addr_equal(&a, &b));	/* written differently */
	b.has_prefix = false;
	assert_true(cfg_addr_equal(&a, &b));
	assert_int_equal(cfg_addr_parse("::ffff:1.2.3.4", &a), 0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.prefix, 128);
	assert_string_equal(cfg_addr_fmt(&a, buf, sizeof(buf)), "::ffff:1.2.3.4");
	assert_int_equal(cfg_addr_parse("", &a), -EINVAL);
	assert_int_equal(cfg_addr_parse("/24", &a), -EINVAL);
	assert_int_equal(cfg_addr_parse("1.2.3.4/0024", &a), -EINVAL);
	assert_int_equal(cfg_addr_parse("host.example", &a), -EINVAL);
	assert_int_equal(cfg_addr_parse("1.2.3.4/0", &a), 0);
	assert_int_equal(a.prefix, 0);
	memset(&a, 0, sizeof(a));
	assert_string_equal(cfg_addr_fmt(&a, buf, sizeof(buf)), "");
	memset(&b, 0, sizeof(b));
	assert_true(cfg_addr_equal(&a, &b));
	assert_int_equal(cfg_addr_parse("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128", &a),
			 0);
	assert_string_equal(cfg_addr_fmt(&a, buf, sizeof(buf)),
			    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
}

static void test_put_word(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },	   { "", "\"\"" },	    { "a b", "\"a b\"" },
		{ "a{b", "\"a{b\"" },	   { "x}", "\"x}\"" },	    { "!x", "\"!x\"" },
		{ "a#b", "\"a#b\"" },	   { "@id", "\"@id\"" },   { "~SEQ", "\"~SEQ\"" },
		{ "a@b", "a@b" },	   { "/p/a-b_c.d", "/p/a-b_c.d" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		cfg_put_word(m, cases[i].in);
		fclose(m);
		assert_string_equal(buf, cases[i].out);
		free(buf);
	}
}

static void test_strlist(void **state)
{
	struct t_run r;

	(void)state;
	t_parse(&r, "words a b {\n c d\n e\n}\nwords f\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.o->words.n, 6);
	assert_string_equal(r.o->words.v[0], "a");
	assert_string_equal(r.o->words.v[2], "c");
	assert_string_equal(r.o->words.v[3], "d");
	assert_string_equal(r.o->words.v[5], "f");
	assert_int_equal(r.d.n, 0);
	t_done(&r);

	t_parse(&r, "words {\n x { }\n y\n}\n");
	assert_int_equal(r.rc, -EINVAL);
	HAS_ERR(&r, "t.conf:2: x: a block is not allowed in words");
	assert_int_equal(r.o->words.n, 1);
	t_done(&r);

	t_roundtrip("words { b a \"c d\" }\n", "words {\n    b\n    a\n    \"c d\"\n}\n");
}

static void test_sub(void **state)
{
	struct t_run r;

	(void)state;
	t_parse(&r, "auth {\n a 3\n s x\n}\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.o->sub.a, 3);
	assert_string_equal(r.o->sub.s, "x");
	t_done(&r);

	t_parse(&r, "auth 1 {\n a 11\n bogus\n}\nauth 5\nauth { s y }\n");
	assert_int_equal(r.rc, -EINVAL);
	HAS_ERR(&r, "t.conf:1: auth takes no arguments");
	HAS_ERR(&r, "t.conf:2: a 11: must be 1..10");
	HAS_WARN(&r, "t.conf:3: unknown keyword 'bogus' in auth");
	HAS_ERR(&r, "t.conf:5: auth needs a { } block");
	HAS_WARN(&r, "t.conf:6: auth given twice; the last one wins");
	assert_string_equal(r.o->sub.s, "y");
	t_done(&r);

	/* a sub block equal to the defaults is left out */
	t_roundtrip("auth {\n a 7\n}\n", "");
	t_roundtrip("auth { a 2 }\n", "auth {\n    a 2\n}\n");
}

static void test_list(void **state)
{
	struct t_run r;
	struct t_elem *e;

	(void)state;
	t_parse(&r, "item a 1 { weight 5 }\nitem b 2 {\n}\nstr x\nitem c 3 { }\n");
	assert_int_equal(r.rc, 0);
	e = r.o->items;
	assert_non_null(e);
	assert_string_equal(e->name, "a");
	assert_int_equal(e->weight, 5);
	assert_true(e->finished);
	assert_int_equal(e->line, 1);
	assert_string_equal(e->file, "t.conf");
	e = e->next;
	assert_string_equal(e->name, "b");
	e = e->next;
	assert_string_equal(e->name, "c");
	assert_int_equal(e->line, 5);
	assert_null(e->next);
	t_done(&r);

	t_parse(&r, "item a 0 {\n weight x\n}\nitem b 2\nitem c 3 { weight 1 }\n");
	assert_int_equal(r.rc, -EINVAL);
	HAS_ERR(&r, "t.conf:1: item 0: must be 1..65535");
	/* the body of a bad head is still checked */
	HAS_ERR(&r, "t.conf:2: weight x: must be 0..65535");
	HAS_ERR(&r, "t.conf:4: item needs a { } block");
	e = r.o->items;
	assert_non_null(e);
	assert_string_equal(e->name, "c");
	assert_null(e->next);
	t_done(&r);

	t_roundtrip("item x 80 { weight 0 }\nitem \"y z\" 81 { weight 2 }\n",
		    "item x 80 {\n}\nitem \"y z\" 81 {\n    weight 2\n}\n");
}

static void test_list_large(void **state)
{
	const unsigned n = 5000;
	struct timespec t0, t1;
	struct t_run r;
	struct t_elem *e;
	size_t cap = n * 64 + 1, len = 0;
	char *text = malloc(cap);
	unsigned i;
	double secs;

	(void)state;
	assert_non_null(text);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "item n%u %u {\n weight %u\n}\n", i,
					i % 65535 + 1, i % 100);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	t_parse(&r, text);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_int_equal(r.rc, 0);
	for (i = 0, e = r.o->items; e; e = e->next, i++) {
		char want[16];

		snprintf(want, sizeof(want), "n%u", i);
		assert_string_equal(e->name, want);
	}
	assert_int_equal(i, n);
	assert_true(secs < 1.0);
	free(text);
	t_done(&r);
}

static void test_unknown_continues(void **state)
{
	struct t_run r;

	(void)state;
	t_parse(&r, "bogus 1 2\nstrange {\n u8 9\n}\nu8 4\n");
	assert_int_equal(r.rc, 0);
	HAS_WARN(&r, "t.conf:1: unknown keyword 'bogus' in test");
	HAS_WARN(&r, "t.conf:2: unknown keyword 'strange' in test");
	assert_int_equal(r.o->u8, 4);
	assert_int_equal(r.d.n_warn, 2);
	t_done(&r);
}

static void test_aliases(void **state)
{
	struct t_run r;
	char *d;

	(void)state;
	t_parse(&r, "old_u8 5\n");
	assert_int_equal(r.rc, 0);
	HAS_WARN(&r, "t.conf:1: 'old_u8' is deprecated, use 'u8'");
	assert_int_equal(r.o->u8, 5);
	d = t_dump(r.o);
	assert_string_equal(d, "u8 5\n");
	free(d);
	t_done(&r);

	/* an alias and its target are the same keyword for duplicates */
	t_parse(&r, "u8 5\nold_u8 6\n");
	HAS_WARN(&r, "t.conf:2: old_u8 given twice; the last one wins");
	assert_int_equal(r.o->u8, 6);
	t_done(&r);

	/* silent synonym */
	t_parse(&r, "syn_str v\n");
	assert_int_equal(r.d.n, 0);
	assert_string_equal(r.o->str, "v");
	t_done(&r);
	t_roundtrip("syn_str v\n", "str v\n");

	/* an entry naming its own old spelling */
	t_parse(&r, "oldname w\n");
	assert_int_equal(r.rc, 0);
	HAS_WARN(&r, "t.conf:1: 'oldname' is deprecated, use 'newname'");
	assert_string_equal(r.o->newname, "w");
	t_done(&r);
	t_roundtrip("oldname w\n", "newname w\n");
}

static void test_repeat_err(void **state)
{
	struct t_run r;

	(void)state;
	t_parse(&r, "once 1\nonce 2\n");
	assert_int_equal(r.rc, -EINVAL);
	HAS_ERR(&r, "t.conf:2: once given twice");
	assert_int_equal(r.o->once, 1);
	t_done(&r);
}

static void test_ignore(void **state)
{
	struct t_run r;
	char *d;

	(void)state;
	t_parse(&r, "ign a b c\nign {\n whatever 1\n}\ngone 5\n");
	assert_int_equal(r.rc, 0);
	HAS_NOTICE(&r, "t.conf:1: 'ign' has no effect in alived; ignored");
	HAS_NOTICE(&r, "t.conf:2: 'ign' has no effect in alived; ignored");
	HAS_WARN(&r, "t.conf:5: 'gone' is deprecated and has no effect");
	assert_int_equal(r.d.n_err, 0);
	d = t_dump(r.o);
	assert_string_equal(d, "");
	free(d);
	t_done(&r);
}

static void test_func(void **state)
{
	struct t_run r;

	(void)state;
	t_free_calls = 0;
	t_parse(&r, "\n\nfn hello\nfn\n");
	assert_int_equal(r.rc, -EINVAL);
	assert_int_equal(r.o->func_calls, 1);
	assert_int_equal(r.o->func_line, 3);
	assert_string_equal(r.o->fstr, "hello");
	HAS_ERR(&r, "t.conf:4: fn takes 1 argument, got 0");
	t_done(&r);
	assert_int_equal(t_free_calls, 1);
	t_roundtrip("fn \"x y\"\n", "fn \"x y\"\n");
}

static void test_dump_all(void **state)
{
	(void)state;
	t_roundtrip("flag\nb on\ni8 -1\ni32 123456\nu8 200\nu16 0\nu32 15\nu64 99\n"
		    "fx 0.01\nfx6 0.5\nstr s\nnewname n\nline echo hi there\nen alpha\n"
		    "addr fe80::1/64\nwords { w1 w2 }\nauth {\n a 1\n s \"q r\"\n}\n"
		    "item i 1 { weight 3 }\nonce 4\nfn f\nign x\n",
		    "flag\nb on\ni8 -1\ni32 123456\nu8 200\nu16 0\nu32 15\nu64 99\n"
		    "fx 0.01\nfx6 0.5\nstr s\nnewname n\nline echo hi there\nen alpha\n"
		    "addr fe80::1/64\nwords {\n    w1\n    w2\n}\nauth {\n    a 1\n"
		    "    s \"q r\"\n}\nitem i 1 {\n    weight 3\n}\nonce 4\nfn f\n");
}

static void test_dump_block(void **state)
{
	struct t_run r;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	(void)state;
	t_parse(&r, "u8 3\nitem a 1 { weight 2 }\n");
	m = open_memstream(&buf, &len);
	cfg_dump_block(m, &t_elem_block, r.o->items, 4);
	cfg_dump_block(m, &t_block, r.o, 0);
	fclose(m);
	assert_string_equal(buf, "    item a 1 {\n        weight 2\n    }\n"
				 "test {\n    u8 3\n    item a 1 {\n        weight 2\n    }\n}\n");
	free(buf);
	t_done(&r);
}

static void test_parse_new(void **state)
{
	struct cfg_lex_opts lo = { 0 };
	struct cfg_diags d;
	struct cfg_tree *tree;
	struct cfg_ctx ctx = { .diags = &d };
	void *obj = (void *)1;
	struct t_elem *e;
	const char *text = "item a 10 { weight 1 }\nitem b x { }\n";

	(void)state;
	cfg_diags_init(&d);
	assert_int_equal(cfg_lex_string("p.conf", text, strlen(text), &lo, &d, &tree), 0);
	assert_int_equal(cfg_parse_new(&ctx, &t_elem_block, cfg_tree_top(tree), &obj), 0);
	e = obj;
	assert_string_equal(e->name, "a");
	assert_true(e->finished);
	cfg_free_list(&t_elem_block, e);
	obj = (void *)1;
	assert_int_equal(cfg_parse_new(&ctx, &t_elem_block, cfg_tree_top(tree)->next, &obj),
			 -EINVAL);
	assert_ptr_equal(obj, (void *)1);	/* untouched on error */
	assert_true(t_has(&d, CFG_SEV_ERROR, "p.conf:2: item x: must be 1..65535"));
	cfg_tree_free(tree);
	cfg_diags_free(&d);
}

static void test_want_args(void **state)
{
	struct cfg_node n = { .kw = "kw", .file = "w.conf", .line = 9 };
	char *args[] = { "a", "b", "c" };
	struct cfg_diags d;
	struct cfg_ctx ctx = { .diags = &d };
	uint64_t u = 42;
	int64_t s = 42;
	bool b = false;
	uint16_t port = 7;

	(void)state;
	cfg_diags_init(&d);
	n.args = args;
	n.nargs = 3;
	assert_int_equal(cfg_want_args(&ctx, &n, 0, 0), -EINVAL);
	assert_int_equal(cfg_want_args(&ctx, &n, 1, 2), -EINVAL);
	assert_int_equal(cfg_want_args(&ctx, &n, 4, 4), -EINVAL);
	assert_int_equal(cfg_want_args(&ctx, &n, 4, 9), -EINVAL);
	assert_int_equal(cfg_want_args(&ctx, &n, 1, UINT32_MAX), 0);
	assert_true(t_has(&d, CFG_SEV_ERROR, "w.conf:9: kw takes no arguments"));
	assert_true(t_has(&d, CFG_SEV_ERROR, "w.conf:9: kw takes at most 2 arguments, got 3"));
	assert_true(t_has(&d, CFG_SEV_ERROR, "w.conf:9: kw takes 4 arguments, got 3"));
	assert_true(t_has(&d, CFG_SEV_ERROR, "w.conf:9: kw needs at least 4 arguments"));

	assert_int_equal(cfg_get_uint(&ctx, &n, "", 0, 10, &u), -EINVAL);
	assert_int_equal(cfg_get_uint(&ctx, &n, "+", 0, 10, &u), -EINVAL);
	assert_int_equal(u, 42);
	assert_int_equal(cfg_get_int(&ctx, &n, "-", -10, 10, &s), -EINVAL);
	assert_int_equal(cfg_get_int(&ctx, &n, "-9223372036854775808", INT64_MIN, 0, &s), 0);
	assert_true(s == INT64_MIN);
	assert_int_equal(cfg_get_int(&ctx, &n, "9223372036854775808", INT64_MIN, INT64_MAX, &s),
			 -EINVAL);
	assert_int_equal(cfg_get_bool(&ctx, &n, "Off", &b), 0);
	assert_false(b);
	assert_int_equal(cfg_get_bool(&ctx, &n, "1", &b), -EINVAL);
	assert_int_equal(cfg_get_port(&ctx, &n, "0", &port), -EINVAL);
	assert_true(t_has(&d, CFG_SEV_ERROR, "w.conf:9: kw 0: must be 1..65535"));
	assert_int_equal(cfg_get_port(&ctx, &n, "65535", &port), 0);
	assert_int_equal(port, 65535);
	assert_int_equal(cfg_get_fixed(&ctx, &n, "1.5", 1000, 0, 10000, &u), 0);
	assert_int_equal(u, 1500);
	assert_int_equal(cfg_get_fixed(&ctx, &n, "99999999999999999999", 100, 0, UINT64_MAX, &u),
			 -EINVAL);
	cfg_diags_free(&d);
}

/* ---- cfg_load ---- */

static void test_load_missing(void **state)
{
	struct cfg_diags d;
	struct cfg_root *root = (void *)1;
	int r;

	(void)state;
	cfg_diags_init(&d);
	r = cfg_load("/nonexistent/alived.conf", NULL, &d, &root);
	assert_int_equal(r, -ENOENT);
	assert_ptr_equal(root, (void *)1);
	assert_int_equal(d.n_err, 1);
	assert_string_equal(d.v[0].file, "/nonexistent/alived.conf");
	assert_int_equal(d.v[0].line, 0);
	assert_non_null(strstr(d.v[0].msg, "cannot read"));
	assert_non_null(strstr(d.v[0].msg, strerror(ENOENT)));
	cfg_diags_free(&d);
}

static void test_load_empty(void **state)
{
	struct cfg_diags d;
	struct cfg_root *root = NULL;

	(void)state;
	cfg_diags_init(&d);
	assert_int_equal(cfg_load_string("e.conf", "! nothing\n", NULL, &d, &root), 0);
	assert_non_null(root);
	assert_non_null(root->global);
	assert_non_null(root->vrrp);
	assert_non_null(root->check);
	assert_string_equal(root->path, "e.conf");
	assert_true(t_has(&d, CFG_SEV_WARN, "e.conf: no vrrp_instance or virtual_server defined"));
	cfg_free(root);
	cfg_diags_free(&d);
}

static void test_load_errors(void **state)
{
	struct cfg_diags d;
	struct cfg_root *root = (void *)1;

	(void)state;
	cfg_diags_init(&d);
	assert_int_equal(cfg_load_string("x.conf", "frobnicate 1\nglobal_defs {\n"
					 " vrrp_version 9\n}\n", NULL, &d, &root), -EINVAL);
	assert_ptr_equal(root, (void *)1);
	assert_true(t_has(&d, CFG_SEV_WARN, "x.conf:1: unknown keyword 'frobnicate'"));
	assert_true(t_has(&d, CFG_SEV_ERROR, "x.conf:3: vrrp_version 9: must be 2..3"));
	cfg_diags_free(&d);

	/* an error before, in a shared diags, does not refuse a good config */
	cfg_diags_init(&d);
	cfg_diag(&d, CFG_SEV_ERROR, NULL, 0, "earlier");
	root = NULL;
	assert_int_equal(cfg_load_string("y.conf", "global_defs {\n}\n", NULL, &d, &root), 0);
	cfg_free(root);
	cfg_diags_free(&d);
}

static void test_load_file_dump(void **state)
{
	char path[] = "/tmp/test_cfg_engine_XXXXXX";
	const char *text = "global_defs {\n    router_id r1\n}\n";
	struct cfg_diags d;
	struct cfg_root *root = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cfg_diags_init(&d);
	assert_int_equal(cfg_load(path, NULL, &d, &root), 0);
	unlink(path);
	m = open_memstream(&buf, &len);
	cfg_dump(root, m);
	fclose(m);
	assert_non_null(strstr(buf, text));
	assert_true(strstr(buf, text) == buf);	/* global_defs comes first */
	free(buf);
	cfg_free(root);
	cfg_diags_free(&d);
	cfg_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_flag_bool),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_fixed),
		cmocka_unit_test(test_str_line),
		cmocka_unit_test(test_enum),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_addr_helpers),
		cmocka_unit_test(test_put_word),
		cmocka_unit_test(test_strlist),
		cmocka_unit_test(test_sub),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_list_large),
		cmocka_unit_test(test_unknown_continues),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_repeat_err),
		cmocka_unit_test(test_ignore),
		cmocka_unit_test(test_func),
		cmocka_unit_test(test_dump_all),
		cmocka_unit_test(test_dump_block),
		cmocka_unit_test(test_parse_new),
		cmocka_unit_test(test_want_args),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test(test_load_empty),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_load_file_dump),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
