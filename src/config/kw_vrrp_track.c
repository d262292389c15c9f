// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What VRRP instances and sync groups track or share: the vrrp_script,
 * track_file and vrrp_track_process blocks, vrrp_sync_group, the
 * track_interface/track_script/... reference lists, notify scripts, and
 * the less common top-level blocks (track_group, interface_up_down_delays,
 * garp_group, bfd_instance). Pure: libc only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "alived/cfg_vrrp.h"
#include "config/cfg.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FLD(type, m) CFG_FIELD(type, m)

const char *const cfg_track_kind_kw[CFG_TRACK__COUNT] = {
	[CFG_TRACK_IF] = "track_interface",
	[CFG_TRACK_SCRIPT] = "track_script",
	[CFG_TRACK_FILE] = "track_file",
	[CFG_TRACK_PROCESS] = "track_process",
	[CFG_TRACK_BFD] = "track_bfd",
};
_Static_assert(ARRAY_SIZE(cfg_track_kind_kw) == CFG_TRACK__COUNT, "track kinds");

const char *const cfg_vrrp_notify_kw[CFG_NOTIFY__COUNT] = {
	[CFG_NOTIFY_MASTER] = "notify_master",
	[CFG_NOTIFY_BACKUP] = "notify_backup",
	[CFG_NOTIFY_FAULT] = "notify_fault",
	[CFG_NOTIFY_STOP] = "notify_stop",
	[CFG_NOTIFY_DELETED] = "notify_deleted",
	[CFG_NOTIFY_MASTER_RX_LOWER_PRI] = "notify_master_rx_lower_pri",
	[CFG_NOTIFY_ANY] = "notify",
};
_Static_assert(ARRAY_SIZE(cfg_vrrp_notify_kw) == CFG_NOTIFY__COUNT, "notify keywords");

/* Weight limits of a reference, per kind (keepalived.conf(5)). */
static const int32_t track_weight_max[CFG_TRACK__COUNT] = {
	[CFG_TRACK_IF] = 253,
	[CFG_TRACK_SCRIPT] = 253,
	[CFG_TRACK_FILE] = 254,
	[CFG_TRACK_PROCESS] = 254,
	[CFG_TRACK_BFD] = 253,
};
_Static_assert(ARRAY_SIZE(track_weight_max) == CFG_TRACK__COUNT, "track weights");

/* ------------------------------------------------------------------ */
/* Small shared helpers */

static int head_name(struct cfg_ctx *ctx, const struct cfg_node *n, char **name,
		     const char **file, unsigned *line)
{
	*file = n->file;
	*line = n->line;
	if (n->nargs != 1) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s needs exactly one name, got %u words", n->kw, n->nargs);
		return -EINVAL;
	}
	*name = cfg_strdup(n->args[0]);
	return 0;
}

static void dump_name(FILE *out, const char *name)
{
	fputc(' ', out);
	cfg_put_word(out, name);
}

static void strlist_free(struct cfg_strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static bool need_block(struct cfg_ctx *ctx, const struct cfg_node *n)
{
	if (n->block && !n->nargs)
		return true;
	cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "%s: expected '%s {' and a block",
		 n->kw, n->kw);
	return false;
}

/* Appends elem to the list at *head (next pointer first in every element). */
static void list_append(void *headp, void *elem)
{
	void **p = headp;

	while (*p)
		p = (void **)*p;
	*p = elem;
}

void cfg_vrrp_warn_repeats(struct cfg_ctx *ctx, const struct cfg_node *n,
			   const char *const *kws)
{
	const struct cfg_node *c;
	unsigned seen;

	for (; *kws; kws++) {
		seen = 0;
		for (c = n->child; c; c = c->next)
			if (!strcmp(c->kw, *kws) && seen++)
				cfg_diag(ctx->diags, CFG_SEV_WARN, c->file, c->line,
					 "%s given twice; the last one wins", c->kw);
	}
}

int cfg_vrrp_parse_tristate(struct cfg_ctx *ctx, const struct cfg_node *n, int8_t *ret)
{
	bool v = true;

	if (cfg_want_args(ctx, n, 0, 1) < 0 || n->block)
		return n->block ? cfg_want_args(ctx, n, 99, 99) : -EINVAL;
	if (n->nargs && cfg_get_bool(ctx, n, n->args[0], &v) < 0)
		return -EINVAL;
	*ret = v ? 1 : 0;
	return 0;
}

void cfg_vrrp_dump_tristate(FILE *out, const char *kw, int8_t v, int indent)
{
	if (v == CFG_VTRI_UNSET)
		return;
	cfg_indent(out, indent);
	fprintf(out, v ? "%s\n" : "%s off\n", kw);
}

/* "weight N [reverse|noreverse|no_reverse]" */
static int parse_weight(struct cfg_ctx *ctx, const struct cfg_node *n, int32_t max,
			int32_t *ret_w, bool *ret_rev)
{
	int64_t w;
	bool rev = false;

	if (cfg_want_args(ctx, n, 1, 2) < 0 ||
	    cfg_get_int(ctx, n, n->args[0], -(int64_t)max, max, &w) < 0)
		return -EINVAL;
	if (n->nargs == 2) {
		if (!strcmp(n->args[1], "reverse")) {
			rev = true;
		} else if (strcmp(n->args[1], "noreverse") && strcmp(n->args[1], "no_reverse")) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
				 "%s %s %s: expected 'reverse' after the weight", n->kw,
				 n->args[0], n->args[1]);
			return -EINVAL;
		}
	}
	*ret_w = (int32_t)w;
	*ret_rev = rev;
	return 0;
}

static void dump_weight(FILE *out, int indent, int32_t w, bool rev, int32_t def)
{
	if (w == def && !rev)
		return;
	cfg_indent(out, indent);
	fprintf(out, "weight %" PRId32 "%s\n", w, rev ? " reverse" : "");
}

/* "user USER [GROUP]" */
static int parse_user(struct cfg_ctx *ctx, const struct cfg_node *n, char **user, char **group)
{
	if (cfg_want_args(ctx, n, 1, 2) < 0)
		return -EINVAL;
	free(*user);
	free(*group);
	*user = cfg_strdup(n->args[0]);
	*group = n->nargs > 1 ? cfg_strdup(n->args[1]) : NULL;
	return 0;
}

static void dump_user(FILE *out, int indent, const char *user, const char *group)
{
	if (!user)
		return;
	cfg_indent(out, indent);
	fputs("user ", out);
	cfg_put_word(out, user);
	if (group) {
		fputc(' ', out);
		cfg_put_word(out, group);
	}
	fputc('\n', out);
}

/* ------------------------------------------------------------------ */
/* Notify scripts: KW SCRIPT [USER [GROUP]] */

void cfg_vrrp_notify_clear(struct cfg_notify *nt)
{
	free(nt->script);
	free(nt->user);
	free(nt->group);
	memset(nt, 0, sizeof(*nt));
}

int cfg_vrrp_parse_notify(struct cfg_ctx *ctx, const struct cfg_node *n, bool optional,
			  struct cfg_notify *ret)
{
	if (n->block || n->nargs > 3 || (!optional && !n->nargs)) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s: expected SCRIPT [USER [GROUP]] (quote a script with arguments)",
			 n->kw);
		return -EINVAL;
	}
	if (ret->script)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "%s given twice; the last one wins", n->kw);
	cfg_vrrp_notify_clear(ret);
	if (!n->nargs)
		return 0;
	if (!n->args[0][0]) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "%s: empty script", n->kw);
		return -EINVAL;
	}
	ret->script = cfg_strdup(n->args[0]);
	if (n->nargs > 1)
		ret->user = cfg_strdup(n->args[1]);
	if (n->nargs > 2)
		ret->group = cfg_strdup(n->args[2]);
	return 0;
}

void cfg_vrrp_dump_notify(FILE *out, const char *kw, const struct cfg_notify *nt, int indent)
{
	if (!nt->script)
		return;
	cfg_indent(out, indent);
	fprintf(out, "%s ", kw);
	cfg_put_word(out, nt->script);
	if (nt->user) {
		fputc(' ', out);
		cfg_put_word(out, nt->user);
	}
	if (nt->group) {
		fputc(' ', out);
		cfg_put_word(out, nt->group);
	}
	fputc('\n', out);
}

/* ------------------------------------------------------------------ */
/* Reference lists: track_interface { eth0 [weight N] [reverse] ... } */

struct track_target {
	enum cfg_track_kind kind;
	struct cfg_track_ref **head;
};

static int track_line(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct track_target *t = obj;
	const char *blk = cfg_track_kind_kw[t->kind];
	int32_t max = track_weight_max[t->kind];
	struct cfg_track_ref *r, *o;
	char ifn[IFNAMSIZ];
	int64_t w;
	unsigned i;

	if (n->block) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s: '%s' cannot open a { } block", blk, n->kw);
		return -EINVAL;
	}
	if (t->kind == CFG_TRACK_IF && cfg_vrrp_ifname(ctx, n, blk, n->kw, ifn) < 0)
		return -EINVAL;
	r = cfg_zalloc(sizeof(*r));
	r->name = cfg_strdup(n->kw);
	r->file = n->file;
	r->line = n->line;
	for (i = 0; i < n->nargs; i++) {
		const char *a = n->args[i];

		if (!strcmp(a, "weight") && i + 1 < n->nargs) {
			if (cfg_get_int(ctx, n, n->args[++i], -(int64_t)max, max, &w) < 0)
				goto bad;
			r->weight = (int32_t)w;
			r->has_weight = true;
		} else if (!strcmp(a, "reverse")) {
			r->reverse = true;
		} else if (!strcmp(a, "noreverse") || !strcmp(a, "no_reverse")) {
			r->reverse = false;
		} else {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
				 "%s: %s: expected 'weight N' or 'reverse', got '%s'", blk, n->kw,
				 a);
			goto bad;
		}
	}
	for (o = *t->head; o; o = o->next) {
		if (!strcmp(o->name, r->name)) {
			cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
				 "%s: %s listed twice; the last one wins", blk, r->name);
			o->weight = r->weight;
			o->has_weight = r->has_weight;
			o->reverse = r->reverse;
			cfg_vrrp_free_track(r);
			return 0;
		}
	}
	list_append(t->head, r);
	return 0;
bad:
	cfg_vrrp_free_track(r);
	return -EINVAL;
}

static const struct cfg_kw no_kws[] = { { .name = NULL } };

static const struct cfg_block track_lines_block = {
	.name = "track",
	.line = track_line,
	.kws = no_kws,
};

int cfg_vrrp_parse_track(struct cfg_ctx *ctx, const struct cfg_node *n, enum cfg_track_kind k,
			 struct cfg_track_ref **head)
{
	struct track_target t = { .kind = k, .head = head };

	if (!need_block(ctx, n))
		return -EINVAL;
	return cfg_parse_body(ctx, &track_lines_block, &t, n->child);
}

void cfg_vrrp_dump_track(FILE *out, enum cfg_track_kind k, const struct cfg_track_ref *head,
			 int indent)
{
	if (!head)
		return;
	cfg_indent(out, indent);
	fprintf(out, "%s {\n", cfg_track_kind_kw[k]);
	for (; head; head = head->next) {
		cfg_indent(out, indent + 4);
		cfg_put_word(out, head->name);
		if (head->has_weight)
			fprintf(out, " weight %" PRId32, head->weight);
		if (head->reverse)
			fputs(" reverse", out);
		fputc('\n', out);
	}
	cfg_indent(out, indent);
	fputs("}\n", out);
}

void cfg_vrrp_free_track(struct cfg_track_ref *head)
{
	struct cfg_track_ref *next;

	for (; head; head = next) {
		next = head->next;
		free(head->name);
		free(head);
	}
}

/* ------------------------------------------------------------------ */
/* vrrp_script NAME { script, interval, timeout, weight, rise, fall, user, init_fail } */

static void script_init(void *obj)
{
	struct cfg_vrrp_script *s = obj;

	s->interval_ms = 1000;
	s->rise = 1;
	s->fall = 1;
}

static int script_head(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	static const char *const singles[] = { "weight", "user", NULL };
	struct cfg_vrrp_script *s = obj;

	cfg_vrrp_warn_repeats(ctx, n, singles);
	return head_name(ctx, n, &s->name, &s->file, &s->line);
}

static void script_dump_head(FILE *out, const void *obj)
{
	dump_name(out, ((const struct cfg_vrrp_script *)obj)->name);
}

static int script_weight_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_script *s = obj;

	return parse_weight(ctx, n, 253, &s->weight, &s->weight_reverse);
}

static void script_weight_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_vrrp_script *s = obj;

	dump_weight(out, indent, s->weight, s->weight_reverse, 0);
}

static int script_user_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_script *s = obj;

	return parse_user(ctx, n, &s->user, &s->group);
}

static void script_user_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_vrrp_script *s = obj;

	dump_user(out, indent, s->user, s->group);
}

static int script_finish(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_script *s = obj;

	if (!s->script || !*s->script) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "vrrp_script %s: no 'script' given", s->name);
		return -EINVAL;
	}
	return 0;
}

static void script_free_extra(void *obj)
{
	struct cfg_vrrp_script *s = obj;

	free(s->name);
	free(s->user);
	free(s->group);
}

/* 24 hours: far beyond any sensible check interval. */
#define SCRIPT_MAX_MS	(24u * 3600 * 1000)

static const struct cfg_kw script_kws[] = {
	{ .name = "script", .type = CFG_T_LINE, FLD(struct cfg_vrrp_script, script) },
	{ .name = "interval", .type = CFG_T_FIXED, FLD(struct cfg_vrrp_script, interval_ms),
	  .min = 1, .max = SCRIPT_MAX_MS, .scale = 1000 },
	{ .name = "timeout", .type = CFG_T_FIXED, FLD(struct cfg_vrrp_script, timeout_ms),
	  .min = 1, .max = SCRIPT_MAX_MS, .scale = 1000 },
	{ .name = "weight", .type = CFG_T_FUNC, .parse = script_weight_parse,
	  .dump = script_weight_dump },
	{ .name = "rise", .type = CFG_T_UINT, FLD(struct cfg_vrrp_script, rise), .min = 1,
	  .max = 1000000 },
	{ .name = "fall", .type = CFG_T_UINT, FLD(struct cfg_vrrp_script, fall), .min = 1,
	  .max = 1000000 },
	{ .name = "user", .type = CFG_T_FUNC, .parse = script_user_parse,
	  .dump = script_user_dump },
	{ .name = "init_fail", .type = CFG_T_FLAG, FLD(struct cfg_vrrp_script, init_fail) },
	{ .name = NULL },
};

static const struct cfg_block script_block = {
	.name = "vrrp_script",
	.size = sizeof(struct cfg_vrrp_script),
	.next_off = offsetof(struct cfg_vrrp_script, next),
	.init = script_init,
	.head = script_head,
	.dump_head = script_dump_head,
	.finish = script_finish,
	.free_extra = script_free_extra,
	.kws = script_kws,
};

/* ------------------------------------------------------------------ */
/* track_file NAME { file PATH, weight N [reverse], init_file [VALUE] [overwrite] } */

static void tfile_init(void *obj)
{
	((struct cfg_track_file *)obj)->weight = 1;
}

static int tfile_head(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	static const char *const singles[] = { "weight", "init_file", NULL };
	struct cfg_track_file *f = obj;

	cfg_vrrp_warn_repeats(ctx, n, singles);
	return head_name(ctx, n, &f->name, &f->file, &f->line);
}

static void tfile_dump_head(FILE *out, const void *obj)
{
	dump_name(out, ((const struct cfg_track_file *)obj)->name);
}

static int tfile_weight_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_track_file *f = obj;

	return parse_weight(ctx, n, INT32_MAX, &f->weight, &f->weight_reverse);
}

static void tfile_weight_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_track_file *f = obj;

	dump_weight(out, indent, f->weight, f->weight_reverse, 1);
}

static int tfile_init_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_track_file *f = obj;
	unsigned i = 0;
	int64_t v = 0;

	if (cfg_want_args(ctx, n, 0, 2) < 0)
		return -EINVAL;
	if (i < n->nargs && strcmp(n->args[i], "overwrite")) {
		if (cfg_get_int(ctx, n, n->args[i], INT32_MIN, INT32_MAX, &v) < 0)
			return -EINVAL;
		i++;
	}
	f->init_overwrite = false;
	if (i < n->nargs) {
		if (strcmp(n->args[i], "overwrite")) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
				 "init_file %s: expected [VALUE] [overwrite]", n->args[i]);
			return -EINVAL;
		}
		f->init_overwrite = true;
	}
	f->init_file = true;
	f->init_value = v;
	return 0;
}

static void tfile_init_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_track_file *f = obj;

	if (!f->init_file)
		return;
	cfg_indent(out, indent);
	fprintf(out, "init_file %" PRId64 "%s\n", f->init_value,
		f->init_overwrite ? " overwrite" : "");
}

static int tfile_finish(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_track_file *f = obj;

	if (!f->path) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "track_file %s: no 'file' given", f->name);
		return -EINVAL;
	}
	return 0;
}

static void tfile_free_extra(void *obj)
{
	free(((struct cfg_track_file *)obj)->name);
}

static const struct cfg_kw tfile_kws[] = {
	{ .name = "file", .type = CFG_T_STR, FLD(struct cfg_track_file, path) },
	{ .name = "weight", .type = CFG_T_FUNC, .parse = tfile_weight_parse,
	  .dump = tfile_weight_dump },
	{ .name = "init_file", .type = CFG_T_FUNC, .parse = tfile_init_parse,
	  .dump = tfile_init_dump },
	{ .name = NULL },
};

static const struct cfg_block tfile_block = {
	.name = "track_file",
	.size = sizeof(struct cfg_track_file),
	.next_off = offsetof(struct cfg_track_file, next),
	.init = tfile_init,
	.head = tfile_head,
	.dump_head = tfile_dump_head,
	.finish = tfile_finish,
	.free_extra = tfile_free_extra,
	.kws = tfile_kws,
};

/* ------------------------------------------------------------------ */
/* vrrp_track_process NAME { process ..., param_match, weight, quorum, ... } */

static const struct cfg_enum_val param_match_vals[] = {
	{ "partial", CFG_PARAM_MATCH_PARTIAL },
	{ "initial", CFG_PARAM_MATCH_INITIAL },
	{ NULL, 0 },
};

static void tproc_init(void *obj)
{
	struct cfg_track_process *p = obj;

	p->weight = 1;
	p->quorum = 1;
	p->quorum_max = UINT32_MAX;
}

static int tproc_head(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	static const char *const singles[] = { "weight", "delay", NULL };
	struct cfg_track_process *p = obj;

	cfg_vrrp_warn_repeats(ctx, n, singles);
	return head_name(ctx, n, &p->name, &p->file, &p->line);
}

static void tproc_dump_head(FILE *out, const void *obj)
{
	dump_name(out, ((const struct cfg_track_process *)obj)->name);
}

static int tproc_process_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_track_process *p = obj;
	unsigned i;

	if (cfg_want_args(ctx, n, 1, 1000) < 0)
		return -EINVAL;
	if (p->process.n)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "process given twice; the last one wins");
	strlist_free(&p->process);
	p->process.v = cfg_zalloc(n->nargs * sizeof(char *));
	for (i = 0; i < n->nargs; i++)
		p->process.v[i] = cfg_strdup(n->args[i]);
	p->process.n = n->nargs;
	return 0;
}

static void tproc_process_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_track_process *p = obj;
	size_t i;

	if (!p->process.n)
		return;
	cfg_indent(out, indent);
	fputs("process", out);
	for (i = 0; i < p->process.n; i++) {
		fputc(' ', out);
		cfg_put_word(out, p->process.v[i]);
	}
	fputc('\n', out);
}

static int tproc_weight_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_track_process *p = obj;

	return parse_weight(ctx, n, 254, &p->weight, &p->weight_reverse);
}

static void tproc_weight_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_track_process *p = obj;

	dump_weight(out, indent, p->weight, p->weight_reverse, 1);
}

/* "delay SECS" sets fork_delay and terminate_delay. */
static int tproc_delay_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_track_process *p = obj;
	uint64_t ms;

	if (cfg_want_args(ctx, n, 1, 1) < 0 ||
	    cfg_get_fixed(ctx, n, n->args[0], 1000, 0, SCRIPT_MAX_MS, &ms) < 0)
		return -EINVAL;
	p->fork_delay_ms = (uint32_t)ms;
	p->terminate_delay_ms = (uint32_t)ms;
	return 0;
}

static int tproc_finish(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_track_process *p = obj;

	if (!p->process.n) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "vrrp_track_process %s: no 'process' given", p->name);
		return -EINVAL;
	}
	if (p->quorum > p->quorum_max) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "vrrp_track_process %s: quorum %" PRIu32 " is above quorum_max %" PRIu32,
			 p->name, p->quorum, p->quorum_max);
		return -EINVAL;
	}
	return 0;
}

static void tproc_free_extra(void *obj)
{
	struct cfg_track_process *p = obj;

	free(p->name);
	strlist_free(&p->process);
}

static const struct cfg_kw tproc_kws[] = {
	{ .name = "process", .type = CFG_T_FUNC, .parse = tproc_process_parse,
	  .dump = tproc_process_dump },
	{ .name = "param_match", .type = CFG_T_ENUM, FLD(struct cfg_track_process, param_match),
	  .enums = param_match_vals },
	{ .name = "weight", .type = CFG_T_FUNC, .parse = tproc_weight_parse,
	  .dump = tproc_weight_dump },
	{ .name = "quorum", .type = CFG_T_UINT, FLD(struct cfg_track_process, quorum),
	  .min = 0, .max = 65535 },
	{ .name = "quorum_max", .type = CFG_T_UINT, FLD(struct cfg_track_process, quorum_max),
	  .min = 0, .max = 65535 },
	{ .name = "fork_delay", .type = CFG_T_FIXED,
	  FLD(struct cfg_track_process, fork_delay_ms), .min = 0, .max = SCRIPT_MAX_MS,
	  .scale = 1000 },
	{ .name = "terminate_delay", .type = CFG_T_FIXED,
	  FLD(struct cfg_track_process, terminate_delay_ms), .min = 0, .max = SCRIPT_MAX_MS,
	  .scale = 1000 },
	{ .name = "delay", .type = CFG_T_FUNC, .parse = tproc_delay_parse },
	{ .name = "full_command", .type = CFG_T_FLAG,
	  FLD(struct cfg_track_process, full_command) },
	{ .name = NULL },
};

static const struct cfg_block tproc_block = {
	.name = "vrrp_track_process",
	.size = sizeof(struct cfg_track_process),
	.next_off = offsetof(struct cfg_track_process, next),
	.init = tproc_init,
	.head = tproc_head,
	.dump_head = tproc_dump_head,
	.finish = tproc_finish,
	.free_extra = tproc_free_extra,
	.kws = tproc_kws,
};

/* ------------------------------------------------------------------ */
/* vrrp_sync_group NAME { group { ... } notify_* ... track_* { } } */

static void sync_init(void *obj)
{
	struct cfg_vrrp_sync *g = obj;

	g->notify_priority_changes = CFG_VTRI_UNSET;
	g->smtp_alert = CFG_VTRI_UNSET;
}

static int sync_head(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	static const char *const singles[] = { "smtp_alert", "notify_priority_changes", NULL };
	struct cfg_vrrp_sync *g = obj;

	cfg_vrrp_warn_repeats(ctx, n, singles);
	return head_name(ctx, n, &g->name, &g->file, &g->line);
}

static void sync_dump_head(FILE *out, const void *obj)
{
	dump_name(out, ((const struct cfg_vrrp_sync *)obj)->name);
}

#define SYNC_NOTIFY(kind, optional)                                                         \
	static int sync_##kind##_parse(struct cfg_ctx *ctx, void *obj,                      \
				       const struct cfg_node *n)                            \
	{                                                                                   \
		struct cfg_vrrp_sync *g = obj;                                              \
		if ((kind) == CFG_NOTIFY_DELETED)                                           \
			g->notify_deleted = true;                                           \
		return cfg_vrrp_parse_notify(ctx, n, optional, &g->notify[kind]);          \
	}                                                                                   \
	static void sync_##kind##_dump(FILE *out, const void *obj, int indent)             \
	{                                                                                   \
		const struct cfg_vrrp_sync *g = obj;                                        \
		if ((kind) == CFG_NOTIFY_DELETED && g->notify_deleted &&                    \
		    !g->notify[kind].script) {                                              \
			cfg_indent(out, indent);                                            \
			fputs("notify_deleted\n", out);                                     \
		}                                                                           \
		cfg_vrrp_dump_notify(out, cfg_vrrp_notify_kw[kind], &g->notify[kind],       \
				     indent);                                               \
	}

SYNC_NOTIFY(CFG_NOTIFY_MASTER, false)
SYNC_NOTIFY(CFG_NOTIFY_BACKUP, false)
SYNC_NOTIFY(CFG_NOTIFY_FAULT, false)
SYNC_NOTIFY(CFG_NOTIFY_STOP, false)
SYNC_NOTIFY(CFG_NOTIFY_DELETED, true)
SYNC_NOTIFY(CFG_NOTIFY_ANY, false)

#define SYNC_TRACK(kind)                                                                   \
	static int sync_##kind##_parse(struct cfg_ctx *ctx, void *obj,                      \
				       const struct cfg_node *n)                            \
	{                                                                                   \
		struct cfg_vrrp_sync *g = obj;                                              \
		return cfg_vrrp_parse_track(ctx, n, kind, &g->track[kind]);                 \
	}                                                                                   \
	static void sync_##kind##_dump(FILE *out, const void *obj, int indent)             \
	{                                                                                   \
		const struct cfg_vrrp_sync *g = obj;                                        \
		cfg_vrrp_dump_track(out, kind, g->track[kind], indent);                     \
	}

SYNC_TRACK(CFG_TRACK_IF)
SYNC_TRACK(CFG_TRACK_SCRIPT)
SYNC_TRACK(CFG_TRACK_FILE)
SYNC_TRACK(CFG_TRACK_PROCESS)
SYNC_TRACK(CFG_TRACK_BFD)

#define SYNC_TRI(field)                                                                    \
	static int sync_##field##_parse(struct cfg_ctx *ctx, void *obj,                     \
					const struct cfg_node *n)                           \
	{                                                                                   \
		return cfg_vrrp_parse_tristate(ctx, n, &((struct cfg_vrrp_sync *)obj)->field); \
	}                                                                                   \
	static void sync_##field##_dump(FILE *out, const void *obj, int indent)            \
	{                                                                                   \
		cfg_vrrp_dump_tristate(out, #field, ((const struct cfg_vrrp_sync *)obj)->field, \
				       indent);                                             \
	}

SYNC_TRI(smtp_alert)
SYNC_TRI(notify_priority_changes)

static int sync_group_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_sync *g = obj;
	const struct cfg_node *c;
	unsigned i;

	if (!need_block(ctx, n))
		return -EINVAL;
	if (g->group_line)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "group given twice; the members are merged");
	g->group_line = n->line;
	for (c = n->child; c; c = c->next) {
		if (c->block) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, c->file, c->line,
				 "group: '%s' cannot open a { } block", c->kw);
			return -EINVAL;
		}
		for (i = 0; i <= c->nargs; i++) {
			const char *s = i ? c->args[i - 1] : c->kw;

			g->group.v = realloc(g->group.v, (g->group.n + 1) * sizeof(char *));
			if (!g->group.v)
				abort();
			g->group.v[g->group.n++] = cfg_strdup(s);
		}
	}
	return 0;
}

static void sync_group_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_vrrp_sync *g = obj;
	size_t i;

	cfg_indent(out, indent);
	fputs("group {\n", out);
	for (i = 0; i < g->group.n; i++) {
		cfg_indent(out, indent + 4);
		cfg_put_word(out, g->group.v[i]);
		fputc('\n', out);
	}
	cfg_indent(out, indent);
	fputs("}\n", out);
}

static int sync_finish(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_vrrp_sync *g = obj;

	if (!g->group_line) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "vrrp_sync_group %s: no 'group { }' block naming its instances", g->name);
		return -EINVAL;
	}
	if (!g->group.n) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, g->group_line,
			 "vrrp_sync_group %s: the group { } block is empty", g->name);
		return -EINVAL;
	}
	return 0;
}

/* A bare word in the body: most likely an instance name outside group { }. */
static int sync_line(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	(void)obj;
	cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
		 "unknown keyword '%s' in vrrp_sync_group (instance names go in 'group { }')",
		 n->kw);
	return 0;
}

static void sync_free_extra(void *obj)
{
	struct cfg_vrrp_sync *g = obj;
	unsigned i;

	free(g->name);
	strlist_free(&g->group);
	for (i = 0; i < CFG_TRACK__COUNT; i++)
		cfg_vrrp_free_track(g->track[i]);
	for (i = 0; i < CFG_NOTIFY__COUNT; i++)
		cfg_vrrp_notify_clear(&g->notify[i]);
}

#define SYNC_FUNC(kwname, fn) \
	{ .name = kwname, .type = CFG_T_FUNC, .parse = sync_##fn##_parse, .dump = sync_##fn##_dump }

static const struct cfg_kw sync_kws[] = {
	SYNC_FUNC("group", group),
	SYNC_FUNC("track_interface", CFG_TRACK_IF),
	SYNC_FUNC("track_script", CFG_TRACK_SCRIPT),
	SYNC_FUNC("track_file", CFG_TRACK_FILE),
	SYNC_FUNC("track_process", CFG_TRACK_PROCESS),
	SYNC_FUNC("track_bfd", CFG_TRACK_BFD),
	SYNC_FUNC("notify_master", CFG_NOTIFY_MASTER),
	SYNC_FUNC("notify_backup", CFG_NOTIFY_BACKUP),
	SYNC_FUNC("notify_fault", CFG_NOTIFY_FAULT),
	SYNC_FUNC("notify_stop", CFG_NOTIFY_STOP),
	SYNC_FUNC("notify_deleted", CFG_NOTIFY_DELETED),
	SYNC_FUNC("notify", CFG_NOTIFY_ANY),
	SYNC_FUNC("notify_priority_changes", notify_priority_changes),
	SYNC_FUNC("smtp_alert", smtp_alert),
	{ .name = "global_tracking", .type = CFG_T_FLAG,
	  FLD(struct cfg_vrrp_sync, global_tracking), .flags = CFG_KW_DEPRECATED },
	{ .name = "sync_group_tracking_weight", .type = CFG_T_FLAG,
	  FLD(struct cfg_vrrp_sync, sync_group_tracking_weight) },
	{ .name = NULL },
};

static const struct cfg_block sync_block = {
	.name = "vrrp_sync_group",
	.size = sizeof(struct cfg_vrrp_sync),
	.next_off = offsetof(struct cfg_vrrp_sync, next),
	.init = sync_init,
	.head = sync_head,
	.dump_head = sync_dump_head,
	.line = sync_line,
	.finish = sync_finish,
	.free_extra = sync_free_extra,
	.kws = sync_kws,
};

/* ------------------------------------------------------------------ */
/* track_group NAME { group { VI_1 VI_2 } } */

static int tgroup_head(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_track_group *g = obj;

	return head_name(ctx, n, &g->name, &g->file, &g->line);
}

static void tgroup_dump_head(FILE *out, const void *obj)
{
	dump_name(out, ((const struct cfg_track_group *)obj)->name);
}

static int tgroup_finish(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_track_group *g = obj;

	if (!g->group.n) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "track_group %s: no instances in a 'group { }' block", g->name);
		return -EINVAL;
	}
	return 0;
}

static void tgroup_free_extra(void *obj)
{
	free(((struct cfg_track_group *)obj)->name);
}

static const struct cfg_kw tgroup_kws[] = {
	{ .name = "group", .type = CFG_T_STRLIST, FLD(struct cfg_track_group, group) },
	{ .name = NULL },
};

static const struct cfg_block tgroup_block = {
	.name = "track_group",
	.size = sizeof(struct cfg_track_group),
	.next_off = offsetof(struct cfg_track_group, next),
	.head = tgroup_head,
	.dump_head = tgroup_dump_head,
	.finish = tgroup_finish,
	.free_extra = tgroup_free_extra,
	.kws = tgroup_kws,
};

/* ------------------------------------------------------------------ */
/* garp_group { garp_interval S, gna_interval S, interface IF | interfaces { } } */

static int garp_finish(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_garp_group *g = obj;

	g->file = n->file;
	g->line = n->line;
	if (!g->interface == !g->interfaces.n) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "garp_group: give exactly one of 'interface' and 'interfaces { }'");
		return -EINVAL;
	}
	return 0;
}

#define GARP_MAX_US	(255u * 1000000)

static const struct cfg_kw garp_kws[] = {
	{ .name = "garp_interval", .type = CFG_T_FIXED,
	  FLD(struct cfg_garp_group, garp_interval_us), .min = 0, .max = GARP_MAX_US,
	  .scale = 1000000 },
	{ .name = "gna_interval", .type = CFG_T_FIXED, FLD(struct cfg_garp_group, gna_interval_us),
	  .min = 0, .max = GARP_MAX_US, .scale = 1000000 },
	{ .name = "interface", .type = CFG_T_STR, FLD(struct cfg_garp_group, interface) },
	{ .name = "interfaces", .type = CFG_T_STRLIST, FLD(struct cfg_garp_group, interfaces) },
	{ .name = NULL },
};

static const struct cfg_block garp_block = {
	.name = "garp_group",
	.size = sizeof(struct cfg_garp_group),
	.next_off = offsetof(struct cfg_garp_group, next),
	.finish = garp_finish,
	.kws = garp_kws,
};

/* ------------------------------------------------------------------ */
/* interface_up_down_delays { IF DOWN [UP] } (seconds, up to 255) */

static int delay_line(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_if_delay **head = obj, *d;
	uint64_t down, up;

	if (n->block || n->nargs < 1 || n->nargs > 2) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "interface_up_down_delays: expected IFNAME DOWN_DELAY [UP_DELAY]");
		return -EINVAL;
	}
	d = cfg_zalloc(sizeof(*d));
	d->file = n->file;
	d->line = n->line;
	if (cfg_vrrp_ifname(ctx, n, "interface_up_down_delays", n->kw, d->name) < 0 ||
	    cfg_get_fixed(ctx, n, n->args[0], 1000000, 0, GARP_MAX_US, &down) < 0 ||
	    cfg_get_fixed(ctx, n, n->args[n->nargs - 1], 1000000, 0, GARP_MAX_US, &up) < 0) {
		free(d);
		return -EINVAL;
	}
	d->down_delay_us = (uint32_t)down;
	d->up_delay_us = (uint32_t)up;
	list_append(head, d);
	return 0;
}

static const struct cfg_block delay_lines_block = {
	.name = "interface_up_down_delays",
	.line = delay_line,
	.kws = no_kws,
};

/* ------------------------------------------------------------------ */
/* Top-level entry points (obj = struct cfg_root *) */

static int top_new(struct cfg_ctx *ctx, const struct cfg_block *b, const struct cfg_node *n,
		   void *headp)
{
	void *elem;

	if (cfg_parse_new(ctx, b, n, &elem) < 0)
		return -EINVAL;
	list_append(headp, elem);
	return 0;
}

_Static_assert(offsetof(struct cfg_vrrp_script, next) == 0, "next first");
_Static_assert(offsetof(struct cfg_track_file, next) == 0, "next first");
_Static_assert(offsetof(struct cfg_track_process, next) == 0, "next first");
_Static_assert(offsetof(struct cfg_vrrp_sync, next) == 0, "next first");
_Static_assert(offsetof(struct cfg_track_group, next) == 0, "next first");
_Static_assert(offsetof(struct cfg_garp_group, next) == 0, "next first");
_Static_assert(offsetof(struct cfg_if_delay, next) == 0, "next first");

int cfg_vrrp_top_script(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return top_new(ctx, &script_block, n, &((struct cfg_root *)obj)->vrrp->scripts);
}

int cfg_vrrp_top_track_file(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	if (!strcmp(n->kw, "vrrp_track_file"))
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "'vrrp_track_file' is deprecated, use 'track_file'");
	return top_new(ctx, &tfile_block, n, &((struct cfg_root *)obj)->vrrp->track_files);
}

int cfg_vrrp_top_track_process(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return top_new(ctx, &tproc_block, n, &((struct cfg_root *)obj)->vrrp->track_procs);
}

int cfg_vrrp_top_sync(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return top_new(ctx, &sync_block, n, &((struct cfg_root *)obj)->vrrp->syncs);
}

int cfg_vrrp_top_track_group(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return top_new(ctx, &tgroup_block, n, &((struct cfg_root *)obj)->vrrp->track_groups);
}

int cfg_vrrp_top_garp_group(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return top_new(ctx, &garp_block, n, &((struct cfg_root *)obj)->vrrp->garp_groups);
}

int cfg_vrrp_top_if_delays(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_root *root = obj;

	if (!need_block(ctx, n))
		return -EINVAL;
	return cfg_parse_body(ctx, &delay_lines_block, &root->vrrp->if_delays, n->child);
}

/* ------------------------------------------------------------------ */
/* Dump and free */

static void dump_us(FILE *out, uint32_t us)
{
	if (us % 1000000)
		fprintf(out, "%" PRIu32 ".%06" PRIu32, us / 1000000, us % 1000000);
	else
		fprintf(out, "%" PRIu32, us / 1000000);
}

void cfg_vrrp_dump_tracking(FILE *out, const struct cfg_vrrp *v)
{
	const struct cfg_vrrp_script *s;
	const struct cfg_track_file *f;
	const struct cfg_track_process *p;
	const struct cfg_garp_group *g;
	const struct cfg_if_delay *d;

	if (v->if_delays) {
		fputs("interface_up_down_delays {\n", out);
		for (d = v->if_delays; d; d = d->next) {
			fprintf(out, "    %s ", d->name);
			dump_us(out, d->down_delay_us);
			fputc(' ', out);
			dump_us(out, d->up_delay_us);
			fputc('\n', out);
		}
		fputs("}\n\n", out);
	}
	for (g = v->garp_groups; g; g = g->next) {
		cfg_dump_block(out, &garp_block, g, 0);
		fputc('\n', out);
	}
	for (s = v->scripts; s; s = s->next) {
		cfg_dump_block(out, &script_block, s, 0);
		fputc('\n', out);
	}
	for (f = v->track_files; f; f = f->next) {
		cfg_dump_block(out, &tfile_block, f, 0);
		fputc('\n', out);
	}
	for (p = v->track_procs; p; p = p->next) {
		cfg_dump_block(out, &tproc_block, p, 0);
		fputc('\n', out);
	}
}

void cfg_vrrp_dump_track_groups(FILE *out, const struct cfg_vrrp *v)
{
	const struct cfg_track_group *t;

	for (t = v->track_groups; t; t = t->next) {
		cfg_dump_block(out, &tgroup_block, t, 0);
		fputc('\n', out);
	}
}

void cfg_vrrp_dump_syncs(FILE *out, const struct cfg_vrrp *v)
{
	const struct cfg_vrrp_sync *g;

	for (g = v->syncs; g; g = g->next) {
		cfg_dump_block(out, &sync_block, g, 0);
		fputc('\n', out);
	}
}

void cfg_vrrp_free_tracking(struct cfg_vrrp *v)
{
	struct cfg_if_delay *d, *dn;

	cfg_free_list(&script_block, v->scripts);
	cfg_free_list(&tfile_block, v->track_files);
	cfg_free_list(&tproc_block, v->track_procs);
	cfg_free_list(&sync_block, v->syncs);
	cfg_free_list(&tgroup_block, v->track_groups);
	cfg_free_list(&garp_block, v->garp_groups);
	for (d = v->if_delays; d; d = dn) {
		dn = d->next;
		free(d);
	}
	v->scripts = NULL;
	v->track_files = NULL;
	v->track_procs = NULL;
	v->syncs = NULL;
	v->track_groups = NULL;
	v->garp_groups = NULL;
	v->if_delays = NULL;
}

/* ------------------------------------------------------------------ */
/* Lookups */

const struct cfg_vrrp_script *cfg_vrrp_find_script(const struct cfg_vrrp *v, const char *name)
{
	const struct cfg_vrrp_script *s;

	for (s = v->scripts; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

const struct cfg_track_file *cfg_vrrp_find_track_file(const struct cfg_vrrp *v,
						      const char *name)
{
	const struct cfg_track_file *f;

	for (f = v->track_files; f; f = f->next)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

const struct cfg_track_process *cfg_vrrp_find_track_process(const struct cfg_vrrp *v,
							    const char *name)
{
	const struct cfg_track_process *p;

	for (p = v->track_procs; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}
