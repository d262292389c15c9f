/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Configuration diagnostics: a growing list of (file, line, severity,
 * message) records, printed as "FILE:LINE: error: message". Pure: the
 * caller chooses where the list is printed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alived/config.h"

static const char *const cfg_sev_names[] = {
	[CFG_SEV_NOTICE] = "notice",
	[CFG_SEV_WARN] = "warning",
	[CFG_SEV_ERROR] = "error",
};
_Static_assert(sizeof(cfg_sev_names) / sizeof(cfg_sev_names[0]) == CFG_SEV__COUNT,
	       "one name per severity");

void cfg_diags_init(struct cfg_diags *d)
{
	memset(d, 0, sizeof(*d));
}

void cfg_diags_free(struct cfg_diags *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

void cfg_diag(struct cfg_diags *d, enum cfg_sev sev, const char *file, unsigned line,
	      const char *fmt, ...)
{
	struct cfg_diag *e;
	va_list ap;
	int r;

	if ((unsigned)sev >= CFG_SEV__COUNT)
		sev = CFG_SEV_ERROR;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct cfg_diag *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			abort();
		d->v = v;
		d->cap = cap;
	}
	e = &d->v[d->n];
	memset(e, 0, sizeof(*e));
	va_start(ap, fmt);
	r = vasprintf(&e->msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		abort();
	if (file) {
		e->file = strdup(file);
		if (!e->file)
			abort();
	}
	e->line = line;
	e->sev = sev;
	d->n++;
	if (sev == CFG_SEV_ERROR)
		d->n_err++;
	else if (sev == CFG_SEV_WARN)
		d->n_warn++;
}

void cfg_diags_print(const struct cfg_diags *d, FILE *out)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct cfg_diag *e = &d->v[i];
		const char *sev = cfg_sev_names[e->sev];

		if (!e->file)
			fprintf(out, "alived: %s: %s\n", sev, e->msg);
		else if (!e->line)
			fprintf(out, "%s: %s: %s\n", e->file, sev, e->msg);
		else
			fprintf(out, "%s:%u: %s: %s\n", e->file, e->line, sev, e->msg);
	}
}
