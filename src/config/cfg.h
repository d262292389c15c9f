/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The keyword-table engine: each configuration block is a table of
 * keywords, each keyword says how its value is checked and where it is
 * stored. The same table drives parsing, the canonical dump (-d) and
 * freeing, so the three cannot drift apart. Pure: libc only.
 */
#ifndef ALIVED_CFG_ENGINE_H
#define ALIVED_CFG_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "alived/config.h"
#include "config/lex.h"

struct cfg_ctx {
	struct cfg_diags *diags;
	struct cfg_root *root;		/* the root being built */
	const struct cfg_opts *opts;
};

enum cfg_type {
	CFG_T_FLAG,	/* keyword alone means true; an optional on/off/yes/no/true/false
			 * argument is honoured. Field: bool. */
	CFG_T_BOOL,	/* same storage as FLAG; dumped as "kw on|off" when not default */
	CFG_T_INT,	/* signed integer in [min, max]; field: int8/16/32/64 by size */
	CFG_T_UINT,	/* unsigned integer in [min, max]; field: uint8/16/32/64 by size */
	CFG_T_FIXED,	/* decimal number stored as value * scale (e.g. seconds in
			 * centiseconds: scale 100) in [min, max] (stored units);
			 * field: uint32 or uint64 by size */
	CFG_T_STR,	/* one word; field: char * (owned) */
	CFG_T_LINE,	/* all arguments joined with single spaces; field: char * */
	CFG_T_ENUM,	/* one word from enums[]; field: int */
	CFG_T_ADDR,	/* address, optional /prefix; field: struct cfg_addr */
	CFG_T_STRLIST,	/* words from the arguments and/or the block body;
			 * field: struct cfg_strlist (appends on repeat) */
	CFG_T_SUB,	/* a block whose keywords fill an embedded struct at off;
			 * sub describes it (e.g. authentication { }) */
	CFG_T_LIST,	/* a block that creates an element of sub->size, appended to
			 * the singly linked list whose head pointer is at off */
	CFG_T_FUNC,	/* parse/dump/free by the callbacks */
	CFG_T_IGNORE,	/* accepted, no effect: a notice naming file and line */
	CFG_T__COUNT,
};

struct cfg_enum_val {
	const char *name;
	int value;
};

struct cfg_block;

/* kw flags */
#define CFG_KW_DEPRECATED	0x01u	/* accepted with a deprecation warning; see alias_of */
#define CFG_KW_NODUMP		0x02u	/* never printed by the dump (aliases) */
#define CFG_KW_REPEAT_ERR	0x04u	/* a second occurrence is an error, not a warning */

/*
 * Engine semantics (cfg_engine.c), decided where the declarations leave room:
 * - Lookup: exact, case-sensitive name match, first entry wins. A FUNC entry
 *   with parse == NULL is never matched: it is a dump/free hook only (e.g. to
 *   print what a block's `line` callback parsed).
 * - Aliases, preferred form: a separate entry {name = old spelling, alias_of =
 *   current name, same type/field, flags NODUMP [| DEPRECATED]}. It is parsed
 *   through its own type/off. With DEPRECATED: warning "'old' is deprecated,
 *   use 'new'"; without: a silent synonym. Also accepted: an entry whose
 *   alias_of names its own deprecated spelling and which is not NODUMP/
 *   DEPRECATED: the old word then maps to it with the same warning.
 * - DEPRECATED without alias_of: "'kw' is deprecated and has no effect" for
 *   IGNORE, else "'kw' is deprecated". IGNORE alone: notice "'kw' has no
 *   effect in alived; ignored". IGNORE accepts any arguments and any block.
 * - Duplicates (aliases count as their target): a second FLAG/BOOL/INT/UINT/
 *   FIXED/STR/LINE/ENUM/ADDR/SUB in one body is a warning "kw given twice;
 *   the last one wins" (SUB: the second body is parsed over the first);
 *   REPEAT_ERR makes any second occurrence an error "kw given twice" and it
 *   is not parsed. STRLIST and LIST append; FUNC handles repeats itself.
 * - Shape: a scalar type with a { } block is an error "kw takes a value, not
 *   a { } block"; SUB and LIST without a block: "kw needs a { } block".
 *   Scalars need their argument; words beyond it are a warning and ignored.
 * - Values: a failed statement leaves the field untouched. INT with
 *   min == max == 0, and UINT/FIXED with max == 0, take the full range of
 *   the field's size; larger bounds are clamped to it. Integers are decimal only ("+" allowed). ENUM
 *   names match case-insensitively; the dump prints the table's spelling.
 *   FIXED accepts "I", "I.F", ".F"; decimals beyond the scale are rounded
 *   half up (scale should be a power of 10 for an exact dump).
 * - Error texts (file:line of the statement): "KW VALUE: must be MIN..MAX",
 *   "KW VALUE: must be on|off|yes|no|true|false", "KW VALUE: must be one of
 *   a|b|c", "KW VALUE: must be an IPv4 or IPv6 address", "unknown keyword
 *   'X' in BLOCK" (warning; "unknown keyword 'X'" at top level).
 * - Objects: cfg_parse_new() zero-allocates b->size, runs the init of every
 *   SUB's block on its embedded struct, then b->init; head (or "kw takes no
 *   arguments" without head), the body, and finish only when this object
 *   produced no error so far. On any error the object is freed and not
 *   linked into its LIST (the configuration is refused anyway).
 *   SUB: sub->head (if any) and sub->finish run on the embedded struct.
 * - LIST appends keep file order in O(1) per element within one body.
 * - Dump: fields equal to those of a freshly initialised object (as above)
 *   are left out; NODUMP and alias entries are never printed; a SUB prints
 *   only when one of its fields differs; STRLIST prints as a block, one word
 *   a line; FLAG prints "kw" (or "kw off" when the default is on); BOOL
 *   "kw on|off"; LINE prints bare when re-lexing gives the same string,
 *   else as one quoted word. Blocks to dump need b->size set.
 * - Free: STR/LINE/STRLIST/LIST/SUB fields through the table (pointers reset
 *   to NULL), FUNC free callbacks once per distinct callback, then
 *   free_extra.
 * - cfg_load() keeps the statement tree alive as long as the cfg_root, so
 *   objects may keep n->file (borrowed) without copying. cfg_free() takes
 *   only roots made by cfg_load()/cfg_load_string().
 */
struct cfg_kw {
	const char *name;
	enum cfg_type type;
	size_t off;			/* field offset in the current object */
	size_t size;			/* sizeof the field (integers) */
	int64_t min, max;		/* INT/UINT/FIXED bounds (stored units) */
	unsigned scale;			/* FIXED */
	const struct cfg_enum_val *enums;	/* ENUM, NULL-name terminated */
	const struct cfg_block *sub;	/* SUB, LIST */
	/* FUNC: parse one statement into obj; report problems via ctx->diags.
	 * Returns 0 or -EINVAL (already reported). */
	int (*parse)(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
	/* FUNC: print the statement(s) for obj at indent (spaces), or nothing
	 * when unset. */
	void (*dump)(FILE *out, const void *obj, int indent);
	/* FUNC: free what parse allocated in obj. */
	void (*free)(void *obj);
	const char *alias_of;		/* deprecated spelling of this keyword */
	unsigned flags;
};

#define CFG_FIELD(type, member) offsetof(type, member), sizeof(((type *)0)->member)

struct cfg_block {
	const char *name;		/* block keyword, e.g. "vrrp_instance" */
	size_t size;			/* element size (LIST) */
	size_t next_off;		/* LIST: offset of the element's next pointer */
	void (*init)(void *obj);	/* defaults; NULL = all zero */
	/* Header arguments ("vrrp_instance VI_1", "real_server 10.0.0.1 80");
	 * NULL = the block takes none (extra words are an error). */
	int (*head)(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
	void (*dump_head)(FILE *out, const void *obj);	/* prints " ARGS" */
	/* Body line that is not a keyword (virtual_ipaddress entries); NULL =
	 * unknown keyword warning. */
	int (*line)(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
	/* Called after the body: per-object semantic checks. */
	int (*finish)(struct cfg_ctx *ctx, void *obj, const struct cfg_node *n);
	void (*free_extra)(void *obj);	/* frees what head/line/finish allocated */
	const struct cfg_kw *kws;	/* terminated by { .name = NULL } */
};

/* Parses the statements of a block body (first child n) into obj. */
int cfg_parse_body(struct cfg_ctx *ctx, const struct cfg_block *b, void *obj,
		   const struct cfg_node *first);
/* Allocates, inits, parses head and body, runs finish; *ret owns the object. */
int cfg_parse_new(struct cfg_ctx *ctx, const struct cfg_block *b, const struct cfg_node *n,
		  void **ret);
/* Prints "name ARGS {\n body }\n" at indent. */
void cfg_dump_block(FILE *out, const struct cfg_block *b, const void *obj, int indent);
/* Prints only the body lines of obj at indent, fields equal to a freshly
 * inited object are left out. */
void cfg_dump_body(FILE *out, const struct cfg_block *b, const void *obj, int indent);
/* Frees the fields of obj owned through the table (and free_extra), not obj. */
void cfg_free_fields(const struct cfg_block *b, void *obj);
/* Frees a LIST chain of elements of b. */
void cfg_free_list(const struct cfg_block *b, void *head);

/* Value helpers for FUNC handlers; each reports its own error with the
 * node's file and line and returns -EINVAL. */
/* cfg_want_args: max UINT_MAX = no upper bound. Errors: "kw takes no arguments",
 * "kw takes N argument(s), got M", "kw needs at least N argument(s)", "kw takes
 * at most N argument(s), got M". cfg_get_port accepts 1..65535 (use cfg_get_uint
 * for 0). cfg_get_addr accepts an optional /prefix (check has_prefix). */
int cfg_want_args(struct cfg_ctx *ctx, const struct cfg_node *n, unsigned min, unsigned max);
int cfg_get_uint(struct cfg_ctx *ctx, const struct cfg_node *n, const char *s, uint64_t min,
		 uint64_t max, uint64_t *ret);
int cfg_get_int(struct cfg_ctx *ctx, const struct cfg_node *n, const char *s, int64_t min,
		int64_t max, int64_t *ret);
int cfg_get_fixed(struct cfg_ctx *ctx, const struct cfg_node *n, const char *s, unsigned scale,
		  uint64_t min, uint64_t max, uint64_t *ret);
int cfg_get_bool(struct cfg_ctx *ctx, const struct cfg_node *n, const char *s, bool *ret);
int cfg_get_addr(struct cfg_ctx *ctx, const struct cfg_node *n, const char *s,
		 struct cfg_addr *ret);
int cfg_get_port(struct cfg_ctx *ctx, const struct cfg_node *n, const char *s, uint16_t *ret);
/* Prints a word, quoted when it holds spaces or special characters. */
void cfg_put_word(FILE *out, const char *s);
void cfg_indent(FILE *out, int indent);
char *cfg_strdup(const char *s);	/* xstrdup for pure code: OOM aborts */
void *cfg_zalloc(size_t n);

/*
 * Top level. cfg_load() (cfg_load.c) lexes the file, then hands each
 * top-level statement to the first table that knows its keyword:
 * cfg_top_global_kws (global_defs), cfg_top_vrrp_kws (vrrp_instance,
 * vrrp_sync_group, vrrp_script, track_file, static_ipaddress,
 * static_routes, static_rules, ...), cfg_top_check_kws (virtual_server,
 * virtual_server_group). Top-level tables hold CFG_T_FUNC entries only and
 * their parse callbacks get obj = the struct cfg_root *. An unknown
 * top-level keyword is a warning. Then the validators run, in that order.
 */
extern const struct cfg_kw cfg_top_global_kws[];
extern const struct cfg_kw cfg_top_vrrp_kws[];
extern const struct cfg_kw cfg_top_check_kws[];

/* Part allocators (defaults applied), freeing, cross-reference checks run
 * after the whole tree is parsed, and the dump of each part. */
struct cfg_global *cfg_global_new(void);
struct cfg_vrrp *cfg_vrrp_new(void);
struct cfg_check *cfg_check_new(void);
void cfg_global_free(struct cfg_global *g);
void cfg_vrrp_free(struct cfg_vrrp *v);
void cfg_check_free(struct cfg_check *c);
void cfg_global_validate(struct cfg_ctx *ctx);
void cfg_vrrp_validate(struct cfg_ctx *ctx);	/* unique names, VRIDs, references ... */
void cfg_check_validate(struct cfg_ctx *ctx);
void cfg_global_dump(const struct cfg_root *root, FILE *out);	/* printed first */
void cfg_vrrp_dump(const struct cfg_root *root, FILE *out);
void cfg_check_dump(const struct cfg_root *root, FILE *out);

#endif
