// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Keyword tables of the health checkers a real_server may hold: HTTP_GET,
 * SSL_GET (with their url blocks), TCP_CHECK, MISC_CHECK, SMTP_CHECK,
 * DNS_CHECK, UDP_CHECK, PING_CHECK, FILE_CHECK and BFD_CHECK (kept, not
 * run). All share struct cfg_checker; the type-specific part is a union.
 * Pure: libc only.
 */
#define ALIVED_CFG_CHECK_INTERNAL
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "alived/cfg_check.h"
#include "config/cfg.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Longest UDP payload / expected reply we accept, in bytes. */
#define CHK_HEX_MAX 65507u

static const char *const chk_names[] = {
	[CFG_CHK_HTTP] = "HTTP_GET",
	[CFG_CHK_SSL] = "SSL_GET",
	[CFG_CHK_TCP] = "TCP_CHECK",
	[CFG_CHK_MISC] = "MISC_CHECK",
	[CFG_CHK_SMTP] = "SMTP_CHECK",
	[CFG_CHK_DNS] = "DNS_CHECK",
	[CFG_CHK_UDP] = "UDP_CHECK",
	[CFG_CHK_PING] = "PING_CHECK",
	[CFG_CHK_FILE] = "FILE_CHECK",
	[CFG_CHK_BFD] = "BFD_CHECK",
};
_Static_assert(ARRAY_SIZE(chk_names) == CFG_CHK__COUNT, "chk_names");

static const char *const dns_type_names[] = {
	[CFG_DNS_A] = "A",	[CFG_DNS_NS] = "NS",	[CFG_DNS_CNAME] = "CNAME",
	[CFG_DNS_SOA] = "SOA",	[CFG_DNS_MX] = "MX",	[CFG_DNS_TXT] = "TXT",
	[CFG_DNS_AAAA] = "AAAA",
};
_Static_assert(ARRAY_SIZE(dns_type_names) == CFG_DNS__COUNT, "dns_type_names");

static const struct cfg_enum_val dns_type_enums[] = {
	{ "A", CFG_DNS_A },	{ "NS", CFG_DNS_NS },	{ "CNAME", CFG_DNS_CNAME },
	{ "SOA", CFG_DNS_SOA },	{ "MX", CFG_DNS_MX },	{ "TXT", CFG_DNS_TXT },
	{ "AAAA", CFG_DNS_AAAA },
	{ NULL, 0 },
};
_Static_assert(ARRAY_SIZE(dns_type_enums) == CFG_DNS__COUNT + 1, "dns_type_enums");

static const struct cfg_enum_val http_proto_enums[] = {
	{ "1.0", CFG_HTTP_10 },
	{ "1.0C", CFG_HTTP_10C },
	{ "1.1", CFG_HTTP_11 },
	{ NULL, 0 },
};
_Static_assert(ARRAY_SIZE(http_proto_enums) == CFG_HTTP__COUNT + 1, "http_proto_enums");

static const char *const regex_opt_names[] = {
	[CFG_RX_ALLOW_EMPTY_CLASS] = "allow_empty_class",
	[CFG_RX_ALT_BSUX] = "alt_bsux",
	[CFG_RX_AUTO_CALLOUT] = "auto_callout",
	[CFG_RX_CASELESS] = "caseless",
	[CFG_RX_DOLLAR_ENDONLY] = "dollar_endonly",
	[CFG_RX_DOTALL] = "dotall",
	[CFG_RX_DUPNAMES] = "dupnames",
	[CFG_RX_EXTENDED] = "extended",
	[CFG_RX_FIRSTLINE] = "firstline",
	[CFG_RX_MATCH_UNSET_BACKREF] = "match_unset_backref",
	[CFG_RX_MULTILINE] = "multiline",
	[CFG_RX_NEVER_UCP] = "never_ucp",
	[CFG_RX_NEVER_UTF] = "never_utf",
	[CFG_RX_NO_AUTO_CAPTURE] = "no_auto_capture",
	[CFG_RX_NO_AUTO_POSSESS] = "no_auto_possess",
	[CFG_RX_NO_DOTSTAR_ANCHOR] = "no_dotstar_anchor",
	[CFG_RX_NO_START_OPTIMIZE] = "no_start_optimize",
	[CFG_RX_UCP] = "ucp",
	[CFG_RX_UNGREEDY] = "ungreedy",
	[CFG_RX_UTF] = "utf",
	[CFG_RX_NEVER_BACKSLASH_C] = "never_backslash_c",
	[CFG_RX_ALT_CIRCUMFLEX] = "alt_circumflex",
	[CFG_RX_ALT_VERBNAMES] = "alt_verbnames",
	[CFG_RX_USE_OFFSET_LIMIT] = "use_offset_limit",
};
_Static_assert(ARRAY_SIZE(regex_opt_names) == CFG_RX__COUNT, "regex_opt_names");
_Static_assert(CFG_RX__COUNT <= 32, "regex_options is a uint32_t");

const char *cfg_chk_type_name(enum cfg_chk_type t)
{
	return (unsigned)t < CFG_CHK__COUNT ? chk_names[t] : "?";
}

const char *cfg_dns_type_name(enum cfg_dns_type t)
{
	return (unsigned)t < CFG_DNS__COUNT ? dns_type_names[t] : "?";
}

void cfg_chk_timing_init(struct cfg_chk_timing *t)
{
	t->delay_loop_us = CFG_UNSET_U64;
	t->connect_timeout_us = CFG_UNSET_U64;
	t->delay_before_retry_us = CFG_UNSET_U64;
	t->warmup_us = CFG_UNSET_U64;
	t->retry = CFG_UNSET_U32;
	t->alpha = CFG_TRI_UNSET;
}

static void put_repeat_warning(struct cfg_ctx *ctx, const struct cfg_node *n)
{
	cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line, "%s given twice; the last one wins",
		 n->kw);
}

/* A command line or pattern: the arguments joined with single spaces;
 * printed as one (quoted) word so keepalived reads it the same way. */
static int joined_parse(struct cfg_ctx *ctx, char **f, const struct cfg_node *n)
{
	size_t len = 1, l;
	unsigned i;
	char *s, *p;

	if (cfg_want_args(ctx, n, 1, UINT_MAX) < 0)
		return -EINVAL;
	for (i = 0; i < n->nargs; i++)
		len += strlen(n->args[i]) + 1;
	s = p = cfg_zalloc(len);
	for (i = 0; i < n->nargs; i++) {
		l = strlen(n->args[i]);
		if (i)
			*p++ = ' ';
		memcpy(p, n->args[i], l);
		p += l;
	}
	if (*f)
		put_repeat_warning(ctx, n);
	free(*f);
	*f = s;
	return 0;
}

static void joined_dump(FILE *out, const char *s, const char *kw, int indent)
{
	if (!s)
		return;
	cfg_indent(out, indent);
	fprintf(out, "%s ", kw);
	cfg_put_word(out, s);
	fputc('\n', out);
}

/* ---- url { } ---- */

static void url_init(void *obj)
{
	struct cfg_url *u = obj;

	u->regex_max_offset = CFG_UNSET_U64;
}

static int url_head(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_url *u = obj;

	u->file = n->file;
	u->line = n->line;
	return cfg_want_args(ctx, n, 0, 0);
}

static int url_digest_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_url *u = obj;
	const char *s;
	size_t i, len;

	if (cfg_want_args(ctx, n, 1, 1) < 0)
		return -EINVAL;
	s = n->args[0];
	len = strlen(s);
	for (i = 0; i < len && isxdigit((unsigned char)s[i]); i++)
		;
	if (len != 32 || i != len) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "digest %s: must be 32 hexadecimal digits (an MD5 sum), not %zu "
			 "characters", s, len);
		return -EINVAL;
	}
	if (u->digest)
		put_repeat_warning(ctx, n);
	free(u->digest);
	u->digest = cfg_strdup(s);
	for (i = 0; i < len; i++)
		u->digest[i] = (char)tolower((unsigned char)u->digest[i]);
	return 0;
}

static void url_digest_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_url *u = obj;

	if (!u->digest)
		return;
	cfg_indent(out, indent);
	fprintf(out, "digest %s\n", u->digest);
}

/* "N" or "N-M", 100..599 each. */
static int status_one(struct cfg_ctx *ctx, const struct cfg_node *n, const char *s,
		      struct cfg_http_status *ret)
{
	unsigned long lo, hi;
	char *end;

	errno = 0;
	lo = strtoul(s, &end, 10);
	hi = lo;
	if (end != s && *end == '-') {
		const char *h = end + 1;

		hi = strtoul(h, &end, 10);
		if (end == h)
			goto bad;
	}
	if (end == s || *end || errno || !isdigit((unsigned char)*s))
		goto bad;
	if (lo < 100 || lo > 599 || hi < 100 || hi > 599) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "status_code %s: must be within 100..599", s);
		return -EINVAL;
	}
	if (hi < lo) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "status_code %s: range ends before it starts", s);
		return -EINVAL;
	}
	ret->lo = (uint16_t)lo;
	ret->hi = (uint16_t)hi;
	return 0;
bad:
	cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
		 "status_code %s: must be a code or a range like 200-299", s);
	return -EINVAL;
}

static int url_status_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_url *u = obj;
	struct cfg_http_status *v;
	unsigned i;

	if (cfg_want_args(ctx, n, 1, UINT_MAX) < 0)
		return -EINVAL;
	v = cfg_zalloc(n->nargs * sizeof(*v));
	for (i = 0; i < n->nargs; i++) {
		if (status_one(ctx, n, n->args[i], &v[i]) < 0) {
			free(v);
			return -EINVAL;
		}
	}
	if (u->status)
		put_repeat_warning(ctx, n);
	free(u->status);
	u->status = v;
	u->n_status = n->nargs;
	return 0;
}

static void url_status_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_url *u = obj;
	size_t i;

	if (!u->n_status)
		return;
	cfg_indent(out, indent);
	fputs("status_code", out);
	for (i = 0; i < u->n_status; i++) {
		if (u->status[i].lo == u->status[i].hi)
			fprintf(out, " %u", (unsigned)u->status[i].lo);
		else
			fprintf(out, " %u-%u", (unsigned)u->status[i].lo,
				(unsigned)u->status[i].hi);
	}
	fputc('\n', out);
}

static int url_rxopt_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_url *u = obj;
	uint32_t mask = 0;
	unsigned i, j;

	if (cfg_want_args(ctx, n, 1, UINT_MAX) < 0)
		return -EINVAL;
	for (i = 0; i < n->nargs; i++) {
		for (j = 0; j < CFG_RX__COUNT && strcmp(n->args[i], regex_opt_names[j]); j++)
			;
		if (j == CFG_RX__COUNT) {
			cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
				 "regex_options %s: unknown option (see pcre2api for the names)",
				 n->args[i]);
			return -EINVAL;
		}
		mask |= UINT32_C(1) << j;
	}
	u->regex_options |= mask;
	return 0;
}

static void url_rxopt_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_url *u = obj;
	unsigned j;

	if (!u->regex_options)
		return;
	cfg_indent(out, indent);
	fputs("regex_options", out);
	for (j = 0; j < CFG_RX__COUNT; j++)
		if (u->regex_options & (UINT32_C(1) << j))
			fprintf(out, " %s", regex_opt_names[j]);
	fputc('\n', out);
}

static int url_rxstack_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_url *u = obj;
	uint64_t start, max;

	if (cfg_want_args(ctx, n, 2, 2) < 0 ||
	    cfg_get_uint(ctx, n, n->args[0], 1, UINT32_MAX, &start) < 0 ||
	    cfg_get_uint(ctx, n, n->args[1], 1, UINT32_MAX, &max) < 0)
		return -EINVAL;
	if (start > max) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "regex_stack %s %s: the start size is above the maximum", n->args[0],
			 n->args[1]);
		return -EINVAL;
	}
	u->regex_stack_start = start;
	u->regex_stack_max = max;
	return 0;
}

static void url_rxstack_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_url *u = obj;

	if (!u->regex_stack_max)
		return;
	cfg_indent(out, indent);
	fprintf(out, "regex_stack %" PRIu64 " %" PRIu64 "\n", u->regex_stack_start,
		u->regex_stack_max);
}

static int url_regex_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return joined_parse(ctx, &((struct cfg_url *)obj)->regex, n);
}

static void url_regex_dump(FILE *out, const void *obj, int indent)
{
	joined_dump(out, ((const struct cfg_url *)obj)->regex, "regex", indent);
}

static void url_free_extra(void *obj)
{
	struct cfg_url *u = obj;

	free(u->regex);
	u->regex = NULL;
	free(u->digest);
	free(u->status);
	u->digest = NULL;
	u->status = NULL;
	u->n_status = 0;
}

static const struct cfg_kw url_kws[] = {
	{ .name = "path", .type = CFG_T_STR, CFG_FIELD(struct cfg_url, path) },
	{ .name = "digest", .type = CFG_T_FUNC, .parse = url_digest_parse,
	  .dump = url_digest_dump },
	{ .name = "status_code", .type = CFG_T_FUNC, .parse = url_status_parse,
	  .dump = url_status_dump },
	{ .name = "virtualhost", .type = CFG_T_STR, CFG_FIELD(struct cfg_url, virtualhost) },
	{ .name = "regex", .type = CFG_T_FUNC, .parse = url_regex_parse, .dump = url_regex_dump },
	{ .name = "regex_no_match", .type = CFG_T_FLAG,
	  CFG_FIELD(struct cfg_url, regex_no_match) },
	{ .name = "regex_options", .type = CFG_T_FUNC, .parse = url_rxopt_parse,
	  .dump = url_rxopt_dump },
	{ .name = "regex_stack", .type = CFG_T_FUNC, .parse = url_rxstack_parse,
	  .dump = url_rxstack_dump },
	{ .name = "regex_min_offset", .type = CFG_T_UINT,
	  CFG_FIELD(struct cfg_url, regex_min_offset), .min = 0, .max = INT64_MAX },
	{ .name = "regex_max_offset", .type = CFG_T_UINT,
	  CFG_FIELD(struct cfg_url, regex_max_offset), .min = 0, .max = INT64_MAX },
	{ .name = NULL },
};

static const struct cfg_block url_block = {
	.name = "url",
	.size = sizeof(struct cfg_url),
	.next_off = offsetof(struct cfg_url, next),
	.init = url_init,
	.head = url_head,
	.free_extra = url_free_extra,
	.kws = url_kws,
};

/* ---- SMTP_CHECK host { } ---- */

#define CHK_CONN_KWS(T, m)                                                              \
	{ .name = "connect_ip", .type = CFG_T_ADDR, CFG_FIELD(T, m.connect_ip) },         \
	{ .name = "connect_port", .type = CFG_T_UINT, CFG_FIELD(T, m.connect_port),       \
	  .min = 1, .max = 65535 },                                                       \
	{ .name = "bindto", .type = CFG_T_ADDR, CFG_FIELD(T, m.bindto) },                 \
	{ .name = "bind_port", .type = CFG_T_UINT, CFG_FIELD(T, m.bind_port), .min = 1,   \
	  .max = 65535 },                                                                 \
	{ .name = "bind_if", .type = CFG_T_STR, CFG_FIELD(T, m.bind_if) },                \
	{ .name = "fwmark", .type = CFG_T_UINT, CFG_FIELD(T, m.fwmark), .min = 1,         \
	  .max = UINT32_MAX }

static int host_head(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_chk_host *h = obj;

	h->file = n->file;
	h->line = n->line;
	return cfg_want_args(ctx, n, 0, 0);
}

static const struct cfg_kw host_kws[] = {
	CHK_CONN_KWS(struct cfg_chk_host, conn),
	{ .name = NULL },
};

static const struct cfg_block host_block = {
	.name = "host",
	.size = sizeof(struct cfg_chk_host),
	.next_off = offsetof(struct cfg_chk_host, next),
	.head = host_head,
	.kws = host_kws,
};

/* ---- hex strings (UDP_CHECK) ---- */

static int hex_nibble(char c, bool allow_x, uint8_t *ret_v, uint8_t *ret_m)
{
	if (isxdigit((unsigned char)c)) {
		*ret_v = (uint8_t)(isdigit((unsigned char)c) ? c - '0' :
					tolower((unsigned char)c) - 'a' + 10);
		*ret_m = 0xf;
		return 0;
	}
	if (allow_x && (c == 'x' || c == 'X')) {
		*ret_v = 0;
		*ret_m = 0;
		return 0;
	}
	return -EINVAL;
}

/*
 * Words of hex digits; each word is read two digits a byte from the left,
 * a lone last digit is a byte of its own ("f" = 0x0f). With allow_x, x/X
 * stands for a digit whose value does not matter (mask nibble 0).
 */
static int hex_parse(struct cfg_ctx *ctx, const struct cfg_node *n, bool allow_x,
		     uint8_t **ret_v, uint8_t **ret_m, size_t *ret_len)
{
	size_t total = 0, k = 0, l, j;
	uint8_t *v, *m, hv, hm, lv, lm;
	unsigned i;

	for (i = 0; i < n->nargs; i++)
		total += (strlen(n->args[i]) + 1) / 2;
	if (total > CHK_HEX_MAX) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "%s: longer than %u bytes", n->kw, CHK_HEX_MAX);
		return -EINVAL;
	}
	v = cfg_zalloc(total);
	m = cfg_zalloc(total);
	for (i = 0; i < n->nargs; i++) {
		const char *w = n->args[i];

		l = strlen(w);
		for (j = 0; j < l; j += 2) {
			hv = 0;
			hm = 0xf;
			if (j + 1 < l) {
				if (hex_nibble(w[j], allow_x, &hv, &hm) < 0 ||
				    hex_nibble(w[j + 1], allow_x, &lv, &lm) < 0)
					goto bad;
			} else if (hex_nibble(w[j], allow_x, &lv, &lm) < 0) {
				goto bad;
			}
			v[k] = (uint8_t)(hv << 4 | lv);
			m[k++] = (uint8_t)(hm << 4 | lm);
		}
	}
	*ret_v = v;
	*ret_len = total;
	if (ret_m)
		*ret_m = m;
	else
		free(m);
	return 0;
bad:
	cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
		 "%s %s: not a hex string%s", n->kw, n->args[i],
		 allow_x ? " (digits 0-9 a-f, x for any)" : "");
	free(v);
	free(m);
	return -EINVAL;
}

static void hex_dump(FILE *out, const uint8_t *v, const uint8_t *m, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		fputc(m && !(m[i] & 0xf0) ? 'x' : digits[v[i] >> 4], out);
		fputc(m && !(m[i] & 0x0f) ? 'x' : digits[v[i] & 0xf], out);
	}
}

static int udp_payload_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_chk_udp *u = &((struct cfg_checker *)obj)->u.udp;
	uint8_t *v;
	size_t len;

	if (cfg_want_args(ctx, n, 1, UINT_MAX) < 0 || hex_parse(ctx, n, false, &v, NULL, &len))
		return -EINVAL;
	if (u->payload)
		put_repeat_warning(ctx, n);
	free(u->payload);
	u->payload = v;
	u->payload_len = len;
	return 0;
}

static void udp_payload_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_chk_udp *u = &((const struct cfg_checker *)obj)->u.udp;

	if (!u->payload_len)
		return;
	cfg_indent(out, indent);
	fputs("payload ", out);
	hex_dump(out, u->payload, NULL, u->payload_len);
	fputc('\n', out);
}

static int udp_reply_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_chk_udp *u = &((struct cfg_checker *)obj)->u.udp;
	uint8_t *v = NULL, *m = NULL;
	size_t len = 0;

	if (n->nargs && hex_parse(ctx, n, true, &v, &m, &len) < 0)
		return -EINVAL;
	if (u->require_reply)
		put_repeat_warning(ctx, n);
	free(u->reply);
	free(u->reply_mask);
	u->require_reply = true;
	u->reply = v;
	u->reply_mask = m;
	u->reply_len = len;
	return 0;
}

static void udp_reply_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_chk_udp *u = &((const struct cfg_checker *)obj)->u.udp;

	if (!u->require_reply)
		return;
	cfg_indent(out, indent);
	fputs("require_reply", out);
	if (u->reply_len) {
		fputc(' ', out);
		hex_dump(out, u->reply, u->reply_mask, u->reply_len);
	}
	fputc('\n', out);
}

/* ---- MISC_CHECK user, FILE_CHECK weight ---- */

static int misc_user_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_chk_misc *m = &((struct cfg_checker *)obj)->u.misc;

	if (cfg_want_args(ctx, n, 1, 2) < 0)
		return -EINVAL;
	if (m->user)
		put_repeat_warning(ctx, n);
	free(m->user);
	free(m->group);
	m->user = cfg_strdup(n->args[0]);
	m->group = n->nargs > 1 ? cfg_strdup(n->args[1]) : NULL;
	return 0;
}

static int misc_path_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	return joined_parse(ctx, &((struct cfg_checker *)obj)->u.misc.path, n);
}

static void misc_path_dump(FILE *out, const void *obj, int indent)
{
	joined_dump(out, ((const struct cfg_checker *)obj)->u.misc.path, "misc_path", indent);
}

static void misc_user_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_chk_misc *m = &((const struct cfg_checker *)obj)->u.misc;

	if (!m->user)
		return;
	cfg_indent(out, indent);
	fputs("user ", out);
	cfg_put_word(out, m->user);
	if (m->group) {
		fputc(' ', out);
		cfg_put_word(out, m->group);
	}
	fputc('\n', out);
}

static int file_weight_parse(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_chk_file *f = &((struct cfg_checker *)obj)->u.file;
	int64_t w;

	if (cfg_want_args(ctx, n, 1, 2) < 0 ||
	    cfg_get_int(ctx, n, n->args[0], -INT32_MAX, INT32_MAX, &w) < 0)
		return -EINVAL;
	if (n->nargs == 2 && strcmp(n->args[1], "reverse")) {
		cfg_diag(ctx->diags, CFG_SEV_ERROR, n->file, n->line,
			 "weight %s %s: only 'reverse' may follow the weight", n->args[0],
			 n->args[1]);
		return -EINVAL;
	}
	f->weight = (int32_t)w;
	f->reverse = n->nargs == 2;
	return 0;
}

static void file_weight_dump(FILE *out, const void *obj, int indent)
{
	const struct cfg_chk_file *f = &((const struct cfg_checker *)obj)->u.file;

	if (f->weight == 1 && !f->reverse)
		return;
	cfg_indent(out, indent);
	fprintf(out, "weight %" PRId32 "%s\n", f->weight, f->reverse ? " reverse" : "");
}

/* ---- the checker blocks ---- */

static void chk_init(struct cfg_checker *c, enum cfg_chk_type type)
{
	c->type = type;
	cfg_chk_timing_init(&c->t);
	switch (type) {
	case CFG_CHK_DNS:
		c->u.dns.type = CFG_DNS_SOA;
		break;
	case CFG_CHK_UDP:
		c->u.udp.max_reply_length = 255;
		break;
	case CFG_CHK_FILE:
		c->u.file.weight = 1;
		break;
	default:
		break;
	}
}

#define CHK_INIT(NAME, TYPE)                    \
	static void NAME(void *obj)             \
	{                                       \
		chk_init(obj, TYPE);            \
	}
CHK_INIT(chk_init_http, CFG_CHK_HTTP)
CHK_INIT(chk_init_ssl, CFG_CHK_SSL)
CHK_INIT(chk_init_tcp, CFG_CHK_TCP)
CHK_INIT(chk_init_misc, CFG_CHK_MISC)
CHK_INIT(chk_init_smtp, CFG_CHK_SMTP)
CHK_INIT(chk_init_dns, CFG_CHK_DNS)
CHK_INIT(chk_init_udp, CFG_CHK_UDP)
CHK_INIT(chk_init_ping, CFG_CHK_PING)
CHK_INIT(chk_init_file, CFG_CHK_FILE)
CHK_INIT(chk_init_bfd, CFG_CHK_BFD)

static int chk_head(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n)
{
	struct cfg_checker *c = obj;

	c->file = n->file;
	c->line = n->line;
	if (c->type == CFG_CHK_BFD)
		cfg_diag(ctx->diags, CFG_SEV_WARN, n->file, n->line,
			 "BFD_CHECK is not supported by alived; the checker is ignored");
	return cfg_want_args(ctx, n, 0, 0);
}

static void chk_free_extra(void *obj)
{
	struct cfg_checker *c = obj;

	switch (c->type) {
	case CFG_CHK_MISC:
		free(c->u.misc.path);
		free(c->u.misc.user);
		free(c->u.misc.group);
		c->u.misc.path = c->u.misc.user = c->u.misc.group = NULL;
		break;
	case CFG_CHK_UDP:
		free(c->u.udp.payload);
		free(c->u.udp.reply);
		free(c->u.udp.reply_mask);
		c->u.udp.payload = c->u.udp.reply = c->u.udp.reply_mask = NULL;
		break;
	default:
		break;
	}
}

CFG_CHK_TRI_FUNCS(chk_alpha, struct cfg_checker, t.alpha, "alpha")

#define CHK_TIMING_KWS                                                                  \
	CFG_CHK_TIMING_KWS(struct cfg_checker, t),                                      \
	{ .name = "alpha", .type = CFG_T_FUNC, .parse = chk_alpha_parse,                \
	  .dump = chk_alpha_dump },                                                     \
	{ .name = "log_all_failures", .type = CFG_T_FLAG,                               \
	  CFG_FIELD(struct cfg_checker, log_all_failures) }

#define CHK_COMMON_KWS CHK_CONN_KWS(struct cfg_checker, conn), CHK_TIMING_KWS

#define CHK_U(sub, member) CFG_FIELD(struct cfg_checker, u.sub.member)

static const struct cfg_kw common_kws[] = {
	CHK_COMMON_KWS,
	{ .name = NULL },
};

static const struct cfg_kw http_kws[] = {
	CHK_COMMON_KWS,
	{ .name = "http_protocol", .type = CFG_T_ENUM, CHK_U(http, http_protocol),
	  .enums = http_proto_enums },
	{ .name = "protocol", .type = CFG_T_ENUM, CHK_U(http, http_protocol),
	  .enums = http_proto_enums, .alias_of = "http_protocol", .flags = CFG_KW_NODUMP },
	{ .name = "virtualhost", .type = CFG_T_STR, CHK_U(http, virtualhost) },
	{ .name = "fast_recovery", .type = CFG_T_FLAG, CHK_U(http, fast_recovery) },
	{ .name = "enable_sni", .type = CFG_T_FLAG, CHK_U(http, enable_sni) },
	{ .name = "tls_compliant", .type = CFG_T_FLAG, CHK_U(http, tls_compliant) },
	{ .name = "url", .type = CFG_T_LIST, .off = offsetof(struct cfg_checker, u.http.urls),
	  .sub = &url_block },
	{ .name = NULL },
};

static const struct cfg_kw misc_kws[] = {
	CHK_TIMING_KWS,
	{ .name = "misc_path", .type = CFG_T_FUNC, .parse = misc_path_parse,
	  .dump = misc_path_dump },
	{ .name = "misc_timeout", .type = CFG_T_FIXED, CHK_U(misc, timeout_us), .min = 1,
	  .max = CFG_CHK_MAX_US, .scale = 1000000 },
	{ .name = "misc_dynamic", .type = CFG_T_FLAG, CHK_U(misc, dynamic) },
	{ .name = "user", .type = CFG_T_FUNC, .parse = misc_user_parse, .dump = misc_user_dump },
	{ .name = NULL },
};

static const struct cfg_kw smtp_kws[] = {
	CHK_COMMON_KWS,
	{ .name = "helo_name", .type = CFG_T_STR, CHK_U(smtp, helo_name) },
	{ .name = "host", .type = CFG_T_LIST, .off = offsetof(struct cfg_checker, u.smtp.hosts),
	  .sub = &host_block },
	{ .name = NULL },
};

static const struct cfg_kw dns_kws[] = {
	CHK_COMMON_KWS,
	{ .name = "type", .type = CFG_T_ENUM, CHK_U(dns, type), .enums = dns_type_enums },
	{ .name = "name", .type = CFG_T_STR, CHK_U(dns, name) },
	{ .name = NULL },
};

static const struct cfg_kw udp_kws[] = {
	CHK_COMMON_KWS,
	{ .name = "payload", .type = CFG_T_FUNC, .parse = udp_payload_parse,
	  .dump = udp_payload_dump },
	{ .name = "require_reply", .type = CFG_T_FUNC, .parse = udp_reply_parse,
	  .dump = udp_reply_dump },
	{ .name = "min_reply_length", .type = CFG_T_UINT, CHK_U(udp, min_reply_length),
	  .min = 0, .max = 65535 },
	{ .name = "max_reply_length", .type = CFG_T_UINT, CHK_U(udp, max_reply_length),
	  .min = 0, .max = 65535 },
	{ .name = NULL },
};

static const struct cfg_kw file_kws[] = {
	{ .name = "track_file", .type = CFG_T_STR, CHK_U(file, track_file) },
	{ .name = "dynamic", .type = CFG_T_FLAG, CHK_U(file, dynamic) },
	{ .name = "weight", .type = CFG_T_FUNC, .parse = file_weight_parse,
	  .dump = file_weight_dump },
	{ .name = NULL },
};

static const struct cfg_kw bfd_kws[] = {
	{ .name = "name", .type = CFG_T_STR, CHK_U(bfd, name) },
	{ .name = NULL },
};

#define CHK_BLOCK(TYPE, NAME, INIT, KWS)                                \
	[TYPE] = {                                                      \
		.name = NAME,                                           \
		.size = sizeof(struct cfg_checker),                     \
		.next_off = offsetof(struct cfg_checker, next),         \
		.init = INIT,                                           \
		.head = chk_head,                                       \
		.free_extra = chk_free_extra,                           \
		.kws = KWS,                                             \
	}

static const struct cfg_block chk_blocks[] = {
	CHK_BLOCK(CFG_CHK_HTTP, "HTTP_GET", chk_init_http, http_kws),
	CHK_BLOCK(CFG_CHK_SSL, "SSL_GET", chk_init_ssl, http_kws),
	CHK_BLOCK(CFG_CHK_TCP, "TCP_CHECK", chk_init_tcp, common_kws),
	CHK_BLOCK(CFG_CHK_MISC, "MISC_CHECK", chk_init_misc, misc_kws),
	CHK_BLOCK(CFG_CHK_SMTP, "SMTP_CHECK", chk_init_smtp, smtp_kws),
	CHK_BLOCK(CFG_CHK_DNS, "DNS_CHECK", chk_init_dns, dns_kws),
	CHK_BLOCK(CFG_CHK_UDP, "UDP_CHECK", chk_init_udp, udp_kws),
	CHK_BLOCK(CFG_CHK_PING, "PING_CHECK", chk_init_ping, common_kws),
	CHK_BLOCK(CFG_CHK_FILE, "FILE_CHECK", chk_init_file, file_kws),
	CHK_BLOCK(CFG_CHK_BFD, "BFD_CHECK", chk_init_bfd, bfd_kws),
};
_Static_assert(ARRAY_SIZE(chk_blocks) == CFG_CHK__COUNT, "chk_blocks");

int cfg_chk_parse(struct cfg_ctx *ctx, struct cfg_checker **head, const struct cfg_node *n)
{
	struct cfg_checker **pp;
	void *c;
	unsigned t;

	for (t = 0; t < CFG_CHK__COUNT && strcmp(n->kw, chk_names[t]); t++)
		;
	if (t == CFG_CHK__COUNT)
		return -EINVAL;	/* not reached: the table lists only the names above */
	if (cfg_parse_new(ctx, &chk_blocks[t], n, &c) < 0)
		return -EINVAL;
	for (pp = head; *pp; pp = &(*pp)->next)
		;
	*pp = c;
	return 0;
}

void cfg_chk_dump_all(FILE *out, const struct cfg_checker *head, int indent)
{
	for (; head; head = head->next)
		if ((unsigned)head->type < CFG_CHK__COUNT)
			cfg_dump_block(out, &chk_blocks[head->type], head, indent);
}

void cfg_chk_free_all(struct cfg_checker *head)
{
	struct cfg_checker *next;

	for (; head; head = next) {
		next = head->next;
		if ((unsigned)head->type < CFG_CHK__COUNT)
			cfg_free_fields(&chk_blocks[head->type], head);
		free(head);
	}
}
