// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The keyword-table engine: one table per block drives parsing, the
 * canonical dump and freeing (see cfg.h for the table format and the
 * precise rules). Pure: libc only.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/cfg.h"

/* cfg_value.c */
const char *cfg_value_fixed_fmt(uint64_t v, unsigned scale, char *buf, size_t len);

#define CFG_TAILS 8

/* Per cfg_parse_body() call. */
struct cfg_body_state {
	unsigned nkws;
	uint8_t seen_local[128];
	uint8_t *seen;			/* per keyword index */
	struct {
		size_t off;
		void *tail;
	} tails[CFG_TAILS];		/* last element of LIST fields */
	unsigned ntails;
};

#define FIELD(obj, off) ((void *)((char *)(obj) + (off)))
#define CFIELD(obj, off) ((const void *)((const char *)(obj) + (off)))

static bool cfg_kw_matchable(const struct cfg_kw *k)
{
	/* A FUNC entry without parse is a dump/free hook only. */
	return !(k->type == CFG_T_FUNC && !k->parse);
}

static bool cfg_kw_single(enum cfg_type t)
{
	switch (t) {
	case CFG_T_FLAG:
	case CFG_T_BOOL:
	case CFG_T_INT:
	case CFG_T_UINT:
	case CFG_T_FIXED:
	case CFG_T_STR:
	case CFG_T_LINE:
	case CFG_T_ENUM:
	case CFG_T_ADDR:
	case CFG_T_SUB:
		return true;
	default:
		return false;
	}
}

/* An alias entry of the preferred form: its own name, alias_of = the current name. */
static bool cfg_kw_is_alias(const struct cfg_kw *k)
{
	return k->alias_of && (k->flags & (CFG_KW_NODUMP | CFG_KW_DEPRECATED));
}

static int cfg_kw_find_name(const struct cfg_kw *kws, const char *name, int skip)
{
	int i;

	for (i = 0; kws[i].name; i++)
		if (i != skip && cfg_kw_matchable(&kws[i]) && !strcmp(kws[i].name, name))
			return i;
	return -1;
}

/*
 * Finds the entry for word. *ret_alias is set when word matched an entry's
 * alias_of only (an entry that lists its own deprecated spelling).
 */
static int cfg_kw_lookup(const struct cfg_kw *kws, const char *word, bool *ret_alias)
{
	int i = cfg_kw_find_name(kws, word, -1);

	*ret_alias = false;
	if (i >= 0)
		return i;
	for (i = 0; kws[i].name; i++) {
		if (kws[i].alias_of && !cfg_kw_is_alias(&kws[i]) && cfg_kw_matchable(&kws[i]) &&
		    !strcmp(kws[i].alias_of, word)) {
			*ret_alias = true;
			return i;
		}
	}
	return -1;
}

/* Index that stands for the keyword in duplicate detection. */
static int cfg_kw_canon(const struct cfg_kw *kws, int i)
{
	int c;

	if (!cfg_kw_is_alias(&kws[i]))
		return i;
	c = cfg_kw_find_name(kws, kws[i].alias_of, i);
	return c >= 0 ? c : i;
}

static void cfg_obj_init(const struct cfg_block *b, void *obj)
{
	const struct cfg_kw *k;

	for (k = b->kws; k && k->name; k++)
		if (k->type == CFG_T_SUB && k->sub && !cfg_kw_is_alias(k))
			cfg_obj_init(k->sub, FIELD(obj, k->off));
	if (b->init)
		b->init(obj);
}

/* Full range of an integer field of size bytes. */
static void cfg_int_range(const struct cfg_kw *k, bool sign, int64_t *ret_min, int64_t *ret_max,
			  uint64_t *ret_umax)
{
	unsigned bits = k->size >= 1 && k->size <= 8 ? (unsigned)k->size * 8 : 64;
	uint64_t umax = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
	int64_t smax = (int64_t)(umax >> 1), smin = -smax - 1;
	bool full = k->min == 0 && k->max == 0;

	if (sign) {
		*ret_min = full || k->min < smin ? smin : k->min;
		*ret_max = full || k->max > smax ? smax : k->max;
	} else {
		/* an unsigned range cannot end at 0: max 0 means "no bound" */
		*ret_umax = k->max <= 0 || (uint64_t)k->max > umax ? umax : (uint64_t)k->max;
		*ret_min = k->min < 0 ? 0 : k->min;
	}
}

static void cfg_store_int(void *p, size_t size, uint64_t v)
{
	switch (size) {
	case 1:
		*(uint8_t *)p = (uint8_t)v;
		break;
	case 2:
		*(uint16_t *)p = (uint16_t)v;
		break;
	case 4:
		*(uint32_t *)p = (uint32_t)v;
		break;
	default:
		*(uint64_t *)p = v;
		break;
	}
}

static uint64_t cfg_load_uint(const void *p, size_t size)
{
	switch (size) {
	case 1:
		return *(const uint8_t *)p;
	case 2:
		return *(const uint16_t *)p;
	case 4:
		return *(const uint32_t *)p;
	default:
		return *(const uint64_t *)p;
	}
}

static int64_t cfg_load_int(const void *p, size_t size)
{
	switch (size) {
	case 1:
		return *(const int8_t *)p;
	case 2:
		return *(const int16_t *)p;
	case 4:
		return *(const int32_t *)p;
	default:
		return *(const int64_t *)p;
	}
}

static void cfg_strlist_add(struct cfg_strlist *l, const char *s)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v) {
		fputs("alived: out of memory\n", stderr);
		abort();
	}
	v[l->n++] = cfg_strdup(s);
	l->v = v;
}

static char *cfg_join_args(const struct cfg_node *n)
{
	size_t len = 1, i;
	char *s, *p;

	for (i = 0; i < n->nargs; i++)
		len += strlen(n->args[i]) + 1;
	s = p = cfg_zalloc(len);
	for (i = 0; i < n->nargs; i++) {
		size_t l = strlen(n->args[i]);

		if (i)
			*p++ = ' ';
		memcpy(p, n->args[i], l);
		p += l;
	}
	*p = '\0';
	return s;
}

static int cfg_parse_enum(struct cfg_ctx *ctx, const struct cfg_kw *k, const struct cfg_node *n,
			  int *ret)
{
	const struct cfg_enum_val *e;
	char buf[512];
	size_t l = 0;

	for (e = k->enums; e && e->name; e++) {
		if (!strcasecmp(e->name, n->args[0])) {
			*ret = e->value;
			return 0;
		}
	}
	buf[0] = '\0';
	for (e = k->enums; e && e->name && l < sizeof(buf); e++) {
		int w = snprintf(buf + l, sizeof(buf) - l, "%s%s", e == k->enums ? "" : "|",
				 e->name);

		l += w > 0 ? (size_t)w : 0;
	}
	cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "%s %s: must be one of %s", n->kw,
		 n->args[0], buf);
	return -EINVAL;
}

static void cfg_list_append(struct cfg_body_state *st, const struct cfg_kw *k, void *obj,
			    void *elem)
{
	void **head = FIELD(obj, k->off);
	size_t next_off = k->sub->next_off;
	void *tail = NULL;
	unsigned i;

	for (i = 0; i < st->ntails; i++)
		if (st->tails[i].off == k->off)
			break;
	if (i < st->ntails)
		tail = st->tails[i].tail;
	else
		tail = *head;
	/* walk from the cached tail: O(1) unless someone else appended */
	while (tail && *(void **)FIELD(tail, next_off))
		tail = *(void **)FIELD(tail, next_off);
	if (tail)
		*(void **)FIELD(tail, next_off) = elem;
	else
		*head = elem;
	if (i == st->ntails && i < CFG_TAILS)
		st->ntails++;
	if (i < CFG_TAILS) {
		st->tails[i].off = k->off;
		st->tails[i].tail = elem;
	}
}

static void cfg_parse_strlist(struct cfg_ctx *ctx, const struct cfg_node *n,
			      struct cfg_strlist *l)
{
	const struct cfg_node *c;
	unsigned i;

	for (i = 0; i < n->nargs; i++)
		cfg_strlist_add(l, n->args[i]);
	if (!n->block)
		return;
	for (c = n->child; c; c = c->next) {
		if (c->block) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, c->file, c->line,
				 "%s: a block is not allowed in %s", c->kw, n->kw);
			continue;
		}
		cfg_strlist_add(l, c->kw);
		for (i = 0; i < c->nargs; i++)
			cfg_strlist_add(l, c->args[i]);
	}
}

static int cfg_parse_sub(struct cfg_ctx *ctx, const struct cfg_kw *k, void *obj,
			 const struct cfg_node *n)
{
	void *emb = FIELD(obj, k->off);
	unsigned before = ctx->diags->n_err;

	if (k->sub->head)
		k->sub->head(ctx, emb, n);
	else if (n->nargs)
		cfg_want_args(ctx, n, 0, 0);
	cfg_parse_body(ctx, k->sub, emb, n->child);
	if (ctx->diags->n_err == before && k->sub->finish)
		k->sub->finish(ctx, emb, n);
	return ctx->diags->n_err == before ? 0 : -EINVAL;
}

/*
 * Argument count of a scalar: too few is an error; words beyond max are a
 * warning and ignored (keepalived ignores them silently).
 */
static int cfg_scalar_args(struct cfg_ctx *ctx, const struct cfg_node *n, unsigned min,
			   unsigned max)
{
	if (n->nargs < min)
		return cfg_want_args(ctx, n, min, max);
	if (n->nargs > max)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "%s takes %u argument%s; '%s' and the rest are ignored", n->kw, max,
			 max == 1 ? "" : "s", n->args[max]);
	return 0;
}

/* Parses one statement whose keyword is k into obj. */
static void cfg_parse_value(struct cfg_ctx *ctx, struct cfg_body_state *st,
			    const struct cfg_kw *k, void *obj, const struct cfg_node *n)
{
	void *f = FIELD(obj, k->off);
	int64_t smin, smax;
	uint64_t umax, u;
	int64_t s;
	bool bv = true;
	int ev;
	struct cfg_addr a;
	void *elem;

	switch (k->type) {
	case CFG_T_FLAG:
	case CFG_T_BOOL:
		if (cfg_scalar_args(ctx, n, 0, 1) < 0)
			return;
		if (n->nargs && cfg_get_bool(ctx, n, n->args[0], &bv) < 0)
			return;
		*(bool *)f = bv;
		return;
	case CFG_T_INT:
		cfg_int_range(k, true, &smin, &smax, &umax);
		if (cfg_scalar_args(ctx, n, 1, 1) == 0 &&
		    cfg_get_int(ctx, n, n->args[0], smin, smax, &s) == 0)
			cfg_store_int(f, k->size, (uint64_t)s);
		return;
	case CFG_T_UINT:
		cfg_int_range(k, false, &smin, &smax, &umax);
		if (cfg_scalar_args(ctx, n, 1, 1) == 0 &&
		    cfg_get_uint(ctx, n, n->args[0], (uint64_t)smin, umax, &u) == 0)
			cfg_store_int(f, k->size, u);
		return;
	case CFG_T_FIXED:
		cfg_int_range(k, false, &smin, &smax, &umax);
		if (cfg_scalar_args(ctx, n, 1, 1) == 0 &&
		    cfg_get_fixed(ctx, n, n->args[0], k->scale, (uint64_t)smin, umax, &u) == 0)
			cfg_store_int(f, k->size, u);
		return;
	case CFG_T_STR:
	case CFG_T_LINE:
		if (cfg_scalar_args(ctx, n, 1, k->type == CFG_T_STR ? 1 : UINT_MAX) < 0)
			return;
		free(*(char **)f);
		*(char **)f = k->type == CFG_T_STR ? cfg_strdup(n->args[0]) : cfg_join_args(n);
		return;
	case CFG_T_ENUM:
		if (cfg_scalar_args(ctx, n, 1, 1) == 0 && cfg_parse_enum(ctx, k, n, &ev) == 0)
			cfg_store_int(f, k->size ? k->size : sizeof(int), (uint64_t)(int64_t)ev);
		return;
	case CFG_T_ADDR:
		if (cfg_scalar_args(ctx, n, 1, 1) == 0 && cfg_get_addr(ctx, n, n->args[0], &a) == 0)
			*(struct cfg_addr *)f = a;
		return;
	case CFG_T_STRLIST:
		cfg_parse_strlist(ctx, n, f);
		return;
	case CFG_T_SUB:
		cfg_parse_sub(ctx, k, obj, n);
		return;
	case CFG_T_LIST:
		if (cfg_parse_new(ctx, k->sub, n, &elem) == 0)
			cfg_list_append(st, k, obj, elem);
		return;
	case CFG_T_FUNC:
		k->parse(ctx, obj, n);
		return;
	case CFG_T_IGNORE:
	case CFG_T__COUNT:
		return;
	}
}

static void cfg_parse_stmt(struct cfg_ctx *ctx, const struct cfg_block *b,
			   struct cfg_body_state *st, void *obj, const struct cfg_node *n)
{
	const struct cfg_kw *k;
	bool via_alias;
	int i, c;

	i = b->kws ? cfg_kw_lookup(b->kws, n->kw, &via_alias) : -1;
	if (i < 0) {
		if (b->line)
			b->line(ctx, obj, n);
		else if (b->name)
			cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
				 "unknown keyword '%s' in %s", n->kw, b->name);
		else
			cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
				 "unknown keyword '%s'", n->kw);
		return;
	}
	k = &b->kws[i];
	if (via_alias)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "'%s' is deprecated, use '%s'", n->kw, k->name);
	else if ((k->flags & CFG_KW_DEPRECATED) && k->alias_of)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "'%s' is deprecated, use '%s'", n->kw, k->alias_of);
	else if ((k->flags & CFG_KW_DEPRECATED) && k->type == CFG_T_IGNORE)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "'%s' is deprecated and has no effect", n->kw);
	else if (k->flags & CFG_KW_DEPRECATED)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line, "'%s' is deprecated", n->kw);
	else if (k->type == CFG_T_IGNORE)
		cfg_diag(ctx->diags, CFG_SEV_NOTICE, n->file, n->line,
			 "'%s' has no effect in alived; ignored", n->kw);

	if (n->block && cfg_kw_single(k->type) && k->type != CFG_T_SUB) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s takes a value, not a { } block", n->kw);
		return;
	}
	if (!n->block && k->type == CFG_T_SUB) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "%s needs a { } block",
			 n->kw);
		return;
	}

	c = cfg_kw_canon(b->kws, i);
	if ((unsigned)c < st->nkws) {
		unsigned fl = b->kws[c].flags | k->flags;

		if (st->seen[c] && (fl & CFG_KW_REPEAT_ERR)) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "%s given twice",
				 n->kw);
			return;
		}
		if (st->seen[c] && cfg_kw_single(k->type))
			cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
				 "%s given twice; the last one wins", n->kw);
		st->seen[c] = 1;
	}
	cfg_parse_value(ctx, st, k, obj, n);
}

int cfg_parse_body(struct cfg_ctx *ctx, const struct cfg_block *b, void *obj,
		   const struct cfg_node *first)
{
	struct cfg_body_state st;
	unsigned before = ctx->diags->n_err;
	const struct cfg_node *n;

	memset(&st, 0, sizeof(st));
	while (b->kws && b->kws[st.nkws].name)
		st.nkws++;
	st.seen = st.nkws <= sizeof(st.seen_local) ? st.seen_local : cfg_zalloc(st.nkws);
	for (n = first; n; n = n->next)
		cfg_parse_stmt(ctx, b, &st, obj, n);
	if (st.seen != st.seen_local)
		free(st.seen);
	return ctx->diags->n_err == before ? 0 : -EINVAL;
}

int cfg_parse_new(struct cfg_ctx *ctx, const struct cfg_block *b, const struct cfg_node *n,
		  void **ret)
{
	unsigned before = ctx->diags->n_err;
	void *obj = cfg_zalloc(b->size);

	cfg_obj_init(b, obj);
	if (b->head)
		b->head(ctx, obj, n);
	else if (n->nargs)
		cfg_want_args(ctx, n, 0, 0);
	if (!n->block)
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "%s needs a { } block",
			 n->kw);
	else
		cfg_parse_body(ctx, b, obj, n->child);
	if (ctx->diags->n_err == before && b->finish)
		b->finish(ctx, obj, n);
	if (ctx->diags->n_err != before) {
		cfg_free_fields(b, obj);
		free(obj);
		return -EINVAL;
	}
	*ret = obj;
	return 0;
}

/* ---- dump ---- */

static size_t cfg_block_extent(const struct cfg_block *b)
{
	const struct cfg_kw *k;
	size_t m = b->size;

	for (k = b->kws; k && k->name; k++)
		if (k->off + k->size > m)
			m = k->off + k->size;
	return m;
}

/* A freshly initialised object to compare with; free with cfg_default_free(). */
static void *cfg_default_new(const struct cfg_block *b)
{
	void *def = cfg_zalloc(cfg_block_extent(b));

	if (b->size)
		cfg_obj_init(b, def);
	return def;
}

static void cfg_default_free(const struct cfg_block *b, void *def)
{
	if (b->size)
		cfg_free_fields(b, def);
	free(def);
}

static void cfg_dump_body_def(FILE *out, const struct cfg_block *b, const void *obj,
			      const void *def, int indent);

static void cfg_dump_elem(FILE *out, const char *name, const struct cfg_block *b,
			  const void *obj, const void *def, int indent)
{
	cfg_indent(out, indent);
	fputs(name, out);
	if (b->dump_head)
		b->dump_head(out, obj);
	fputs(" {\n", out);
	cfg_dump_body_def(out, b, obj, def, indent + 4);
	cfg_indent(out, indent);
	fputs("}\n", out);
}

/* Prints a LINE value so that the lexer gives the same joined string back. */
static void cfg_put_line(FILE *out, const char *s)
{
	const char *p;
	bool plain = *s && *s != ' ';

	for (p = s; *p && plain; p++) {
		if (*p == ' ')
			plain = p[1] && p[1] != ' ';
		else if (strchr("\t\"{}!#\\'", *p))
			plain = false;
	}
	if (plain && *s != '@' && *s != '~')
		fputs(s, out);
	else
		cfg_put_word(out, s);
}

static bool cfg_strlist_equal(const struct cfg_strlist *a, const struct cfg_strlist *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return false;
	return true;
}

static void cfg_dump_sub(FILE *out, const struct cfg_kw *k, const void *obj, const void *def,
			 int indent)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m) {
		cfg_dump_elem(out, k->name, k->sub, CFIELD(obj, k->off), CFIELD(def, k->off),
			      indent);
		return;
	}
	cfg_dump_body_def(m, k->sub, CFIELD(obj, k->off), CFIELD(def, k->off), indent + 4);
	fclose(m);
	if (len) {
		cfg_indent(out, indent);
		fputs(k->name, out);
		if (k->sub->dump_head)
			k->sub->dump_head(out, CFIELD(obj, k->off));
		fputs(" {\n", out);
		fputs(buf, out);
		cfg_indent(out, indent);
		fputs("}\n", out);
	}
	free(buf);
}

static void cfg_dump_list(FILE *out, const struct cfg_kw *k, const void *obj, int indent)
{
	const void *e = *(void *const *)CFIELD(obj, k->off);
	void *def;

	if (!e)
		return;
	def = cfg_default_new(k->sub);
	for (; e; e = *(void *const *)CFIELD(e, k->sub->next_off))
		cfg_dump_elem(out, k->name, k->sub, e, def, indent);
	cfg_default_free(k->sub, def);
}

static void cfg_dump_kw(FILE *out, const struct cfg_kw *k, const void *obj, const void *def,
			int indent)
{
	const void *f = CFIELD(obj, k->off), *d = CFIELD(def, k->off);
	char buf[CFG_ADDRSTRLEN > 48 ? CFG_ADDRSTRLEN : 48];
	const struct cfg_enum_val *e;
	const struct cfg_strlist *l;
	size_t esize = k->size ? k->size : sizeof(int);
	size_t i;

	switch (k->type) {
	case CFG_T_FLAG:
	case CFG_T_BOOL:
		if (*(const bool *)f == *(const bool *)d)
			return;
		cfg_indent(out, indent);
		if (k->type == CFG_T_FLAG && *(const bool *)f)
			fprintf(out, "%s\n", k->name);
		else
			fprintf(out, "%s %s\n", k->name, *(const bool *)f ? "on" : "off");
		return;
	case CFG_T_INT:
		if (cfg_load_int(f, k->size) == cfg_load_int(d, k->size))
			return;
		cfg_indent(out, indent);
		fprintf(out, "%s %lld\n", k->name, (long long)cfg_load_int(f, k->size));
		return;
	case CFG_T_UINT:
	case CFG_T_FIXED:
		if (cfg_load_uint(f, k->size) == cfg_load_uint(d, k->size))
			return;
		cfg_indent(out, indent);
		fprintf(out, "%s %s\n", k->name,
			cfg_value_fixed_fmt(cfg_load_uint(f, k->size),
					    k->type == CFG_T_FIXED ? k->scale : 1, buf,
					    sizeof(buf)));
		return;
	case CFG_T_STR:
	case CFG_T_LINE:
		if (!*(char *const *)f || (*(char *const *)d &&
					   !strcmp(*(char *const *)f, *(char *const *)d)))
			return;
		cfg_indent(out, indent);
		fprintf(out, "%s ", k->name);
		if (k->type == CFG_T_STR)
			cfg_put_word(out, *(char *const *)f);
		else
			cfg_put_line(out, *(char *const *)f);
		fputc('\n', out);
		return;
	case CFG_T_ENUM:
		if (cfg_load_int(f, esize) == cfg_load_int(d, esize))
			return;
		for (e = k->enums; e && e->name; e++) {
			if (e->value == cfg_load_int(f, esize)) {
				cfg_indent(out, indent);
				fprintf(out, "%s %s\n", k->name, e->name);
				return;
			}
		}
		return;
	case CFG_T_ADDR:
		if (cfg_addr_equal(f, d) || ((const struct cfg_addr *)f)->family == AF_UNSPEC)
			return;
		cfg_indent(out, indent);
		fprintf(out, "%s %s\n", k->name, cfg_addr_fmt(f, buf, sizeof(buf)));
		return;
	case CFG_T_STRLIST:
		l = f;
		if (!l->n || cfg_strlist_equal(l, d))
			return;
		cfg_indent(out, indent);
		fprintf(out, "%s {\n", k->name);
		for (i = 0; i < l->n; i++) {
			cfg_indent(out, indent + 4);
			cfg_put_word(out, l->v[i]);
			fputc('\n', out);
		}
		cfg_indent(out, indent);
		fputs("}\n", out);
		return;
	case CFG_T_SUB:
		cfg_dump_sub(out, k, obj, def, indent);
		return;
	case CFG_T_LIST:
		cfg_dump_list(out, k, obj, indent);
		return;
	case CFG_T_FUNC:
		if (k->dump)
			k->dump(out, obj, indent);
		return;
	case CFG_T_IGNORE:
	case CFG_T__COUNT:
		return;
	}
}

static void cfg_dump_body_def(FILE *out, const struct cfg_block *b, const void *obj,
			      const void *def, int indent)
{
	const struct cfg_kw *k;

	for (k = b->kws; k && k->name; k++) {
		if (k->flags & CFG_KW_NODUMP || cfg_kw_is_alias(k))
			continue;
		cfg_dump_kw(out, k, obj, def, indent);
	}
}

void cfg_dump_body(FILE *out, const struct cfg_block *b, const void *obj, int indent)
{
	void *def = cfg_default_new(b);

	cfg_dump_body_def(out, b, obj, def, indent);
	cfg_default_free(b, def);
}

void cfg_dump_block(FILE *out, const struct cfg_block *b, const void *obj, int indent)
{
	void *def = cfg_default_new(b);

	cfg_dump_elem(out, b->name, b, obj, def, indent);
	cfg_default_free(b, def);
}

/* ---- free ---- */

/* True when an earlier entry already frees the same storage the same way. */
static bool cfg_kw_free_dup(const struct cfg_kw *kws, const struct cfg_kw *k)
{
	const struct cfg_kw *p;

	for (p = kws; p < k; p++) {
		if (p->type != k->type)
			continue;
		if (k->type == CFG_T_FUNC && p->free == k->free)
			return true;
		if (k->type == CFG_T_SUB && p->off == k->off && p->sub == k->sub)
			return true;
	}
	return false;
}

void cfg_free_fields(const struct cfg_block *b, void *obj)
{
	const struct cfg_kw *k;
	struct cfg_strlist *l;
	void **pp;
	size_t i;

	if (!obj)
		return;
	for (k = b->kws; k && k->name; k++) {
		void *f = FIELD(obj, k->off);

		switch (k->type) {
		case CFG_T_STR:
		case CFG_T_LINE:
			free(*(char **)f);
			*(char **)f = NULL;
			break;
		case CFG_T_STRLIST:
			l = f;
			for (i = 0; i < l->n; i++)
				free(l->v[i]);
			free(l->v);
			l->v = NULL;
			l->n = 0;
			break;
		case CFG_T_SUB:
			if (k->sub && !cfg_kw_free_dup(b->kws, k))
				cfg_free_fields(k->sub, f);
			break;
		case CFG_T_LIST:
			pp = f;
			if (k->sub)
				cfg_free_list(k->sub, *pp);
			*pp = NULL;
			break;
		case CFG_T_FUNC:
			if (k->free && !cfg_kw_free_dup(b->kws, k))
				k->free(obj);
			break;
		default:
			break;
		}
	}
	if (b->free_extra)
		b->free_extra(obj);
}

void cfg_free_list(const struct cfg_block *b, void *head)
{
	while (head) {
		void *next = *(void **)FIELD(head, b->next_off);

		cfg_free_fields(b, head);
		free(head);
		head = next;
	}
}
