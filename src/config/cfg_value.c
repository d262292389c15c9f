// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Value helpers of the keyword engine: numbers with range checks, decimal
 * fixed-point values, booleans, addresses and ports, plus the small
 * allocation and printing helpers every table uses. Pure: libc only.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/cfg.h"

static void cfg_oom(void)
{
	fputs("alived: out of memory\n", stderr);
	abort();
}

char *cfg_strdup(const char *s)
{
	char *p;

	if (!s)
		return NULL;
	p = strdup(s);
	if (!p)
		cfg_oom();
	return p;
}

void *cfg_zalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		cfg_oom();
	return p;
}

void cfg_indent(FILE *out, int indent)
{
	for (; indent > 0; indent--)
		fputc(' ', out);
}

/* Characters that would change a word's meaning when printed bare. */
static bool cfg_word_special(unsigned char c)
{
	return isspace(c) || c == '"' || c == '{' || c == '}' || c == '!' || c == '#' ||
	       c == '\\' || c == '\'';
}

void cfg_put_word(FILE *out, const char *s)
{
	const unsigned char *p;
	bool quote = !s || !*s;

	if (!s)
		s = "";
	for (p = (const unsigned char *)s; *p && !quote; p++)
		quote = cfg_word_special(*p);
	/* A leading '@' or '~' would be read as a conditional or a macro. */
	if (*s == '@' || *s == '~')
		quote = true;
	if (!quote) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	fputs(s, out);
	fputc('"', out);
}

int cfg_want_args(struct cfg_ctx *ctx, const struct cfg_node *n, unsigned min, unsigned max)
{
	if (n->nargs >= min && n->nargs <= max)
		return 0;
	if (min == max && min == 0)
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "%s takes no arguments",
			 n->kw);
	else if (min == max)
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s takes %u argument%s, got %u", n->kw, min, min == 1 ? "" : "s",
			 n->nargs);
	else if (n->nargs < min)
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s needs at least %u argument%s", n->kw, min, min == 1 ? "" : "s");
	else
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s takes at most %u argument%s, got %u", n->kw, max,
			 max == 1 ? "" : "s", n->nargs);
	return -EINVAL;
}

/* Decimal digits only, no sign; 0 or -ERANGE/-EINVAL. */
static int cfg_parse_u64(const char *s, uint64_t *ret)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*ret = v;
	return 0;
}

int cfg_get_uint(struct cfg_ctx *ctx, const struct cfg_node *n, const char *s, uint64_t min,
		 uint64_t max, uint64_t *ret)
{
	uint64_t v;

	if (cfg_parse_u64(*s == '+' ? s + 1 : s, &v) < 0 || v < min || v > max) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s %s: must be %" PRIu64 "..%" PRIu64, n->kw, s, min, max);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

int cfg_get_int(struct cfg_ctx *ctx, const struct cfg_node *n, const char *s, int64_t min,
		int64_t max, int64_t *ret)
{
	const char *p = s;
	bool neg = false;
	uint64_t u;
	int64_t v = 0;
	int r;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	r = cfg_parse_u64(p, &u);
	if (r == 0 && u > (uint64_t)INT64_MAX + (neg ? 1 : 0))
		r = -ERANGE;
	if (r == 0) {
		if (neg)
			v = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
		else
			v = (int64_t)u;
		if (v < min || v > max)
			r = -ERANGE;
	}
	if (r < 0) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s %s: must be %" PRId64 "..%" PRId64, n->kw, s, min, max);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

/* Number of decimal digits needed to show 1/scale: 100 -> 2. */
static unsigned cfg_scale_digits(unsigned scale)
{
	unsigned d = 0;
	uint64_t p = 1;

	while (p < scale && d < 19) {
		p *= 10;
		d++;
	}
	return d;
}

/*
 * Formats a fixed-point value (stored units) in user units: 150 with scale
 * 100 gives "1.5". Used by the errors and the dump.
 */
static const char *cfg_fixed_fmt(uint64_t v, unsigned scale, char *buf, size_t len)
{
	unsigned digits = cfg_scale_digits(scale ? scale : 1);
	uint64_t frac, p10 = 1;
	unsigned i;
	size_t l;

	if (scale <= 1) {
		snprintf(buf, len, "%" PRIu64, v);
		return buf;
	}
	for (i = 0; i < digits; i++)
		p10 *= 10;
	/* v % scale < scale <= 2^32 and p10 < 10 * scale: no overflow for sane scales */
	frac = (v % scale) * p10 / scale;
	if (!frac) {
		snprintf(buf, len, "%" PRIu64, v / scale);
		return buf;
	}
	snprintf(buf, len, "%" PRIu64 ".%0*" PRIu64, v / scale, (int)digits, frac);
	l = strlen(buf);
	while (l > 0 && buf[l - 1] == '0')
		buf[--l] = '\0';
	return buf;
}

/*
 * Parses "I", "I.F" or ".F" into I * scale + round(0.F * scale). Digits
 * beyond the ninth decimal are ignored; the last kept digit rounds half up.
 */
static int cfg_parse_fixed(const char *s, unsigned scale, uint64_t *ret)
{
	const char *dot = strchr(s, '.');
	uint64_t ip = 0, fp = 0, p10 = 1, v;
	char ibuf[32];
	size_t il = dot ? (size_t)(dot - s) : strlen(s);
	unsigned nd = 0;
	const char *f;

	if (il >= sizeof(ibuf))
		return -ERANGE;
	memcpy(ibuf, s, il);
	ibuf[il] = '\0';
	if (il && cfg_parse_u64(ibuf, &ip) < 0)
		return -EINVAL;
	if (dot) {
		if (!dot[1] && !il)
			return -EINVAL;
		for (f = dot + 1; *f; f++) {
			if (*f < '0' || *f > '9')
				return -EINVAL;
			if (nd < 9) {
				fp = fp * 10 + (uint64_t)(*f - '0');
				p10 *= 10;
				nd++;
			}
		}
	} else if (!il) {
		return -EINVAL;
	}
	if (scale && ip > UINT64_MAX / scale)
		return -ERANGE;
	v = ip * scale;
	/* fp < 10^9, scale < 2^32: the product fits in 64 bits */
	fp = (fp * scale + p10 / 2) / p10;
	if (v > UINT64_MAX - fp)
		return -ERANGE;
	*ret = v + fp;
	return 0;
}

int cfg_get_fixed(struct cfg_ctx *ctx, const struct cfg_node *n, const char *s, unsigned scale,
		  uint64_t min, uint64_t max, uint64_t *ret)
{
	char bmin[48], bmax[48];
	uint64_t v;

	if (!scale)
		scale = 1;
	if (cfg_parse_fixed(*s == '+' ? s + 1 : s, scale, &v) < 0 || v < min || v > max) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line, "%s %s: must be %s..%s",
			 n->kw, s, cfg_fixed_fmt(min, scale, bmin, sizeof(bmin)),
			 cfg_fixed_fmt(max, scale, bmax, sizeof(bmax)));
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

/* Exported for the engine's dump (declared there, not in cfg.h). */
const char *cfg_value_fixed_fmt(uint64_t v, unsigned scale, char *buf, size_t len);
const char *cfg_value_fixed_fmt(uint64_t v, unsigned scale, char *buf, size_t len)
{
	return cfg_fixed_fmt(v, scale, buf, len);
}

int cfg_get_bool(struct cfg_ctx *ctx, const struct cfg_node *n, const char *s, bool *ret)
{
	static const char *const yes[] = { "on", "true", "yes" };
	static const char *const no[] = { "off", "false", "no" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i])) {
			*ret = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*ret = false;
			return 0;
		}
	}
	cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
		 "%s %s: must be on|off|yes|no|true|false", n->kw, s);
	return -EINVAL;
}

int cfg_addr_parse(const char *s, struct cfg_addr *ret)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	struct cfg_addr a;
	size_t l = slash ? (size_t)(slash - s) : strlen(s);
	uint64_t pfx = 0;
	unsigned maxp;

	if (!l || l >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, l);
	buf[l] = '\0';
	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, buf, &a.u.v4) == 1) {
		a.family = AF_INET;
		maxp = 32;
	} else if (strchr(buf, ':') && inet_pton(AF_INET6, buf, &a.u.v6) == 1) {
		a.family = AF_INET6;
		maxp = 128;
	} else {
		return -EINVAL;
	}
	if (slash) {
		if (strlen(slash + 1) > 3 || cfg_parse_u64(slash + 1, &pfx) < 0 || pfx > maxp)
			return -EINVAL;
		a.has_prefix = true;
		a.prefix = (uint8_t)pfx;
	} else {
		a.prefix = (uint8_t)maxp;
	}
	*ret = a;
	return 0;
}

const char *cfg_addr_fmt(const struct cfg_addr *a, char *buf, size_t len)
{
	size_t l;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (a->family != AF_INET && a->family != AF_INET6)
		return buf;
	if (!inet_ntop(a->family, &a->u, buf, (socklen_t)(len > UINT_MAX ? UINT_MAX : len))) {
		buf[0] = '\0';
		return buf;
	}
	l = strlen(buf);
	if (a->has_prefix)
		snprintf(buf + l, len - l, "/%u", (unsigned)a->prefix);
	return buf;
}

bool cfg_addr_equal(const struct cfg_addr *a, const struct cfg_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->has_prefix != b->has_prefix || a->prefix != b->prefix)
		return false;
	if (a->family == AF_INET)
		return a->u.v4.s_addr == b->u.v4.s_addr;
	if (a->family == AF_INET6)
		return !memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6));
	return true;
}

int cfg_get_addr(struct cfg_ctx *ctx, const struct cfg_node *n, const char *s,
		 struct cfg_addr *ret)
{
	if (cfg_addr_parse(s, ret) < 0) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s %s: must be an IPv4 or IPv6 address", n->kw, s);
		return -EINVAL;
	}
	return 0;
}

int cfg_get_port(struct cfg_ctx *ctx, const struct cfg_node *n, const char *s, uint16_t *ret)
{
	uint64_t v;

	if (cfg_get_uint(ctx, n, s, 1, 65535, &v) < 0)
		return -EINVAL;
	*ret = (uint16_t)v;
	return 0;
}
