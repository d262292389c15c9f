/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tests of the keepalived.conf tokenizer (src/config/lex.c, lex_expand.c)
 * and of the diagnostics list (src/config/cfg_diag.c).
 *
 * Trees are compared through a compact rendering: statements separated by
 * "; ", arguments by spaces, a quoted argument in [brackets], a block as
 * "{ ... }" after its statement's words.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "alived/config.h"
#include "config/lex.h"

#ifndef TEST_SEED_DIR
#define TEST_SEED_DIR "tests/data/seed"
#endif
#define skip_because(why)						\
	do {								\
		print_message("SKIP: %s\n", why);			\
		skip();							\
	} while (0)

#define SEED_DIR	TEST_SEED_DIR
#define SAMPLE_DIR	"/usr/share/doc/keepalived/samples"

struct lexed {
	struct cfg_tree *tree;
	struct cfg_diags diags;
	char *dump;		/* rendering of the tree */
	char *msgs;		/* cfg_diags_print output */
};

static void render(FILE *f, const struct cfg_node *n)
{
	for (; n; n = n->next) {
		unsigned i;

		fputs(n->kw, f);
		for (i = 0; i < n->nargs; i++)
			fprintf(f, n->quoted[i] ? " [%s]" : " %s", n->args[i]);
		assert_null(n->args[n->nargs]);
		if (n->block) {
			fputs(" {", f);
			if (n->child) {
				fputc(' ', f);
				render(f, n->child);
			}
			fputs(" }", f);
		} else {
			assert_null(n->child);
		}
		if (n->next)
			fputs("; ", f);
	}
}

static char *render_diags(const struct cfg_diags *d)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	cfg_diags_print(d, f);
	fclose(f);
	return s;
}

static void finish(struct lexed *l)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	render(f, cfg_tree_top(l->tree));
	fclose(f);
	l->dump = s;
	l->msgs = render_diags(&l->diags);
}

static void lex_opts(struct lexed *l, const char *text, const struct cfg_lex_opts *opts)
{
	cfg_diags_init(&l->diags);
	assert_int_equal(cfg_lex_string("t.conf", text, strlen(text), opts, &l->diags,
					&l->tree), 0);
	finish(l);
}

static void lex(struct lexed *l, const char *text)
{
	struct cfg_lex_opts o = { .config_id = "test" };

	lex_opts(l, text, &o);
}

static void lexed_free(struct lexed *l)
{
	cfg_tree_free(l->tree);
	cfg_diags_free(&l->diags);
	free(l->dump);
	free(l->msgs);
}

/* Lexes text; expects no diagnostic and the given rendering. */
static void check(const char *text, const char *want)
{
	struct lexed l;

	lex(&l, text);
	if (strcmp(l.msgs, "") != 0)
		fail_msg("unexpected diagnostics for <<%s>>:\n%s", text, l.msgs);
	if (strcmp(l.dump, want) != 0)
		fail_msg("input <<%s>>\n got  <<%s>>\n want <<%s>>", text, l.dump, want);
	lexed_free(&l);
}

/* Lexes text; expects exactly these diagnostics (printed) and rendering. */
static void check_diag(const char *text, const char *want, const char *want_msgs)
{
	struct lexed l;

	lex(&l, text);
	if (strcmp(l.msgs, want_msgs) != 0)
		fail_msg("input <<%s>>\n got diags  <<%s>>\n want diags <<%s>>", text, l.msgs,
			 want_msgs);
	if (want && strcmp(l.dump, want) != 0)
		fail_msg("input <<%s>>\n got  <<%s>>\n want <<%s>>", text, l.dump, want);
	lexed_free(&l);
}

/* ---- diagnostics list ---- */

static void test_diag_print(void **state)
{
	struct cfg_diags d;
	char *s;

	(void)state;
	cfg_diags_init(&d);
	cfg_diag(&d, CFG_SEV_ERROR, "a.conf", 3, "bad %s", "thing");
	cfg_diag(&d, CFG_SEV_WARN, "b.conf", 0, "whole file");
	cfg_diag(&d, CFG_SEV_NOTICE, NULL, 7, "no file %d", 1);
	cfg_diag(&d, CFG_SEV_ERROR, NULL, 0, "plain");
	assert_int_equal(d.n, 4);
	assert_int_equal(d.n_err, 2);
	assert_int_equal(d.n_warn, 1);
	s = render_diags(&d);
	assert_string_equal(s, "a.conf:3: error: bad thing\n"
			    "b.conf: warning: whole file\n"
			    "alived: notice: no file 1\n"
			    "alived: error: plain\n");
	free(s);
	cfg_diags_free(&d);
	assert_int_equal(d.n, 0);
	assert_null(d.v);
	cfg_diags_free(&d);	/* twice is harmless */
}

static void test_diag_many(void **state)
{
	struct cfg_diags d;
	unsigned i;

	(void)state;
	cfg_diags_init(&d);
	for (i = 0; i < 1000; i++)
		cfg_diag(&d, CFG_SEV_WARN, "x", i + 1, "w%u", i);
	assert_int_equal(d.n, 1000);
	assert_int_equal(d.n_warn, 1000);
	assert_string_equal(d.v[999].msg, "w999");
	assert_int_equal(d.v[999].line, 1000);
	cfg_diags_free(&d);
}

/* ---- statements and blocks ---- */

static void test_statements(void **state)
{
	struct lexed l;
	const struct cfg_node *n;

	(void)state;
	check("", "");
	check("\n\n   \n\t\n", "");
	check("a\nb c d\n", "a; b c d");
	check("a b\nc", "a b; c");			/* no final newline */
	check("  a \t b  \r\n c\r\n", "a b; c");	/* CRLF */
	lex(&l, "x 1\n\ny 2\n  z\n");
	n = cfg_tree_top(l.tree);
	assert_string_equal(n->kw, "x");
	assert_int_equal(n->nargs, 1);
	assert_string_equal(n->args[0], "1");
	assert_false(n->quoted[0]);
	assert_string_equal(n->file, "t.conf");
	assert_int_equal(n->line, 1);
	assert_int_equal(n->next->line, 3);
	assert_int_equal(n->next->next->line, 4);
	assert_string_equal(n->next->next->kw, "z");
	assert_int_equal(n->next->next->nargs, 0);
	assert_ptr_equal(n->file, n->next->file);	/* interned */
	lexed_free(&l);
}

static void test_blocks(void **state)
{
	struct lexed l;
	const struct cfg_node *n;

	(void)state;
	check("vrrp_instance VI_1 {\n state MASTER\n virtual_ipaddress {\n  10.0.0.1/24\n"
	      "  10.0.0.2 dev eth0\n }\n}\nnext\n",
	      "vrrp_instance VI_1 { state MASTER; virtual_ipaddress { 10.0.0.1/24; "
	      "10.0.0.2 dev eth0 } }; next");
	check("a {\n}\n", "a { }");
	check("a { }", "a { }");
	check("virtual_ipaddress { 10.0.0.1 }", "virtual_ipaddress { 10.0.0.1 }");
	check("a { b { c } d }", "a { b { c }; d }");
	check("a { b 1 2 } c", "a { b 1 2 }; c");
	check("a {\n b\n} c d\n", "a { b }; c d");
	/* braces glued to words */
	check("global_defs{\nrouter_id x}\n", "global_defs { router_id x }");
	check("a{ b}", "a { b }");
	check_diag("a {b}} c", "a { b }; c", "t.conf:1: error: unexpected }\n");
	check_diag("a{b}", "a{b", "t.conf:1: error: unexpected }\n");	/* "{" inside a word */
	check_diag("a { { b } }", "a { }", "t.conf:1: error: unexpected {\n");
	check("x{}", "x { }");
	check("x {}y", "x { }; y");
	check("w a{b", "w a{b");			/* inside a word: part of it */
	check_diag("a }b", "a; b", "t.conf:1: error: unexpected }\n");
	/* "{" alone on the line after the keyword */
	check("track_script\n{\n chk\n}\n", "track_script { chk }");
	check("a b\n\n  {  c }\n", "a b { c }");
	lex(&l, "a {\n  b {\n    c\n  }\n}\n");
	n = cfg_tree_top(l.tree);
	assert_true(n->block);
	assert_int_equal(n->line, 1);
	assert_int_equal(n->child->line, 2);
	assert_true(n->child->block);
	assert_int_equal(n->child->child->line, 3);
	assert_false(n->child->child->block);
	assert_null(n->next);
	lexed_free(&l);
}

static void test_unbalanced(void **state)
{
	(void)state;
	check_diag("a\n}\nb\n", "a; b", "t.conf:2: error: unexpected }\n");
	check_diag("x 1\na {\n b\n", "x 1; a { b }",
		   "t.conf:2: error: block opened here is never closed (a)\n");
	check_diag("a {\n b {\n}\n", "a { b { } }",
		   "t.conf:1: error: block opened here is never closed (a)\n");
	check_diag("x {\n}\n{\ny\n}\nz\n", "x { }; z", "t.conf:3: error: unexpected {\n");
	check_diag("{ q }", "", "t.conf:1: error: unexpected {\n");
	check_diag("a }}", "a", "t.conf:1: error: unexpected }\nt.conf:1: error: unexpected }\n");
}

static void test_deep_blocks(void **state)
{
	struct lexed l;
	char *s = malloc(30001);
	int i;

	(void)state;
	for (i = 0; i < 30000; i += 3)
		memcpy(s + i, "a{ ", 3);
	s[30000] = '\0';
	lex(&l, s);
	if (l.diags.n_err != 1 || !strstr(l.msgs, "t.conf:1: error: blocks nested deeper than"))
		fail_msg("%s", l.msgs);
	lexed_free(&l);
	free(s);
}

/* ---- comments ---- */

static void test_comments(void **state)
{
	(void)state;
	check("! a comment\n# another\na b\n", "a b");
	check("a b ! c d\ne # f\n", "a b; e");
	check("a b# c\n", "a b");			/* mid-word, as keepalived does */
	check("pass ab!cd\n", "pass ab");
	check("  ! indented\n\t# tab\n", "");
	check("a { # open\n b ! in\n} ! close\n", "a { b }");
	check("a {# x\n}", "a { }");
	check("a \"b # c\" ! d\n", "a [b # c]");
	check("a \"b ! c\"\n", "a [b ! c]");
	check("! comment ending in \\\nb\n", "b");	/* a comment is never continued */
	check("a b \\ # c\nd\n", "a b d");
	check("#{\nx\n", "x");				/* no brace in comments */
}

/* ---- quotes ---- */

static void test_quotes(void **state)
{
	struct lexed l;
	const struct cfg_node *n;

	(void)state;
	check("script \"/bin/check arg1  arg2\"\n", "script [/bin/check arg1  arg2]");
	check("a \"\" b\n", "a [] b");
	check("a ab\"c d\"ef\n", "a [abc def]");
	check("a \"{\" \"}\" \"x { y }\"\n", "a [{] [}] [x { y }]");
	check("a { b \"}\" }\n", "a { b [}] }");
	check_diag("a \"x\"}\n", "a [x]", "t.conf:1: error: unexpected }\n");
	check("\"key word\" v\n", "key word v");
	check("s \"bash -c '</dev/tcp/127.0.0.1/80'\" # c\n",
	      "s [bash -c '</dev/tcp/127.0.0.1/80']");
	lex(&l, "a \"x y\" z\n");
	n = cfg_tree_top(l.tree);
	assert_int_equal(n->nargs, 2);
	assert_true(n->quoted[0]);
	assert_false(n->quoted[1]);
	assert_string_equal(n->args[0], "x y");
	lexed_free(&l);
	check_diag("a 1\nkw \"unterminated\nb 2\n", "a 1; kw [unterminated]; b 2",
		   "t.conf:2: error: unterminated quote\n");
	check_diag("kw \"x {\nb\n", "kw [x {]; b", "t.conf:1: error: unterminated quote\n");
}

/* ---- continuation and NUL ---- */

static void test_continuation(void **state)
{
	struct lexed l;
	const struct cfg_node *n;

	(void)state;
	check("a b \\\n  c \\\n d\ne\n", "a b c d; e");
	check("a\\\nb\n", "a b");
	check("a \\", "a");
	check("a \\\n", "a");
	check("v {\\\n x }\n", "v { x }");
	lex(&l, "a \\\nb\nc\n");
	n = cfg_tree_top(l.tree);
	assert_int_equal(n->line, 1);
	assert_int_equal(n->next->line, 3);
	lexed_free(&l);
}

static void test_nul(void **state)
{
	static const char text[] = "a\nb\0c\nd\n";
	struct cfg_diags d;
	struct cfg_tree *t;
	char *s;

	(void)state;
	cfg_diags_init(&d);
	assert_int_equal(cfg_lex_string("n.conf", text, sizeof(text) - 1, NULL, &d, &t), 0);
	s = render_diags(&d);
	assert_string_equal(s, "n.conf:2: error: NUL byte in line\n");
	assert_string_equal(cfg_tree_top(t)->kw, "a");
	assert_string_equal(cfg_tree_top(t)->next->kw, "d");
	assert_int_equal(cfg_tree_top(t)->next->line, 3);
	assert_null(cfg_tree_top(t)->next->next);
	free(s);
	cfg_tree_free(t);
	cfg_diags_free(&d);
}

static void test_long_line(void **state)
{
	size_t n = 3 << 20;
	char *s = malloc(n + 8);
	struct lexed l;
	const struct cfg_node *top;

	(void)state;
	memcpy(s, "k ", 2);
	memset(s + 2, 'x', n);
	strcpy(s + 2 + n, "\nz\n");
	lex(&l, s);
	assert_string_equal(l.msgs, "");
	top = cfg_tree_top(l.tree);
	assert_int_equal(strlen(top->args[0]), n);
	assert_string_equal(top->next->kw, "z");
	lexed_free(&l);
	free(s);
}

/* ---- @id ---- */

static void test_config_id(void **state)
{
	struct cfg_lex_opts o = { .config_id = "high" };
	const char *text = "@high a 1\n@low a 2\n@^high b 1\n@^low b 2\n  @high c\n"
			   "@high\n@ x\nv {\n@high\tp 170\n@low p 85\n}\n";
	struct lexed l;
	char host[HOST_NAME_MAX + 1] = "", *dot, *s;

	(void)state;
	lex_opts(&l, text, &o);
	assert_string_equal(l.msgs, "");
	assert_string_equal(l.dump, "a 1; b 2; c; v { p 170 }");
	lexed_free(&l);
	o.config_id = "low";
	lex_opts(&l, text, &o);
	assert_string_equal(l.dump, "a 2; b 1; v { p 85 }");
	lexed_free(&l);
	o.config_id = "";
	lex_opts(&l, text, &o);
	assert_string_equal(l.dump, "b 1; b 2; x; v { }");
	lexed_free(&l);

	/* default: the host name up to the first dot */
	assert_int_equal(gethostname(host, sizeof(host) - 1), 0);
	dot = strchr(host, '.');
	if (dot)
		*dot = '\0';
	assert_int_not_equal(asprintf(&s, "@%s mine\n@^%s other\n", host, host), -1);
	lex_opts(&l, s, NULL);
	assert_string_equal(l.dump, "mine");
	lexed_free(&l);
	free(s);
}

/* ---- $NAME ---- */

static void test_variables(void **state)
{
	(void)state;
	check("$X=foo\na $X ${X} ${X}bar\n", "a foo foo foobar");
	check("$X=1\n$Y=$X 2\n$X=3\n$Y\n", "3 2");		/* expanded when used */
	check("$IF=eth0\nvrrp_instance V {\n interface $IF\n}\n",
	      "vrrp_instance V { interface eth0 }");
	check("$X=a b c\nk $X\n", "k a b c");
	check("$X=  spaced  \nk <$X>\n", "k <spaced>");
	check("$E=\nk $E x\n", "k x");
	check("$X=v\nk \"q $X r\"\n", "k [q v r]");
	check("k \"$HOME and ${NOPE}\"\n", "k [$HOME and ${NOPE}]");	/* for scripts */
	check("k a$ $ $1 $$ x${y\n", "k a$ $ $1 $$ x${y");
	check("$B=vs {\nk $B x }\n", "k vs { x }");		/* braces from a value */
	check("$O={\n$C=}\nk$O a $C\n", "k { a }");
	check("$Q=\"a b\"\nk $Q\n", "k [a b]");
	check("$N=1 ! c\nk $N\n", "k 1");			/* comment cut at definition */
	check("$A=$B\n$B=$C\n$C=deep\nk $A\n", "k deep");
	check("$P=pre\nk ${P}post\n", "k prepost");
}

static void test_variables_more(void **state)
{
	(void)state;
	check_diag("$P=pre\nk $P_x\n", "", "t.conf:2: error: undefined variable $P_x\n");
	check_diag("a\nk $NOPE y\nb\n", "a; b", "t.conf:2: error: undefined variable $NOPE\n");
	check_diag("k ${NOPE}\n", "", "t.conf:1: error: undefined variable $NOPE\n");
	check_diag("$A=$B\n$B=$A\nk $A\nz\n", "z",
		   "t.conf:3: error: $A: definitions nested deeper than 32 levels (a loop?)\n");
	check_diag("$A=x${A}\nk $A\n", "",
		   "t.conf:2: error: $A: definitions nested deeper than 32 levels (a loop?)\n");
	check("@test $X=yes\n@other $X=no\nk $X\n", "k yes");
	check("$X=1\n$X=2\nk $X\n", "k 2");
	/* a long bad name is cut in the message */
	check_diag("k $N123456789012345678901234567890123456789012345678901234567890123456789\n",
		   "", "t.conf:1: error: undefined variable "
		   "$N123456789012345678901234567890123456789012345678901234567890123\n");
}

static void test_multiline_def(void **state)
{
	struct lexed l;
	const struct cfg_node *n;

	(void)state;
	check("$M=line1 \\\nline2 \\\n  line3\n$M\n", "line1; line2; line3");
	check("$RS=real_server $IP 80 { \\\n  weight 1 \\\n}\nvs {\n$IP=10.0.0.1\n$RS\n"
	      "$IP=10.0.0.2\n$RS\n}\n",
	      "vs { real_server 10.0.0.1 80 { weight 1 }; real_server 10.0.0.2 80 { weight 1 } }");
	lex(&l, "$M=a \\\n b\n\nx\n$M\n");
	n = cfg_tree_top(l.tree);
	assert_string_equal(n->kw, "x");
	assert_int_equal(n->next->line, 5);	/* the line of the use */
	assert_int_equal(n->next->next->line, 5);
	lexed_free(&l);
}

static void test_builtins(void **state)
{
	struct lexed l;
	char *want, cwd[PATH_MAX];
	long v;

	(void)state;
	check("k ${_HASH} a${_BANG}b\n", "k # a!b");		/* not comments */
	check("k x${_INSTANCE}y\n", "k xy");
	check("k ${_RANDOM 5 5} ${_RANDOM 7 7}\n", "k 5 7");
	check("k ${_RANDOM -3 -3}\n", "k -3");
	setenv("ALIVED_LEX_TEST", "from env", 1);
	check("k \"${_ENV ALIVED_LEX_TEST}\" <${_ENV ALIVED_LEX_UNSET_X}>\n", "k [from env] <>");
	check("$V=ALIVED_LEX_TEST\nk \"${_ENV $V}\"\n", "k [from env]");
	check("$MAX=9\nk ${_RANDOM 9 $MAX}\n", "k 9");
	check_diag("k ${_RANDOM 5 1}\n", "",
		   "t.conf:1: error: ${_RANDOM [min [max]]}: invalid range ' 5 1'\n");
	check_diag("k ${_RANDOM x}\n", "",
		   "t.conf:1: error: ${_RANDOM [min [max]]}: invalid range ' x'\n");
	for (int i = 0; i < 50; i++) {
		lex(&l, "k ${_RANDOM 3 6} $_RANDOM ${_RANDOM 32767}\n");
		v = strtol(cfg_tree_top(l.tree)->args[0], NULL, 10);
		assert_in_range(v, 3, 6);
		v = strtol(cfg_tree_top(l.tree)->args[1], NULL, 10);
		assert_in_range(v, 0, 32767);
		assert_string_equal(cfg_tree_top(l.tree)->args[2], "32767");
		lexed_free(&l);
	}
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_not_equal(asprintf(&want, "k %s", cwd), -1);
	check("k ${_PWD}\n", want);
	free(want);
}

/* ---- ~SEQ and ~LST ---- */

static void test_seq(void **state)
{
	struct lexed l;

	(void)state;
	check("~SEQ(i, 3) s$i\n", "s1; s2; s3");
	check("~SEQ(i, 5, 6) s$i\n", "s5; s6");
	check("~SEQ(i, 1, 2, 5) s$i x\n", "s1 x; s3 x; s5 x");
	check("~SEQ(i, 3, -1, 1) d$i\n", "d3; d2; d1");
	check("~SEQ(i, 3, 1) never$i\nz\n", "z");
	check("~SEQ(i,0,0) z$i\n", "z0");
	check("~SEQ(i, -2, 2, 2) n$i\n", "n-2; n0; n2");
	check("$N=2\n~SEQ(i, $N) v$i\n", "v1; v2");
	check("~SEQ(a, 2) ~SEQ(b, 2) p$a$b\n", "p11; p12; p21; p22");
	check("$i=keep\n~SEQ(i, 1) x$i\nk $i\n", "x1; k keep");	/* restored */
	check("$VI=vrrp_instance VI_$i { \\\n virtual_router_id $i \\\n}\n~SEQ(i, 1, 2) $VI\n",
	      "vrrp_instance VI_1 { virtual_router_id 1 }; "
	      "vrrp_instance VI_2 { virtual_router_id 2 }");
	check("virtual_ipaddress {\n~SEQ(i, 1, 3) 10.0.0.$i/24\n}\n",
	      "virtual_ipaddress { 10.0.0.1/24; 10.0.0.2/24; 10.0.0.3/24 }");
	check("@test ~SEQ(i, 2) t$i\n@other ~SEQ(i, 2) o$i\n", "t1; t2");
	check("~SEQ(i, 100000) ! nothing\n", "");
	lex(&l, "a\n~SEQ(i, 1, 3) k$i\n");
	assert_int_equal(cfg_tree_top(l.tree)->next->line, 2);
	assert_int_equal(cfg_tree_top(l.tree)->next->next->next->line, 2);
	lexed_free(&l);
}

static void test_seq_errors(void **state)
{
	(void)state;
	check_diag("~SEQ(i, 1, 100001) x\n", "",
		   "t.conf:1: error: ~SEQ: more than 100000 values\n");
	check_diag("~SEQ(i, -9223372036854775808, 9223372036854775807) x\n", "",
		   "t.conf:1: error: ~SEQ: more than 100000 values\n");
	check_diag("~SEQ(i, 1, 0, 3) x\n", "", "t.conf:1: error: ~SEQ: step must not be 0\n");
	check_diag("~SEQ(i, a) x\n", "", "t.conf:1: error: ~SEQ: invalid number 'a'\n");
	check_diag("~SEQ(i) x\n", "",
		   "t.conf:1: error: ~SEQ(var, [start,] [step,] end): end missing\n");
	check_diag("~SEQ(i,1,2,3,4) x\n", "",
		   "t.conf:1: error: ~SEQ(var, [start,] [step,] end): too many values\n");
	check_diag("~SEQ(i, 3 x\n", "", "t.conf:1: error: ~SEQ: ')' missing\n");
	check_diag("~SEQ(1i, 3) x\n", "", "t.conf:1: error: ~SEQ: invalid variable name '1i'\n");
	check_diag("~LST(v) x\n", "", "t.conf:1: error: ~LST(var, value, ...): no value\n");
	check_diag("~SEQ(a,1)~SEQ(a,1)~SEQ(a,1)~SEQ(a,1)~SEQ(a,1)~SEQ(a,1)~SEQ(a,1)~SEQ(a,1)"
		   "~SEQ(a,1) x\n", "",
		   "t.conf:1: error: ~SEQ / ~LST nested deeper than 8 levels\n");
}

static void test_lst(void **state)
{
	(void)state;
	check("~LST(v, a, b , c) l$v\n", "la; lb; lc");
	check("~LST(v,a) l$v\n", "la");
	check("~LST(if, eth0, eth1) track_interface { $if }\n",
	      "track_interface { eth0 }; track_interface { eth1 }");
	check("$L=x, y\n~LST(v, $L) k$v\n", "kx; ky");
	check("~LST(v, a,,b) k <$v>\n", "k <a>; k <>; k <b>");
}

/* ---- hostile input ---- */

static void test_limits(void **state)
{
	struct lexed l;
	char *s;
	int i, n;

	(void)state;
	/* exponential growth stops with an error */
	s = strdup("$A0=xxxxxxxxxxxxxxxx\n");
	for (i = 1; i < 25; i++) {
		char *t;

		assert_int_not_equal(asprintf(&t, "%s$A%d=$A%d$A%d$A%d\n", s, i, i - 1, i - 1,
					      i - 1), -1);
		free(s);
		s = t;
	}
	n = (int)strlen(s);
	s = realloc(s, n + 32);
	strcpy(s + n, "k $A24\nz\n");
	lex(&l, s);
	if (l.diags.n_err != 1 || !strstr(l.msgs, "after expansion"))
		fail_msg("%s", l.msgs);
	lexed_free(&l);
	free(s);

	/* expansion to nothing, many times: bounded by the work budget */
	s = strdup("$B0=\n");
	for (i = 1; i < 31; i++) {
		char *t;

		assert_int_not_equal(asprintf(&t, "%s$B%d=$B%d$B%d$B%d$B%d\n", s, i, i - 1, i - 1,
					      i - 1, i - 1), -1);
		free(s);
		s = t;
	}
	n = (int)strlen(s);
	s = realloc(s, n + 32);
	strcpy(s + n, "k $B30\n");
	lex(&l, s);
	assert_int_equal(l.diags.n_err, 1);
	assert_non_null(strstr(l.msgs, "configuration too large"));
	lexed_free(&l);
	free(s);

	/* nested repetition: bounded */
	lex(&l, "~SEQ(a, 100000) ~SEQ(b, 100000) ~SEQ(c, 100000) x\n");
	assert_int_equal(l.diags.n_err, 1);
	assert_non_null(strstr(l.msgs, "configuration too large"));
	lexed_free(&l);

	/* endless errors: capped */
	lex(&l, "~SEQ(a, 100000) }\n");
	assert_int_equal(l.diags.n, 1000);
	assert_non_null(strstr(l.msgs, "too many problems, giving up"));
	lexed_free(&l);
}

/* ---- files and includes ---- */

static char tmpdir[] = "/tmp/test_lex.XXXXXX";
#define TMPDIR_TEMPLATE "/tmp/test_lex.XXXXXX"

static void put(const char *rel, const char *text)
{
	char path[PATH_MAX], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	slash = strchr(path + strlen(tmpdir) + 1, '/');
	for (; slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void lex_path(struct lexed *l, const char *rel, const struct cfg_lex_opts *opts, int want)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	cfg_diags_init(&l->diags);
	l->tree = NULL;
	assert_int_equal(cfg_lex_file(path, opts, &l->diags, &l->tree), want);
	if (want)
		assert_null(l->tree);
	finish(l);
}

/* Replaces every tmpdir in s by "D" (in place). */
static void strip_tmp(char *s)
{
	size_t tl = strlen(tmpdir);
	char *p;

	while ((p = strstr(s, tmpdir))) {
		*p = 'D';
		memmove(p + 1, p + tl, strlen(p + tl) + 1);
	}
}

static int setup_files(void **state)
{
	(void)state;
	strcpy(tmpdir, TMPDIR_TEMPLATE);
	if (!mkdtemp(tmpdir))
		return -1;
	put("main.conf", "top 1\ninclude conf.d/*.conf\nvs {\n  include sub/body.conf\n}\n"
			 "include {x,y}.inc\nlast $FROM_INC\n");
	put("conf.d/b.conf", "b_file\n");
	put("conf.d/a.conf", "a_file ${_PWD}\n$FROM_INC=defined_in_a\n");
	put("conf.d/c.txt", "not_included\n");
	put("sub/body.conf", "  body 1\n  include ../leaf.conf\n");
	put("leaf.conf", "leaf\n");
	put("x.inc", "xi\n");
	put("y.inc", "yi\n");
	put("miss.conf", "a\ninclude nothing/*.conf\nb\n");
	put("loop/a.conf", "la\ninclude b.conf\n");
	put("loop/b.conf", "lb\n\ninclude a.conf\n");
	put("self.conf", "s\ninclude self.conf\n");
	put("deep/1.conf", "d1\ninclude 2.conf\n");
	put("deep/2.conf", "d2\ninclude 3.conf\n");
	put("deep/3.conf", "d3\ninclude 4.conf\n");
	put("deep/4.conf", "d4\n");
	put("split/main.conf", "vrrp_instance V {\ninclude part.conf\n  priority 5\n}\n");
	put("split/part.conf", "  state BACKUP\n  track { a }\n");
	put("open.conf", "a {\ninclude close.conf\nz\n");
	put("close.conf", "inner\n}\n");
	put("dir.conf", "include sub\n");
	put("bad.conf", "x \"open\ny $NOPE\n");
	put("inc_bad.conf", "ok\ninclude bad.conf\n");
	put("twice.conf", "include leaf.conf\ninclude leaf.conf leaf.conf\n");
	put("odd.conf", "include\ninclude leaf.conf {\n x\n}\ny\n");
	put("big.conf", "");
	return 0;
}

static int teardown_files(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_include(void **state)
{
	struct lexed l;
	const struct cfg_node *n;
	char *want;

	(void)state;
	lex_path(&l, "main.conf", NULL, 0);
	assert_string_equal(l.msgs, "");
	assert_int_not_equal(asprintf(&want, "top 1; a_file %s/conf.d; b_file; vs { body 1; "
				      "leaf }; xi; yi; last defined_in_a", tmpdir), -1);
	assert_string_equal(l.dump, want);
	free(want);
	n = cfg_tree_top(l.tree)->next;			/* a_file */
	assert_int_equal(n->line, 1);
	assert_non_null(strstr(n->file, "/conf.d/a.conf"));
	n = n->next->next->child->next;			/* leaf */
	assert_string_equal(n->kw, "leaf");
	assert_non_null(strstr(n->file, "/sub/../leaf.conf"));
	n = cfg_tree_top(l.tree);
	while (n->next)
		n = n->next;
	assert_int_equal(n->line, 7);
	assert_non_null(strstr(n->file, "/main.conf"));
	lexed_free(&l);

	lex_path(&l, "split/main.conf", NULL, 0);
	assert_string_equal(l.msgs, "");
	assert_string_equal(l.dump, "vrrp_instance V { state BACKUP; track { a }; priority 5 }");
	lexed_free(&l);

	/* a block may even be closed by an included file */
	lex_path(&l, "open.conf", NULL, 0);
	assert_string_equal(l.msgs, "");
	assert_string_equal(l.dump, "a { inner }; z");
	lexed_free(&l);
}

static void test_include_errors(void **state)
{
	struct cfg_lex_opts o = { .include_check = true };
	char path[PATH_MAX];
	struct lexed l;

	(void)state;
	lex_path(&l, "miss.conf", NULL, 0);
	strip_tmp(l.msgs);
	assert_string_equal(l.msgs, "D/miss.conf:2: warning: include: no file matches "
			    "nothing/*.conf\n");
	assert_string_equal(l.dump, "a; b");
	assert_int_equal(l.diags.n_err, 0);
	lexed_free(&l);
	lex_path(&l, "miss.conf", &o, 0);
	strip_tmp(l.msgs);
	assert_string_equal(l.msgs, "D/miss.conf:2: error: include: no file matches "
			    "nothing/*.conf\n");
	lexed_free(&l);

	lex_path(&l, "loop/a.conf", NULL, 0);
	strip_tmp(l.msgs);
	assert_string_equal(l.msgs, "D/loop/b.conf:3: error: include loop: D/loop/a.conf is "
			    "already being read\n");
	assert_string_equal(l.dump, "la; lb");
	lexed_free(&l);
	lex_path(&l, "self.conf", NULL, 0);
	strip_tmp(l.msgs);
	assert_string_equal(l.msgs, "D/self.conf:2: error: include loop: D/self.conf is "
			    "already being read\n");
	lexed_free(&l);

	o.include_check = false;
	o.max_depth = 2;
	lex_path(&l, "deep/1.conf", &o, 0);
	strip_tmp(l.msgs);
	assert_string_equal(l.msgs, "D/deep/3.conf:2: error: include: nesting deeper than 2 "
			    "levels at D/deep/4.conf\n");
	assert_string_equal(l.dump, "d1; d2; d3");
	lexed_free(&l);
	lex_path(&l, "deep/1.conf", NULL, 0);
	assert_string_equal(l.dump, "d1; d2; d3; d4");
	lexed_free(&l);

	lex_path(&l, "dir.conf", NULL, 0);
	strip_tmp(l.msgs);
	assert_string_equal(l.msgs, "D/dir.conf:1: error: include: cannot read D/sub: "
			    "Is a directory\n");
	lexed_free(&l);

	/* errors inside an included file name that file */
	lex_path(&l, "inc_bad.conf", NULL, 0);
	strip_tmp(l.msgs);
	assert_string_equal(l.msgs, "D/bad.conf:1: error: unterminated quote\n"
			    "D/bad.conf:2: error: undefined variable $NOPE\n");
	assert_string_equal(l.dump, "ok; x [open]");
	lexed_free(&l);

	/* the same file may be included again (not a loop) */
	lex_path(&l, "twice.conf", NULL, 0);
	assert_string_equal(l.msgs, "");
	assert_string_equal(l.dump, "leaf; leaf; leaf");
	assert_ptr_equal(cfg_tree_top(l.tree)->file, cfg_tree_top(l.tree)->next->next->file);
	lexed_free(&l);

	lex_path(&l, "odd.conf", NULL, 0);
	strip_tmp(l.msgs);
	assert_string_equal(l.msgs, "D/odd.conf:1: error: include: file name missing\n"
			    "D/odd.conf:2: error: include does not open a block\n");
	assert_string_equal(l.dump, "leaf; y");
	lexed_free(&l);

	snprintf(path, sizeof(path), "%s/big.conf", tmpdir);
	assert_int_equal(truncate(path, (off_t)17 << 20), 0);	/* sparse */
	lex_path(&l, "big.conf", NULL, -EFBIG);
	strip_tmp(l.msgs);
	assert_string_equal(l.msgs, "D/big.conf: error: cannot read configuration: "
			    "file too large\n");
	lexed_free(&l);

	o.no_include = true;
	lex_path(&l, "main.conf", &o, 0);
	assert_int_equal(l.diags.n_err, 4);	/* 3 includes, then $FROM_INC undefined */
	assert_non_null(strstr(l.msgs, "main.conf:2: error: include is not allowed here"));
	assert_non_null(strstr(l.msgs, "main.conf:7: error: undefined variable $FROM_INC"));
	lexed_free(&l);
}

static void test_missing_main(void **state)
{
	struct lexed l;

	(void)state;
	lex_path(&l, "no/such.conf", NULL, -ENOENT);
	strip_tmp(l.msgs);
	assert_string_equal(l.msgs, "D/no/such.conf: error: cannot read configuration: "
			    "No such file or directory\n");
	assert_string_equal(l.dump, "");
	lexed_free(&l);
	lex_path(&l, "sub", NULL, -EISDIR);
	lexed_free(&l);
	cfg_diags_init(&l.diags);
	assert_int_equal(cfg_lex_file("/dev/null", NULL, &l.diags, &l.tree), -EINVAL);
	assert_int_equal(l.diags.n_err, 1);
	cfg_diags_free(&l.diags);
}

static void test_string_include(void **state)
{
	struct lexed l;
	char *text, cwd[PATH_MAX];

	(void)state;
	/* from memory, includes are relative to the current directory */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmpdir), 0);
	assert_int_not_equal(asprintf(&text, "include x.inc\ninclude %s/y.inc\n", tmpdir), -1);
	lex(&l, text);
	assert_string_equal(l.msgs, "");
	assert_string_equal(l.dump, "xi; yi");
	assert_string_equal(cfg_tree_top(l.tree)->file, "x.inc");
	lexed_free(&l);
	free(text);
	assert_int_equal(chdir(cwd), 0);
}

/* ---- real configurations ---- */

static unsigned lex_dir(const char *dir, const char *prefix)
{
	struct dirent **ents;
	unsigned count = 0;
	int n, i;

	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return 0;
	for (i = 0; i < n; i++) {
		struct cfg_lex_opts o = { .config_id = "high" };
		struct cfg_diags d;
		struct cfg_tree *t;
		char path[PATH_MAX];

		if (ents[i]->d_name[0] == '.' || strncmp(ents[i]->d_name, prefix, strlen(prefix)))
			goto next;
		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		cfg_diags_init(&d);
		assert_int_equal(cfg_lex_file(path, &o, &d, &t), 0);
		if (d.n_err) {
			cfg_diags_print(&d, stderr);
			fail_msg("%s: %u lexical errors", path, d.n_err);
		}
		assert_non_null(cfg_tree_top(t));
		cfg_tree_free(t);
		cfg_diags_free(&d);
		count++;
next:
		free(ents[i]);
	}
	free(ents);
	return count;
}

static void test_seed_configs(void **state)
{
	(void)state;
	if (access(SEED_DIR, R_OK) != 0)
		skip_because("directory " SEED_DIR " missing");
	assert_true(lex_dir(SEED_DIR, "") > 0);
}

static void test_keepalived_samples(void **state)
{
	struct cfg_lex_opts o = { .config_id = "high" };
	struct lexed l;
	struct cfg_diags d;
	struct cfg_tree *t;

	(void)state;
	if (access(SAMPLE_DIR, R_OK) != 0)
		skip_because("directory " SAMPLE_DIR " missing (package keepalived)");
	assert_true(lex_dir(SAMPLE_DIR, "keepalived.conf.") > 10);

	/* a closer look at one of them */
	cfg_diags_init(&d);
	assert_int_equal(cfg_lex_file(SAMPLE_DIR "/keepalived.conf.conditional_conf", &o, &d, &t),
			 0);
	l.tree = t;
	l.diags = d;
	finish(&l);
	assert_non_null(strstr(l.dump, "net_namespace high; vrrp_script check_VI_0 { script "
				       "/etc/keepalived/scripts/check_high_VI_0.sh; interval 1;"));
	assert_null(strstr(l.dump, "low"));
	lexed_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diag_print),
		cmocka_unit_test(test_diag_many),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_unbalanced),
		cmocka_unit_test(test_deep_blocks),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_config_id),
		cmocka_unit_test(test_variables),
		cmocka_unit_test(test_variables_more),
		cmocka_unit_test(test_multiline_def),
		cmocka_unit_test(test_builtins),
		cmocka_unit_test(test_seq),
		cmocka_unit_test(test_seq_errors),
		cmocka_unit_test(test_lst),
		cmocka_unit_test(test_limits),
		cmocka_unit_test_setup_teardown(test_include, setup_files, teardown_files),
		cmocka_unit_test_setup_teardown(test_include_errors, setup_files, teardown_files),
		cmocka_unit_test_setup_teardown(test_missing_main, setup_files, teardown_files),
		cmocka_unit_test_setup_teardown(test_string_include, setup_files, teardown_files),
		cmocka_unit_test(test_seed_configs),
		cmocka_unit_test(test_keepalived_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
