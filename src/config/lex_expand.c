/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The line-level features of keepalived.conf(5): "@id" / "@^id" filters,
 * "$NAME=value" definitions (a trailing "\" makes them multi-line), their
 * expansion as $NAME and ${NAME}, the predefined ${_PWD}, ${_INSTANCE},
 * ${_RANDOM [min [max]]}, ${_ENV VAR}, ${_HASH}, ${_BANG}, and the
 * ~SEQ(var, [start,] [step,] end) and ~LST(var, a, b, ...) repetitions.
 * Values are expanded when used, not when defined.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/lex_int.h"

enum lex_builtin {
	LEX_BI_PWD,
	LEX_BI_INSTANCE,
	LEX_BI_RANDOM,
	LEX_BI_ENV,
	LEX_BI_HASH,
	LEX_BI_BANG,
	LEX_BI__COUNT,
};

static const char *const lex_builtin_names[] = {
	[LEX_BI_PWD] = "_PWD",
	[LEX_BI_INSTANCE] = "_INSTANCE",
	[LEX_BI_RANDOM] = "_RANDOM",
	[LEX_BI_ENV] = "_ENV",
	[LEX_BI_HASH] = "_HASH",
	[LEX_BI_BANG] = "_BANG",
};
_Static_assert(sizeof(lex_builtin_names) / sizeof(lex_builtin_names[0]) == LEX_BI__COUNT,
	       "one name per builtin");

#define LEX_RANDOM_MAX	32767
#define LEX_SHOW_MAX	64	/* bytes of a bad name or value quoted in a message */

static int lex_show(size_t n)
{
	return n > LEX_SHOW_MAX ? LEX_SHOW_MAX : (int)n;
}

static bool lex_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool lex_name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool lex_name_char(char c)
{
	return lex_name_start(c) || (c >= '0' && c <= '9');
}

static size_t lex_skip_ws(const char *s, size_t i, size_t n)
{
	while (i < n && lex_ws(s[i]))
		i++;
	return i;
}

/* ---- definitions ---- */

static unsigned lex_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h % LEX_DEF_BUCKETS;
}

static struct lex_def *lex_def_find(const struct lexer *lx, const char *name, size_t n)
{
	struct lex_def *d;

	for (d = lx->defs[lex_hash(name, n)]; d; d = d->next)
		if (strlen(d->name) == n && !memcmp(d->name, name, n))
			return d;
	return NULL;
}

static void lex_def_set(struct lexer *lx, const char *name, size_t n, const char *value,
			size_t len)
{
	struct lex_def *d = lex_def_find(lx, name, n);

	if (!d) {
		unsigned h = lex_hash(name, n);

		d = lex_xmalloc(sizeof(*d));
		d->name = lex_xstrndup(name, n);
		d->next = lx->defs[h];
		lx->defs[h] = d;
	} else {
		free(d->value);
	}
	d->value = lex_xstrndup(value, len);
	d->len = len;
}

static void lex_def_del(struct lexer *lx, const char *name, size_t n)
{
	struct lex_def **pp, *d;

	for (pp = &lx->defs[lex_hash(name, n)]; (d = *pp); pp = &d->next) {
		if (strlen(d->name) == n && !memcmp(d->name, name, n)) {
			*pp = d->next;
			free(d->name);
			free(d->value);
			free(d);
			return;
		}
	}
}

void lex_defs_free(struct lexer *lx)
{
	unsigned i;

	for (i = 0; i < LEX_DEF_BUCKETS; i++) {
		struct lex_def *d, *next;

		for (d = lx->defs[i]; d; d = next) {
			next = d->next;
			free(d->name);
			free(d->value);
			free(d);
		}
		lx->defs[i] = NULL;
	}
}

/* Length of "$NAME=" (after "@id " when skip_id) at the start of s[0..n),
 * 0 when it is not one; *ret_name is the offset of NAME. */
static size_t lex_def_head(const char *s, size_t n, bool skip_id, size_t *ret_name)
{
	size_t i = lex_skip_ws(s, 0, n), b;

	if (skip_id && i < n && s[i] == '@') {
		while (i < n && !lex_ws(s[i]))
			i++;
		i = lex_skip_ws(s, i, n);
	}
	if (i + 1 >= n || s[i] != '$' || !lex_name_start(s[i + 1]))
		return 0;
	b = ++i;
	while (i < n && lex_name_char(s[i]))
		i++;
	if (i >= n || s[i] != '=')
		return 0;
	*ret_name = b;
	return i + 1;
}

bool lex_is_definition(const char *p, size_t n)
{
	size_t name;

	return lex_def_head(p, n, true, &name) != 0;
}

/* ---- expansion ---- */

static int lex_expand(struct lexer *lx, struct lex_buf *out, const char *s, size_t n,
		      unsigned depth, bool *in_q);

static bool lex_parse_ll(const char *s, size_t n, long long *ret)
{
	char buf[32], *end;
	long long v;

	while (n && lex_ws(*s)) {
		s++;
		n--;
	}
	while (n && lex_ws(s[n - 1]))
		n--;
	if (!n || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || *end)
		return false;
	*ret = v;
	return true;
}

static uint64_t lex_random(struct lexer *lx)
{
	uint64_t x = lx->rand;	/* xorshift64* */

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	lx->rand = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* Next word of s[*i..n); false at the end. */
static bool lex_arg(const char *s, size_t n, size_t *i, const char **ret, size_t *ret_len)
{
	size_t b = lex_skip_ws(s, *i, n), e = b;

	while (e < n && !lex_ws(s[e]))
		e++;
	*i = e;
	if (e == b)
		return false;
	*ret = s + b;
	*ret_len = e - b;
	return true;
}

static int lex_builtin(struct lexer *lx, struct lex_buf *out, enum lex_builtin bi,
		       const char *args, size_t alen)
{
	long long lo = 0, hi = LEX_RANDOM_MAX;
	const char *a, *v;
	char *tmp, num[32];
	size_t i = 0, al;
	int r;

	switch (bi) {
	case LEX_BI_PWD:
		tmp = realpath(lx->src->dir[0] ? lx->src->dir : ".", NULL);
		v = tmp ? tmp : lx->src->dir;
		r = lex_buf_add(out, v, strlen(v));
		free(tmp);
		return r;
	case LEX_BI_INSTANCE:
		return 0;
	case LEX_BI_HASH:
		return lex_buf_add(out, "#", 1);
	case LEX_BI_BANG:
		return lex_buf_add(out, "!", 1);
	case LEX_BI_ENV:
		if (!lex_arg(args, alen, &i, &a, &al))
			return 0;
		tmp = lex_xstrndup(a, al);
		v = getenv(tmp);
		free(tmp);
		return v ? lex_buf_add(out, v, strlen(v)) : 0;
	case LEX_BI_RANDOM:
		if (lex_arg(args, alen, &i, &a, &al) && !lex_parse_ll(a, al, &lo))
			goto bad;
		if (lex_arg(args, alen, &i, &a, &al) && !lex_parse_ll(a, al, &hi))
			goto bad;
		if (lo > hi)
			goto bad;
		snprintf(num, sizeof(num), "%lld",
			 (long long)((uint64_t)lo +
				     ((uint64_t)hi - (uint64_t)lo == UINT64_MAX ? lex_random(lx) :
				      lex_random(lx) % ((uint64_t)hi - (uint64_t)lo + 1))));
		return lex_buf_add(out, num, strlen(num));
	case LEX_BI__COUNT:
		break;
	}
	return -ENOENT;
bad:
	lex_error(lx, "${_RANDOM [min [max]]}: invalid range '%.*s'", lex_show(alen), args);
	return -EINVAL;
}

/*
 * Appends the value of NAME (with args for ${NAME args}) to out.
 * -ENOENT when NAME is not defined.
 */
static int lex_subst(struct lexer *lx, struct lex_buf *out, const char *name, size_t n,
		     const char *args, size_t alen, unsigned depth)
{
	const struct lex_def *d;
	bool q = false;
	unsigned bi;

	if (lex_work(lx, LEX_SUBST_COST) < 0)
		return -EINVAL;
	for (bi = 0; bi < LEX_BI__COUNT; bi++)
		if (strlen(lex_builtin_names[bi]) == n && !memcmp(lex_builtin_names[bi], name, n))
			return lex_builtin(lx, out, bi, args, alen);
	d = lex_def_find(lx, name, n);
	if (!d)
		return -ENOENT;
	if (depth >= LEX_MAX_EXPAND_DEPTH) {
		lex_error(lx, "$%.*s: definitions nested deeper than %u levels (a loop?)",
			  lex_show(n), name, LEX_MAX_EXPAND_DEPTH);
		return -EINVAL;
	}
	return lex_expand(lx, out, d->value, d->len, depth + 1, &q);
}

/* One reference at s[0..n) (s[0] is '$'); *ret_used is its length, 0
 * when it is a plain "$". */
static int lex_ref(struct lexer *lx, struct lex_buf *out, const char *s, size_t n,
		   unsigned depth, bool in_q, size_t *ret_used)
{
	struct lex_buf inner = { .max = out->max };
	const char *name, *args = "";
	size_t used, nlen, alen = 0, j;
	bool iq = false;
	int r;

	*ret_used = 0;
	if (n > 1 && s[1] == '{') {
		unsigned lvl = 1, top = 1;

		for (j = 2; j < n; j++) {
			if (s[j] == '{' && ++lvl > top)
				top = lvl;
			else if (s[j] == '}' && !--lvl)
				break;
		}
		if (j >= n)
			return 0;	/* no closing brace: a plain "$" */
		used = j + 1;
		if (top > LEX_MAX_EXPAND_DEPTH) {
			/* bounds the recursion below */
			lex_error(lx, "${...} nested deeper than %u levels", LEX_MAX_EXPAND_DEPTH);
			return -EINVAL;
		}
		r = lex_expand(lx, &inner, s + 2, j - 2, depth, &iq);
		if (r < 0)
			goto out;
		name = inner.s ? inner.s : "";
		j = lex_skip_ws(name, 0, inner.len);
		name += j;
		for (nlen = 0; j + nlen < inner.len && !lex_ws(name[nlen]); nlen++)
			;
		args = name + nlen;
		alen = inner.len - j - nlen;
	} else if (n > 1 && lex_name_start(s[1])) {
		for (j = 1; j < n && lex_name_char(s[j]); j++)
			;
		used = j;
		name = s + 1;
		nlen = j - 1;
	} else {
		return 0;
	}
	r = lex_subst(lx, out, name, nlen, args, alen, depth);
	if (r == -ENOENT) {
		if (in_q) {
			/* "...$x..." in quotes is often meant for a script's shell */
			r = lex_buf_add(out, s, used);
		} else {
			lex_error(lx, "undefined variable $%.*s", lex_show(nlen), name);
			r = -EINVAL;
		}
	}
	if (r == 0)
		*ret_used = used;
out:
	free(inner.s);
	return r;
}

/* Appends s[0..n) with every reference replaced. 0, -E2BIG (too long, not
 * reported yet) or -EINVAL (reported). */
static int lex_expand(struct lexer *lx, struct lex_buf *out, const char *s, size_t n,
		      unsigned depth, bool *in_q)
{
	size_t i = 0, lit = 0, used;
	int r;

	while (i < n) {
		if (s[i] == '"')
			*in_q = !*in_q;
		if (s[i] != '$') {
			i++;
			continue;
		}
		r = lex_buf_add(out, s + lit, i - lit);
		if (r < 0)
			return r;
		r = lex_ref(lx, out, s + i, n - i, depth, *in_q, &used);
		if (r < 0)
			return r;
		if (!used) {
			lit = i++;	/* a plain "$" stays */
			continue;
		}
		i += used;
		lit = i;
	}
	return lex_buf_add(out, s + lit, n - lit);
}

/* ---- ~SEQ and ~LST ---- */

/* Next comma-separated field of s[*i..n), trimmed; false at the end. */
static bool lex_field(const char *s, size_t n, size_t *i, const char **ret, size_t *ret_len)
{
	size_t b, e;
	const char *comma;

	if (*i > n)
		return false;
	b = lex_skip_ws(s, *i, n);
	comma = memchr(s + b, ',', n - b);
	e = comma ? (size_t)(comma - s) : n;
	*i = e + 1;
	while (e > b && lex_ws(s[e - 1]))
		e--;
	*ret = s + b;
	*ret_len = e - b;
	return true;
}

static void lex_repeat_run(struct lexer *lx, const char *var, size_t vlen, const char *val,
			   size_t len, const char *rest, size_t rlen, unsigned nest)
{
	lex_def_set(lx, var, vlen, val, len);
	lex_logical(lx, rest, rlen, nest + 1);
}

static int lex_seq(struct lexer *lx, const char *h, size_t hn, size_t i, const char *var,
		   size_t vlen, const char *rest, size_t rlen, unsigned nest)
{
	long long v[3], start = 1, step = 1, end;
	uint64_t count, k, diff, ustep;
	unsigned nv = 0;
	const char *f;
	size_t fl;
	char num[32];

	while (lex_field(h, hn, &i, &f, &fl)) {
		if (nv == 3) {
			lex_error(lx, "~SEQ(var, [start,] [step,] end): too many values");
			return -EINVAL;
		}
		if (!lex_parse_ll(f, fl, &v[nv])) {
			lex_error(lx, "~SEQ: invalid number '%.*s'", lex_show(fl), f);
			return -EINVAL;
		}
		nv++;
	}
	if (!nv) {
		lex_error(lx, "~SEQ(var, [start,] [step,] end): end missing");
		return -EINVAL;
	}
	end = v[nv - 1];
	if (nv >= 2)
		start = v[0];
	if (nv == 3)
		step = v[1];
	if (!step) {
		lex_error(lx, "~SEQ: step must not be 0");
		return -EINVAL;
	}
	if (step > 0 ? start > end : start < end)
		return 0;
	diff = step > 0 ? (uint64_t)end - (uint64_t)start : (uint64_t)start - (uint64_t)end;
	ustep = step > 0 ? (uint64_t)step : -(uint64_t)step;
	if (diff / ustep >= LEX_MAX_REPEAT) {
		lex_error(lx, "~SEQ: more than %u values", LEX_MAX_REPEAT);
		return -EINVAL;
	}
	count = diff / ustep + 1;
	for (k = 0; k < count && !lx->stop; k++) {
		long long val = (long long)((uint64_t)start + k * (uint64_t)step);

		snprintf(num, sizeof(num), "%lld", val);
		lex_repeat_run(lx, var, vlen, num, strlen(num), rest, rlen, nest);
	}
	return 0;
}

static int lex_lst(struct lexer *lx, const char *h, size_t hn, size_t i, const char *var,
		   size_t vlen, const char *rest, size_t rlen, unsigned nest)
{
	size_t j = i, fl;
	unsigned count = 0;
	const char *f;

	while (lex_field(h, hn, &j, &f, &fl))
		if (++count > LEX_MAX_REPEAT) {
			lex_error(lx, "~LST: more than %u values", LEX_MAX_REPEAT);
			return -EINVAL;
		}
	if (!count) {
		lex_error(lx, "~LST(var, value, ...): no value");
		return -EINVAL;
	}
	while (lex_field(h, hn, &i, &f, &fl) && !lx->stop)
		lex_repeat_run(lx, var, vlen, f, fl, rest, rlen, nest);
	return 0;
}

/* s[0..n) starts with "~SEQ(" or "~LST(". */
static void lex_repeat(struct lexer *lx, const char *s, size_t n, unsigned nest)
{
	bool seq = s[1] == 'S', q = false;
	const char *close = memchr(s + 5, ')', n - 5), *var, *rest;
	struct lex_buf h = { .max = n + LEX_MAX_LINE_GROWTH };
	size_t i = 0, vlen, rlen, slen = 0, k;
	const struct lex_def *old;
	char *saved = NULL;
	int r;

	if (nest >= LEX_MAX_LOOP_NEST) {
		lex_error(lx, "~SEQ / ~LST nested deeper than %u levels", LEX_MAX_LOOP_NEST);
		return;
	}
	if (!close) {
		lex_error(lx, "%.4s: ')' missing", s);
		return;
	}
	r = lex_expand(lx, &h, s + 5, (size_t)(close - s) - 5, 0, &q);
	if (r == -E2BIG)
		lex_error(lx, "%.4s: too long after expansion", s);
	if (r < 0 || !lex_field(h.s, h.len, &i, &var, &vlen))
		goto out;
	for (k = 0; k < vlen && lex_name_char(var[k]); k++)
		;
	if (!vlen || k < vlen || !lex_name_start(var[0])) {
		lex_error(lx, "%.4s: invalid variable name '%.*s'", s, lex_show(vlen), var);
		goto out;
	}
	rest = close + 1;
	rlen = n - (size_t)(rest - s);
	k = lex_skip_ws(rest, 0, rlen);
	rest += k;
	rlen -= k;
	old = lex_def_find(lx, var, vlen);
	if (old) {
		saved = lex_xstrndup(old->value, old->len);
		slen = old->len;
	}
	if (seq)
		lex_seq(lx, h.s, h.len, i, var, vlen, rest, rlen, nest);
	else
		lex_lst(lx, h.s, h.len, i, var, vlen, rest, rlen, nest);
	if (saved)
		lex_def_set(lx, var, vlen, saved, slen);
	else
		lex_def_del(lx, var, vlen);
out:
	free(saved);
	free(h.s);
}

/* ---- logical lines ---- */

static void lex_expand_line(struct lexer *lx, const char *s, size_t n)
{
	struct lex_buf out = { .max = n + LEX_MAX_LINE_GROWTH };
	bool q = false;
	int r;

	r = lex_expand(lx, &out, s, n, 0, &q);
	if (r == -E2BIG)
		lex_error(lx, "line longer than %zu bytes after expansion", out.max);
	if (r == 0 && lex_work(lx, out.len) == 0)
		lex_tokens(lx, out.s ? out.s : "", out.len);
	free(out.s);
}

void lex_logical(struct lexer *lx, const char *s, size_t n, unsigned nest)
{
	size_t i, name, b;

	if (lex_work(lx, n + LEX_SUBST_COST) < 0)
		return;
	i = lex_skip_ws(s, 0, n);
	if (i < n && s[i] == '@') {
		bool neg = i + 1 < n && s[i + 1] == '^', match;
		const char *id = lx->config_id;

		b = i + 1 + neg;
		for (i = b; i < n && !lex_ws(s[i]); i++)
			;
		match = strlen(id) == i - b && !memcmp(id, s + b, i - b);
		if (match == neg)
			return;
		i = lex_skip_ws(s, i, n);
	}
	s += i;
	n -= i;
	if (!n)
		return;
	b = lex_def_head(s, n, false, &name);
	if (b) {
		size_t v = lex_skip_ws(s, b, n);

		lex_def_set(lx, s + name, b - 1 - name, s + v, n - v);
		return;
	}
	if (n >= 5 && (!memcmp(s, "~SEQ(", 5) || !memcmp(s, "~LST(", 5))) {
		lex_repeat(lx, s, n, nest);
		return;
	}
	lex_expand_line(lx, s, n);
}
