/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the keepalived.conf tokenizer alone (src/config/lex*.c). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "alived/config.h"
#include "config/lex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touches every string so the sanitizers check the whole tree. */
static size_t walk(const struct cfg_node *n)
{
	size_t sum = 0;
	unsigned i;

	for (; n; n = n->next) {
		sum += strlen(n->kw) + strlen(n->file) + n->line;
		for (i = 0; i < n->nargs; i++)
			sum += strlen(n->args[i]) + n->quoted[i];
		sum += n->args[n->nargs] == NULL;
		sum += walk(n->child);
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* includes would read the machine's files: refused by no_include */
	struct cfg_lex_opts opts = { .config_id = "fuzz", .no_include = true };
	struct cfg_diags diags;
	struct cfg_tree *tree;

	if (size > 64 * 1024)
		return 0;
	cfg_diags_init(&diags);
	if (cfg_lex_string("fuzz.conf", (const char *)data, size, &opts, &diags, &tree) == 0) {
		walk(cfg_tree_top(tree));
		cfg_tree_free(tree);
	}
	cfg_diags_free(&diags);
	return 0;
}
