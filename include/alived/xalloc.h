/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Allocation wrappers: they never return NULL. On out-of-memory they write
 * one line to stderr and abort(); the supervisor restarts the child.
 */
#ifndef ALIVED_XALLOC_H
#define ALIVED_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* xmalloc(0) returns a unique pointer (as malloc(1) would). */
void *xmalloc(size_t size) __attribute__((malloc, alloc_size(1), returns_nonnull));
/* Zeroed; n * size is checked for overflow. */
void *xcalloc(size_t n, size_t size)
	__attribute__((malloc, alloc_size(1, 2), returns_nonnull));
/* xrealloc(NULL, n) is xmalloc(n); size 0 keeps a 1-byte block (never frees). */
void *xrealloc(void *p, size_t size) __attribute__((alloc_size(2), returns_nonnull));
/* xrealloc(p, n * size) with the product checked for overflow. */
void *xreallocarray(void *p, size_t n, size_t size)
	__attribute__((alloc_size(2, 3), returns_nonnull));
char *xstrdup(const char *s) __attribute__((malloc, returns_nonnull, nonnull(1)));
char *xstrndup(const char *s, size_t n) __attribute__((malloc, returns_nonnull, nonnull(1)));
void *xmemdup(const void *p, size_t size) __attribute__((malloc, returns_nonnull));
char *xasprintf(const char *fmt, ...)
	__attribute__((malloc, returns_nonnull, format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap)
	__attribute__((malloc, returns_nonnull, format(printf, 1, 0)));

#endif
