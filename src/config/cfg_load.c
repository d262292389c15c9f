// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loading a configuration: lex, dispatch each top-level statement to the
 * table that knows it, run the validators, and the whole-root free and
 * dump. Pure: reads files, nothing else.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg.h"

/*
 * What cfg_load() hands out. The statement tree is kept for the life of
 * the root so objects may keep a node's interned file name
 * (obj->file = n->file) without copying it.
 */
struct cfg_root_full {
	struct cfg_root root;
	struct cfg_tree *tree;
};

static const struct cfg_opts cfg_default_opts;

static size_t cfg_kws_count(const struct cfg_kw *kws)
{
	size_t n = 0;

	while (kws[n].name)
		n++;
	return n;
}

/* The three top-level tables in one, in dispatch order. */
static struct cfg_kw *cfg_top_kws_merge(void)
{
	const struct cfg_kw *tabs[] = { cfg_top_global_kws, cfg_top_vrrp_kws, cfg_top_check_kws };
	size_t n = 0, i, c;
	struct cfg_kw *all;

	for (i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++)
		n += cfg_kws_count(tabs[i]);
	all = cfg_zalloc((n + 1) * sizeof(*all));
	n = 0;
	for (i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		c = cfg_kws_count(tabs[i]);
		memcpy(all + n, tabs[i], c * sizeof(*all));
		n += c;
	}
	return all;
}

static bool cfg_has_service(const struct cfg_node *top)
{
	const struct cfg_node *n;

	for (n = top; n; n = n->next)
		if (!strcmp(n->kw, "vrrp_instance") || !strcmp(n->kw, "virtual_server"))
			return true;
	return false;
}

static int cfg_build(const char *path, int lex_ret, struct cfg_tree *tree,
		     const struct cfg_opts *opts, struct cfg_diags *diags, unsigned err_before,
		     struct cfg_root **ret_root)
{
	struct cfg_root_full *full;
	struct cfg_kw *kws;
	struct cfg_block top;
	struct cfg_ctx ctx;

	if (lex_ret < 0) {
		if (diags->n_err == err_before)
			cfg_diag(diags, CFG_SEV_ERROR, path, 0, "cannot read: %s",
				 strerror(-lex_ret));
		if (tree)
			cfg_tree_free(tree);
		return lex_ret;
	}
	full = cfg_zalloc(sizeof(*full));
	full->tree = tree;
	full->root.path = cfg_strdup(path);
	full->root.global = cfg_global_new();
	full->root.vrrp = cfg_vrrp_new();
	full->root.check = cfg_check_new();

	memset(&ctx, 0, sizeof(ctx));
	ctx.diags = diags;
	ctx.root = &full->root;
	ctx.opts = opts;

	kws = cfg_top_kws_merge();
	memset(&top, 0, sizeof(top));
	top.kws = kws;
	cfg_parse_body(&ctx, &top, &full->root, cfg_tree_top(tree));
	free(kws);

	if (!cfg_has_service(cfg_tree_top(tree)))
		cfg_diag(diags, CFG_SEV_WARN, path, 0,
			 "no vrrp_instance or virtual_server defined");

	cfg_global_validate(&ctx);
	cfg_vrrp_validate(&ctx);
	cfg_check_validate(&ctx);

	if (diags->n_err != err_before) {
		cfg_free(&full->root);
		return -EINVAL;
	}
	*ret_root = &full->root;
	return 0;
}

static void cfg_lex_opts_from(const struct cfg_opts *opts, struct cfg_lex_opts *lo)
{
	memset(lo, 0, sizeof(*lo));
	lo->config_id = opts->config_id;
	lo->include_check = opts->include_check;
}

int cfg_load(const char *path, const struct cfg_opts *opts, struct cfg_diags *diags,
	     struct cfg_root **ret_root)
{
	unsigned before = diags->n_err;
	struct cfg_tree *tree = NULL;
	struct cfg_lex_opts lo;
	int r;

	if (!opts)
		opts = &cfg_default_opts;
	cfg_lex_opts_from(opts, &lo);
	r = cfg_lex_file(path, &lo, diags, &tree);
	return cfg_build(path, r, r < 0 ? NULL : tree, opts, diags, before, ret_root);
}

int cfg_load_string(const char *name, const char *text, const struct cfg_opts *opts,
		    struct cfg_diags *diags, struct cfg_root **ret_root)
{
	unsigned before = diags->n_err;
	struct cfg_tree *tree = NULL;
	struct cfg_lex_opts lo;
	int r;

	if (!opts)
		opts = &cfg_default_opts;
	cfg_lex_opts_from(opts, &lo);
	r = cfg_lex_string(name, text, strlen(text), &lo, diags, &tree);
	return cfg_build(name, r, r < 0 ? NULL : tree, opts, diags, before, ret_root);
}

void cfg_free(struct cfg_root *root)
{
	struct cfg_root_full *full = (struct cfg_root_full *)root;

	if (!root)
		return;
	cfg_global_free(root->global);
	cfg_vrrp_free(root->vrrp);
	cfg_check_free(root->check);
	free(root->path);
	if (full->tree)
		cfg_tree_free(full->tree);
	free(full);
}

void cfg_dump(const struct cfg_root *root, FILE *out)
{
	cfg_global_dump(root, out);
	cfg_vrrp_dump(root, out);
	cfg_check_dump(root, out);
}
