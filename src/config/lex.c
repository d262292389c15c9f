/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * keepalived.conf tokenizer. Text flows through these steps:
 *
 *   file -> physical lines (NUL check, comments cut, "\" joins)
 *        -> logical line: "@id" filter, "$NAME=value", "~SEQ(" / "~LST("
 *        -> $NAME / ${NAME} expansion (lex_expand.c)
 *        -> words and braces -> statement tree ("include" recurses here)
 *
 * All state lives in struct lexer (no globals). What the result keeps sits
 * in the tree's arena. Hostile input is bounded by the LEX_MAX_* limits in
 * lex_int.h: past them lexing stops with an error, never a crash.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config/lex.h"
#include "config/lex_int.h"

struct lex_chunk {
	struct lex_chunk *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

struct lex_name {
	struct lex_name *next;
	const char *s;
};

struct cfg_tree {
	struct lex_chunk *chunks;
	size_t bytes;			/* sum of chunk sizes */
	struct cfg_node *top;
	struct lex_name *names;		/* interned file names */
};

/* ---- memory ---- */

void *lex_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

void *lex_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

char *lex_xstrndup(const char *s, size_t n)
{
	char *p = lex_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int lex_buf_add(struct lex_buf *b, const char *s, size_t n)
{
	if (n > b->max - b->len)
		return -E2BIG;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = lex_xrealloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/* Zeroed memory owned by the tree; NULL past LEX_MAX_TREE_BYTES. */
static void *tree_alloc(struct cfg_tree *t, size_t n)
{
	const size_t align = _Alignof(max_align_t);
	struct lex_chunk *c = t->chunks;
	void *p;

	if (n > LEX_MAX_TREE_BYTES)
		return NULL;
	n = n ? (n + align - 1) & ~(align - 1) : align;
	if (!c || c->size - c->used < n) {
		size_t size = n > LEX_CHUNK_BYTES / 4 ? n : LEX_CHUNK_BYTES;

		if (size > LEX_MAX_TREE_BYTES - t->bytes)
			return NULL;
		c = lex_xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		if (t->chunks && size != LEX_CHUNK_BYTES) {
			/* a big item: keep the current chunk for small ones */
			c->next = t->chunks->next;
			t->chunks->next = c;
		} else {
			c->next = t->chunks;
			t->chunks = c;
		}
		t->bytes += size;
	}
	p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

void *lex_alloc(struct lexer *lx, size_t n)
{
	void *p = tree_alloc(lx->tree, n);

	if (!p)
		lex_fatal(lx, "configuration too large (more than %zu MiB in memory)",
			  LEX_MAX_TREE_BYTES >> 20);
	return p;
}

static const char *lex_intern(struct lexer *lx, const char *s)
{
	struct lex_name *n;
	size_t len = strlen(s);
	char *copy;

	for (n = lx->tree->names; n; n = n->next)
		if (!strcmp(n->s, s))
			return n->s;
	n = lex_alloc(lx, sizeof(*n));
	copy = n ? lex_alloc(lx, len + 1) : NULL;
	if (!copy)
		return NULL;
	memcpy(copy, s, len + 1);
	n->s = copy;
	n->next = lx->tree->names;
	lx->tree->names = n;
	return copy;
}

/* ---- diagnostics ---- */

static void lex_vdiag(struct lexer *lx, enum cfg_sev sev, const char *file, unsigned line,
		      const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
static void lex_vdiag(struct lexer *lx, enum cfg_sev sev, const char *file, unsigned line,
		      const char *fmt, va_list ap)
{
	char *msg;

	if (!lx->diags || lx->ndiags >= LEX_MAX_DIAGS)
		return;
	if (++lx->ndiags == LEX_MAX_DIAGS) {
		cfg_diag(lx->diags, CFG_SEV_ERROR, file, line, "too many problems, giving up");
		lx->stop = true;
		return;
	}
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	cfg_diag(lx->diags, sev, file, line, "%s", msg);
	free(msg);
}

void lex_diag(struct lexer *lx, enum cfg_sev sev, const char *file, unsigned line,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lex_vdiag(lx, sev, file, line, fmt, ap);
	va_end(ap);
}

void lex_error(struct lexer *lx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lex_vdiag(lx, CFG_SEV_ERROR, lx->src ? lx->src->file : NULL, lx->cur_line, fmt, ap);
	va_end(ap);
}

void lex_fatal(struct lexer *lx, const char *fmt, ...)
{
	va_list ap;

	if (lx->stop)
		return;
	va_start(ap, fmt);
	lex_vdiag(lx, CFG_SEV_ERROR, lx->src ? lx->src->file : NULL, lx->cur_line, fmt, ap);
	va_end(ap);
	lx->stop = true;
}

int lex_work(struct lexer *lx, size_t n)
{
	if (lx->stop)
		return -E2BIG;
	if (n > LEX_MAX_WORK_BYTES - lx->work) {
		lex_fatal(lx, "configuration too large (more than %zu MiB after expansion)",
			  LEX_MAX_WORK_BYTES >> 20);
		return -E2BIG;
	}
	lx->work += n;
	return 0;
}

/* ---- statement tree ---- */

static void lex_include(struct lexer *lx);

static struct cfg_node *lex_node(struct lexer *lx)
{
	struct cfg_node *n = lex_alloc(lx, sizeof(*n));
	size_t na = (size_t)lx->st_nargs + 1;
	char **args = n ? lex_alloc(lx, na * sizeof(*args)) : NULL;
	bool *quoted = args ? lex_alloc(lx, na * sizeof(*quoted)) : NULL;

	if (!quoted)
		return NULL;
	if (lx->st_nargs) {
		memcpy(args, lx->st_args, lx->st_nargs * sizeof(*args));
		memcpy(quoted, lx->st_quoted, lx->st_nargs * sizeof(*quoted));
	}
	n->kw = lx->st_kw;
	n->args = args;
	n->nargs = lx->st_nargs;
	n->quoted = quoted;
	n->file = lx->st_file;
	n->line = lx->st_line;
	*lx->tail = n;
	lx->tail = &n->next;
	lx->last = n;
	return n;
}

static bool lex_st_is_include(const struct lexer *lx)
{
	return lx->st_active && !lx->st_kw_quoted && !strcmp(lx->st_kw, "include");
}

/* Ends the statement being collected: a node, or an include run in place. */
static struct cfg_node *lex_st_end(struct lexer *lx)
{
	if (!lx->st_active)
		return NULL;
	if (lex_st_is_include(lx)) {
		lex_include(lx);
		lx->st_active = false;
		return NULL;
	}
	lx->st_active = false;
	return lex_node(lx);
}

static void lex_word(struct lexer *lx, char *w, bool quoted)
{
	if (!lx->st_active) {
		lx->st_active = true;
		lx->st_kw = w;
		lx->st_kw_quoted = quoted;
		lx->st_nargs = 0;
		lx->st_file = lx->src->file;
		lx->st_line = lx->cur_line;
		return;
	}
	if (lx->st_nargs == lx->st_cap) {
		lx->st_cap = lx->st_cap ? lx->st_cap * 2 : 8;
		lx->st_args = lex_xrealloc(lx->st_args, lx->st_cap * sizeof(*lx->st_args));
		lx->st_quoted = lex_xrealloc(lx->st_quoted, lx->st_cap * sizeof(*lx->st_quoted));
	}
	lx->st_args[lx->st_nargs] = w;
	lx->st_quoted[lx->st_nargs] = quoted;
	lx->st_nargs++;
}

static void lex_open(struct lexer *lx)
{
	struct lex_frame *f;
	struct cfg_node *n = NULL;

	if (lx->st_active) {
		bool inc = lex_st_is_include(lx);

		n = lex_st_end(lx);
		if (inc)
			lex_error(lx, "include does not open a block");
	} else if (lx->last && !lx->last->block) {
		n = lx->last;		/* "{" alone on the line after the keyword */
	} else {
		lex_error(lx, "unexpected {");
	}
	if (lx->stop)
		return;
	if (lx->nframes == LEX_MAX_BLOCK_NEST) {
		lex_fatal(lx, "blocks nested deeper than %u levels", LEX_MAX_BLOCK_NEST);
		return;
	}
	f = &lx->frames[lx->nframes++];
	f->node = n;
	f->tail = lx->tail;
	f->file = n ? n->file : lx->src->file;
	f->line = n ? n->line : lx->cur_line;
	if (n) {
		n->block = true;
		lx->tail = &n->child;
	} else {
		lx->discard = NULL;	/* the stray block's statements are dropped */
		lx->tail = &lx->discard;
	}
	lx->last = NULL;
}

static void lex_close(struct lexer *lx)
{
	struct lex_frame *f;

	lex_st_end(lx);
	if (lx->stop)
		return;
	if (!lx->nframes) {
		lex_error(lx, "unexpected }");
		return;
	}
	f = &lx->frames[--lx->nframes];
	lx->tail = f->tail;
	lx->last = f->node;
}

static bool lex_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool lex_is_brace(char c)
{
	return c == '{' || c == '}';
}

static void lex_brace(struct lexer *lx, char c)
{
	if (c == '{')
		lex_open(lx);
	else
		lex_close(lx);
}

/*
 * Splits expanded text into words and braces; "\n" ends a statement. A
 * brace is a token of its own at the start or end of a word; quotes group
 * words and are removed.
 */
void lex_tokens(struct lexer *lx, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && !lx->stop) {
		size_t b, e, te, k, o;
		bool in_q = false, q = false;
		char *w;

		if (s[i] == '\n') {
			lex_st_end(lx);
			i++;
			continue;
		}
		if (lex_is_space(s[i])) {
			i++;
			continue;
		}
		for (b = i; i < n; i++) {
			if (s[i] == '"')
				in_q = !in_q;
			else if (s[i] == '\n' || (!in_q && lex_is_space(s[i])))
				break;
		}
		e = i;
		if (in_q)
			lex_error(lx, "unterminated quote");
		te = e;
		for (k = b; k < e && lex_is_brace(s[k]); k++)
			;
		if (k < e && lex_st_is_include(lx)) {
			/* "include {a,b}.conf": braces of a glob pattern */
		} else {
			for (; b < e && lex_is_brace(s[b]) && !lx->stop; b++)
				lex_brace(lx, s[b]);
			while (!in_q && te > b && lex_is_brace(s[te - 1]))
				te--;
		}
		if (te > b && !lx->stop) {
			w = lex_alloc(lx, te - b + 1);
			if (!w)
				return;
			for (k = b, o = 0; k < te; k++) {
				if (s[k] == '"')
					q = true;
				else
					w[o++] = s[k];
			}
			w[o] = '\0';
			lex_word(lx, w, q);
		}
		for (k = te; k < e && !lx->stop; k++)
			lex_brace(lx, s[k]);
	}
	if (!lx->stop)
		lex_st_end(lx);
}

/* ---- files and includes ---- */

static const char *lex_strerror(int err, char *buf, size_t len)
{
	if (err == EINVAL)
		return "not a regular file";
	if (err == EFBIG)
		return "file too large";
	return strerror_r(err, buf, len);
}

static int lex_read_path(const char *path, char **ret_text, size_t *ret_len,
			 struct stat *ret_st)
{
	struct stat st;
	size_t len = 0, cap;
	char *text = NULL;
	int fd, r;

	/* stat first: opening a device can have effects of its own */
	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -EINVAL;
		goto out;
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > LEX_MAX_FILE_BYTES) {
		r = -EFBIG;
		goto out;
	}
	cap = (size_t)st.st_size + 4096;
	text = lex_xmalloc(cap);
	for (;;) {
		ssize_t k;

		if (len == cap) {
			if (cap > LEX_MAX_FILE_BYTES) {
				r = -EFBIG;
				goto out;
			}
			cap *= 2;
			text = lex_xrealloc(text, cap);
		}
		k = read(fd, text + len, cap - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = -errno;
			goto out;
		}
		if (k == 0)
			break;
		len += (size_t)k;
	}
	if (len > LEX_MAX_FILE_BYTES) {
		r = -EFBIG;
		goto out;
	}
	*ret_text = text;
	*ret_len = len;
	*ret_st = st;
	text = NULL;
	r = 0;
out:
	free(text);
	close(fd);
	return r;
}

/* Number of leading bytes of the physical line p[0..n) before a comment. */
static size_t lex_cut_comment(const char *p, size_t n, bool *in_q)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			*in_q = !*in_q;
		else if (!*in_q && (p[i] == '#' || p[i] == '!'))
			return i;
	}
	return n;
}

/* Splits a file into logical lines and runs each. */
static void lex_text(struct lexer *lx, const char *text, size_t len)
{
	struct lex_buf lb = { .max = SIZE_MAX / 4 };
	unsigned lineno = 0;
	size_t pos = 0;

	while (pos < len && !lx->stop) {
		unsigned first = lineno + 1, seg = 0;
		bool in_q = false, join_nl = false, more, bad = false;

		lb.len = 0;
		do {
			const char *p = text + pos;
			const char *nl = memchr(p, '\n', len - pos);
			size_t n = nl ? (size_t)(nl - p) : len - pos;

			pos += n + (nl != NULL);
			lineno++;
			more = false;
			if (memchr(p, '\0', n)) {
				lex_diag(lx, CFG_SEV_ERROR, lx->src->file, lineno,
					 "NUL byte in line");
				bad = true;
				break;
			}
			n = lex_cut_comment(p, n, &in_q);
			while (n && lex_is_space(p[n - 1]))
				n--;
			if (n && p[n - 1] == '\\') {
				more = true;
				n--;
			}
			if (!seg)
				join_nl = lex_is_definition(p, n);
			else if (lex_buf_add(&lb, join_nl ? "\n" : " ", 1) < 0)
				abort();
			if (lex_buf_add(&lb, p, n) < 0)
				abort();
			seg++;
		} while (more && pos < len);
		if (!bad) {
			lx->cur_line = first;
			lex_logical(lx, lb.s ? lb.s : "", lb.len, 0);
		}
	}
	free(lb.s);
}

/* Runs the text of one file; dir_from_name: includes are relative to it. */
static void lex_run(struct lexer *lx, const char *name, const char *text, size_t len,
		    const struct stat *st, bool dir_from_name)
{
	struct lex_src src = { .up = lx->src, .depth = lx->src ? lx->src->depth + 1 : 0 };
	const char *slash = dir_from_name ? strrchr(name, '/') : NULL;
	unsigned saved_line = lx->cur_line;

	src.file = lex_intern(lx, name);
	if (!src.file)
		return;
	if (st) {
		src.has_ino = true;
		src.dev = st->st_dev;
		src.ino = st->st_ino;
	}
	if (slash)
		src.dir = lex_xstrndup(name, slash == name ? 1 : (size_t)(slash - name));
	else
		src.dir = lex_xstrndup("", 0);
	lx->src = &src;
	lex_text(lx, text, len);
	lx->src = src.up;
	lx->cur_line = saved_line;
	free(src.dir);
}

static void lex_include_file(struct lexer *lx, const char *path, const char *from,
			     unsigned line)
{
	const struct lex_src *s;
	struct stat st;
	char *text, eb[128];
	size_t len;
	int r;

	if (lx->src->depth + 1 > lx->max_depth) {
		lex_diag(lx, CFG_SEV_ERROR, from, line,
			 "include: nesting deeper than %u levels at %s", lx->max_depth, path);
		return;
	}
	if (++lx->nfiles > LEX_MAX_FILES) {
		lex_fatal(lx, "include: more than %u files", LEX_MAX_FILES);
		return;
	}
	r = lex_read_path(path, &text, &len, &st);
	if (r < 0) {
		lex_diag(lx, CFG_SEV_ERROR, from, line, "include: cannot read %s: %s", path,
			 lex_strerror(-r, eb, sizeof(eb)));
		return;
	}
	for (s = lx->src; s; s = s->up) {
		if (s->has_ino && s->dev == st.st_dev && s->ino == st.st_ino) {
			lex_diag(lx, CFG_SEV_ERROR, from, line,
				 "include loop: %s is already being read", path);
			goto out;
		}
	}
	if (len > LEX_MAX_READ_BYTES - lx->read) {
		lex_fatal(lx, "include: more than %zu MiB of files", LEX_MAX_READ_BYTES >> 20);
		goto out;
	}
	lx->read += len;
	lex_run(lx, path, text, len, &st, true);
out:
	free(text);
}

static int lex_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void lex_include_glob(struct lexer *lx, const char *pat, const char *from,
			     unsigned line)
{
	const char *dir = lx->src->dir;
	glob_t g;
	char *full;
	size_t i;
	int r;

	if (pat[0] != '/' && dir[0]) {
		size_t dl = strlen(dir), pl = strlen(pat);
		bool slash = dir[dl - 1] != '/';

		full = lex_xmalloc(dl + slash + pl + 1);
		memcpy(full, dir, dl);
		if (slash)
			full[dl] = '/';
		memcpy(full + dl + slash, pat, pl + 1);
	} else {
		full = lex_xstrndup(pat, strlen(pat));
	}
	memset(&g, 0, sizeof(g));
	r = glob(full, GLOB_BRACE | GLOB_NOSORT, NULL, &g);
	if (r == GLOB_NOMATCH || (r == 0 && !g.gl_pathc)) {
		lex_diag(lx, lx->include_check ? CFG_SEV_ERROR : CFG_SEV_WARN, from, line,
			 "include: no file matches %s", pat);
	} else if (r != 0) {
		lex_diag(lx, CFG_SEV_ERROR, from, line, "include: cannot expand %s", pat);
	} else if (g.gl_pathc > LEX_MAX_FILES) {
		lex_diag(lx, CFG_SEV_ERROR, from, line, "include: %s matches more than %u files",
			 pat, LEX_MAX_FILES);
	} else {
		qsort(g.gl_pathv, g.gl_pathc, sizeof(*g.gl_pathv), lex_cmp_str);
		for (i = 0; i < g.gl_pathc && !lx->stop; i++)
			lex_include_file(lx, g.gl_pathv[i], from, line);
	}
	globfree(&g);
	free(full);
}

/* Runs the include statement being collected, in place. */
static void lex_include(struct lexer *lx)
{
	const char *from = lx->st_file;
	unsigned line = lx->st_line, n = lx->st_nargs, i;
	char **pats;

	if (lx->no_include) {
		lex_diag(lx, CFG_SEV_ERROR, from, line, "include is not allowed here");
		return;
	}
	if (!n) {
		lex_diag(lx, CFG_SEV_ERROR, from, line, "include: file name missing");
		return;
	}
	/* the statement buffers are reused by the included files */
	pats = lex_xmalloc(n * sizeof(*pats));
	memcpy(pats, lx->st_args, n * sizeof(*pats));
	lx->st_active = false;
	for (i = 0; i < n && !lx->stop; i++)
		lex_include_glob(lx, pats[i], from, line);
	free(pats);
	lx->last = NULL;
}

/* ---- entry points ---- */

static void lex_init(struct lexer *lx, const struct cfg_lex_opts *opts,
		     struct cfg_diags *diags, struct cfg_tree *t)
{
	memset(lx, 0, sizeof(*lx));
	lx->tree = t;
	lx->diags = diags;
	lx->tail = &t->top;
	lx->max_depth = opts && opts->max_depth ? opts->max_depth : LEX_DEFAULT_DEPTH;
	lx->include_check = opts && opts->include_check;
	lx->no_include = opts && opts->no_include;
	if (opts && opts->config_id) {
		lx->config_id = opts->config_id;
	} else {
		char *dot;

		if (gethostname(lx->id_buf, sizeof(lx->id_buf) - 1) < 0)
			lx->id_buf[0] = '\0';
		lx->id_buf[sizeof(lx->id_buf) - 1] = '\0';
		dot = strchr(lx->id_buf, '.');
		if (dot)
			*dot = '\0';
		lx->config_id = lx->id_buf;
	}
	if (getrandom(&lx->rand, sizeof(lx->rand), GRND_NONBLOCK) != sizeof(lx->rand))
		lx->rand = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)lx;
	if (!lx->rand)
		lx->rand = 0x9e3779b97f4a7c15ull;
}

static void lex_finish(struct lexer *lx)
{
	unsigned i;

	if (!lx->stop)
		lex_st_end(lx);
	for (i = 0; i < lx->nframes && !lx->stop; i++) {
		const struct lex_frame *f = &lx->frames[i];

		lex_diag(lx, CFG_SEV_ERROR, f->file, f->line,
			 "block opened here is never closed (%s)", f->node ? f->node->kw : "{");
	}
	lex_defs_free(lx);
	free(lx->st_args);
	free(lx->st_quoted);
}

static struct cfg_tree *lex_tree_new(void)
{
	struct cfg_tree *t = lex_xmalloc(sizeof(*t));

	memset(t, 0, sizeof(*t));
	return t;
}

int cfg_lex_file(const char *path, const struct cfg_lex_opts *opts, struct cfg_diags *diags,
		 struct cfg_tree **ret_tree)
{
	struct cfg_tree *t;
	struct lexer lx;
	struct stat st;
	char *text, eb[128];
	size_t len;
	int r;

	r = lex_read_path(path, &text, &len, &st);
	if (r < 0) {
		if (diags)
			cfg_diag(diags, CFG_SEV_ERROR, path, 0, "cannot read configuration: %s",
				 lex_strerror(-r, eb, sizeof(eb)));
		return r;
	}
	t = lex_tree_new();
	lex_init(&lx, opts, diags, t);
	lx.nfiles = 1;
	lx.read = len;
	lex_run(&lx, path, text, len, &st, true);
	lex_finish(&lx);
	free(text);
	*ret_tree = t;
	return 0;
}

int cfg_lex_string(const char *name, const char *text, size_t len,
		   const struct cfg_lex_opts *opts, struct cfg_diags *diags,
		   struct cfg_tree **ret_tree)
{
	struct cfg_tree *t;
	struct lexer lx;

	if (!text && len)
		return -EINVAL;
	t = lex_tree_new();
	lex_init(&lx, opts, diags, t);
	lex_run(&lx, name ? name : "<string>", text ? text : "", len, NULL, false);
	lex_finish(&lx);
	*ret_tree = t;
	return 0;
}

const struct cfg_node *cfg_tree_top(const struct cfg_tree *t)
{
	return t ? t->top : NULL;
}

void cfg_tree_free(struct cfg_tree *t)
{
	struct lex_chunk *c, *next;

	if (!t)
		return;
	for (c = t->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(t);
}
