/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: reading a whole configuration from memory (cfg_load_string). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alived/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_opts opts = { .config_id = "fuzz" };
	struct cfg_diags diags;
	struct cfg_root *root;
	char *text;

	/* stay small; and never read the machine's files through "include" */
	if (size > 64 * 1024 || memmem(data, size, "include", 7))
		return 0;
	text = strndup((const char *)data, size);
	if (!text)
		return 0;
	cfg_diags_init(&diags);
	if (cfg_load_string("fuzz.conf", text, &opts, &diags, &root) == 0)
		cfg_free(root);
	cfg_diags_free(&diags);
	free(text);
	return 0;
}
