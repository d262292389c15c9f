// SPDX-License-Identifier: GPL-2.0-or-later
/* Allocation wrappers that abort on out-of-memory. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* vasprintf */
#endif
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alived/xalloc.h"

static _Noreturn void xalloc_oom(size_t size)
{
	char msg[96];
	int n;

	/* No stdio buffering and no allocation on this path. */
	n = snprintf(msg, sizeof(msg), "alived[%ld]: out of memory (%zu bytes), aborting\n",
		     (long)getpid(), size);
	if (n > 0) {
		ssize_t w = write(STDERR_FILENO, msg, (size_t)n < sizeof(msg) ? (size_t)n :
				  sizeof(msg) - 1);
		(void)w;
	}
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		xalloc_oom(size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		xalloc_oom(SIZE_MAX);
	p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		xalloc_oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (!q)
		xalloc_oom(size);
	return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		xalloc_oom(SIZE_MAX);
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	return xmemdup(s, strlen(s) + 1);
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = xmalloc(len + 1);

	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

void *xmemdup(const void *p, size_t size)
{
	void *d = xmalloc(size);

	if (size)
		memcpy(d, p, size);
	return d;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		xalloc_oom(strlen(fmt));
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}
