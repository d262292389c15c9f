/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals shared by lex.c (files, lines, tokens, tree) and lex_expand.c
 * (@id, $NAME definitions and expansion, ~SEQ / ~LST). Not for parsers.
 */
#ifndef ALIVED_CFG_LEX_INT_H
#define ALIVED_CFG_LEX_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "alived/config.h"
#include "config/lex.h"

/* Bounds that keep hostile input cheap; real configurations stay far below. */
#define LEX_DEFAULT_DEPTH	32u			/* include nesting */
#define LEX_MAX_FILE_BYTES	((size_t)16 << 20)	/* one file */
#define LEX_MAX_READ_BYTES	((size_t)256 << 20)	/* all files together */
#define LEX_MAX_WORK_BYTES	((size_t)64 << 20)	/* text handled after expansion */
#define LEX_MAX_TREE_BYTES	((size_t)128 << 20)	/* memory held by the tree */
#define LEX_MAX_LINE_GROWTH	((size_t)4 << 20)	/* expansion beyond the raw line */
#define LEX_MAX_REPEAT		100000u			/* values of one ~SEQ / ~LST */
#define LEX_MAX_EXPAND_DEPTH	32u			/* $A in $B in $C ... */
#define LEX_MAX_LOOP_NEST	8u			/* ~SEQ in ~SEQ ... */
#define LEX_MAX_BLOCK_NEST	64u			/* { in { ... */
#define LEX_MAX_FILES		4096u			/* files read in one run */
#define LEX_MAX_DIAGS		1000u			/* problems reported in one run */
#define LEX_CHUNK_BYTES		((size_t)64 << 10)
#define LEX_DEF_BUCKETS		64u
#define LEX_SUBST_COST		16u			/* work units per $NAME replaced */

struct lex_buf {		/* growing NUL-terminated text */
	char *s;
	size_t len, cap;
	size_t max;		/* lex_buf_add fails with -E2BIG past it */
};

struct lex_def {		/* $NAME=value */
	struct lex_def *next;
	char *name;
	char *value;		/* may hold "\n": a multi-line definition */
	size_t len;
};

struct lex_src {		/* a file being read */
	struct lex_src *up;	/* the file that includes it */
	const char *file;	/* interned */
	char *dir;		/* base of relative includes; "" = current directory */
	dev_t dev;
	ino_t ino;
	bool has_ino;
	unsigned depth;		/* 0 for the main file */
};

struct lex_frame {		/* an open block */
	struct cfg_node *node;	/* NULL for a stray "{" whose body is dropped */
	struct cfg_node **tail;	/* where the outer level goes on */
	const char *file;
	unsigned line;
};

struct lexer {
	struct cfg_tree *tree;
	struct cfg_diags *diags;
	const char *config_id;
	char id_buf[HOST_NAME_MAX + 1];
	bool include_check, no_include;
	unsigned max_depth;
	struct lex_src *src;		/* innermost file */
	unsigned cur_line;		/* first line of the logical line at hand */
	unsigned nfiles, ndiags;
	size_t work;			/* bytes handled, against LEX_MAX_WORK_BYTES */
	size_t read;			/* bytes read, against LEX_MAX_READ_BYTES */
	bool stop;			/* a limit was hit: read nothing more */
	uint64_t rand;			/* xorshift state for ${_RANDOM} */
	struct lex_def *defs[LEX_DEF_BUCKETS];

	/* tree being built */
	struct cfg_node **tail;		/* where the next statement goes */
	struct cfg_node *last;		/* previous statement at this level */
	struct cfg_node *discard;	/* body of a stray "{" */
	struct lex_frame frames[LEX_MAX_BLOCK_NEST];
	unsigned nframes;

	/* statement being collected */
	bool st_active, st_kw_quoted;
	char *st_kw;
	const char *st_file;
	unsigned st_line;
	char **st_args;
	bool *st_quoted;
	unsigned st_nargs, st_cap;
};

/* lex.c */
void *lex_xmalloc(size_t n);
void *lex_xrealloc(void *p, size_t n);
char *lex_xstrndup(const char *s, size_t n);
int lex_buf_add(struct lex_buf *b, const char *s, size_t n);
void *lex_alloc(struct lexer *lx, size_t n);
void lex_diag(struct lexer *lx, enum cfg_sev sev, const char *file, unsigned line,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* An error at the current file and line. */
void lex_error(struct lexer *lx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, then stops lexing. */
void lex_fatal(struct lexer *lx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Accounts n bytes of work; -E2BIG (reported, lexing stops) past the limit. */
int lex_work(struct lexer *lx, size_t n);
void lex_tokens(struct lexer *lx, const char *s, size_t n);

/* lex_expand.c */
/* True when the physical line p[0..n) starts a "$NAME=value" definition. */
bool lex_is_definition(const char *p, size_t n);
/* Runs one logical line (comments cut, continuations joined). */
void lex_logical(struct lexer *lx, const char *s, size_t n, unsigned nest);
void lex_defs_free(struct lexer *lx);

#endif
