/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tokenizer for the keepalived.conf language. Turns files into a tree of
 * statements. Pure: reads files, nothing else.
 *
 * A statement is one logical line: its first word is the keyword, the other
 * words its arguments. A "{" on the line opens a block whose statements are
 * the node's children, up to the matching "}". "{" and "}" may stand
 * anywhere on a line: "virtual_ipaddress { 10.0.0.1 }" is a block with one
 * child; "}" followed by words closes the block and starts a new statement.
 * Handled here, so parsers never see them: "!" and "#" comments, quoted
 * strings ("..." keeps spaces; the quotes are removed), line continuation
 * (a trailing "\"), "include GLOB" (relative to the including file's
 * directory; a missing file is a warning, or an error with include_check),
 * "@id line" / "@^id line", "$NAME=value" definitions and their use as
 * $NAME and ${NAME}, and keepalived's ~SEQ(var, [start,] [step,] end) and
 * ~LST(var, a, b, ...) line repetition.
 */
#ifndef ALIVED_CFG_LEX_H
#define ALIVED_CFG_LEX_H

#include <stdbool.h>
#include "alived/config.h"

struct cfg_node {
	const char *kw;			/* first word; never NULL */
	char **args;			/* words after kw on the line, braces removed;
					 * args[nargs] is NULL */
	unsigned nargs;
	bool *quoted;			/* quoted[i]: args[i] was written in quotes */
	bool block;			/* the statement opened a { } block */
	struct cfg_node *child;		/* first statement inside the block */
	struct cfg_node *next;		/* next statement at the same level */
	const char *file;		/* interned; lives as long as the tree */
	unsigned line;			/* line of the keyword */
};

struct cfg_tree;	/* owns every node, string and file name */

struct cfg_lex_opts {
	const char *config_id;	/* for @id lines; NULL = host name's first label */
	bool include_check;	/* missing include file is an error */
	unsigned max_depth;	/* include nesting limit; 0 = default (32) */
	bool no_include;	/* "include" is an error (fuzzing: read no other file) */
};

/*
 * Reads path (and what it includes) into a tree. Lexical problems go to
 * diags with file and line (unbalanced braces, unterminated quote,
 * undefined $NAME, include loop, ...); lexing goes on after each.
 * Returns 0 and *ret_tree (possibly with an empty top list), or -errno
 * when path itself cannot be read (also recorded in diags).
 */
int cfg_lex_file(const char *path, const struct cfg_lex_opts *opts, struct cfg_diags *diags,
		 struct cfg_tree **ret_tree);
/* Same from memory; name stands for the file in diagnostics and include
 * paths are relative to the current directory. */
int cfg_lex_string(const char *name, const char *text, size_t len,
		   const struct cfg_lex_opts *opts, struct cfg_diags *diags,
		   struct cfg_tree **ret_tree);
const struct cfg_node *cfg_tree_top(const struct cfg_tree *t);
void cfg_tree_free(struct cfg_tree *t);

#endif
