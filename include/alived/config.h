/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * alived configuration: public entry points, diagnostics and shared value
 * types. Pure: libc only. The typed structs of each part live in
 * cfg_vrrp.h (global_defs, VRRP, static addresses) and cfg_check.h
 * (virtual servers, real servers, checkers).
 */
#ifndef ALIVED_CONFIG_H
#define ALIVED_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

enum cfg_sev {
	CFG_SEV_NOTICE,		/* informational, e.g. an ignored legacy keyword */
	CFG_SEV_WARN,		/* accepted, but the user should look */
	CFG_SEV_ERROR,		/* the configuration is refused */
	CFG_SEV__COUNT,
};

struct cfg_diag {
	char *file;		/* owned; NULL when not tied to a file */
	unsigned line;		/* 1-based; 0 when not tied to a line */
	enum cfg_sev sev;
	char *msg;		/* owned */
};

struct cfg_diags {
	struct cfg_diag *v;
	size_t n, cap;
	unsigned n_err, n_warn;
};

void cfg_diags_init(struct cfg_diags *d);
void cfg_diags_free(struct cfg_diags *d);
/* Records one diagnostic. file may be NULL, line 0. Never fails (OOM is fatal). */
void cfg_diag(struct cfg_diags *d, enum cfg_sev sev, const char *file, unsigned line,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Prints every diagnostic as "FILE:LINE: error|warning|notice: message". */
void cfg_diags_print(const struct cfg_diags *d, FILE *out);

/* An IPv4 or IPv6 address with an optional prefix length. */
struct cfg_addr {
	int family;		/* AF_UNSPEC (unset), AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
	uint8_t prefix;		/* 32/128 when not given */
	bool has_prefix;
};

/* Parses "A.B.C.D", "A.B.C.D/N", "X:Y::Z", "X:Y::Z/N". 0 or -EINVAL. */
int cfg_addr_parse(const char *s, struct cfg_addr *ret);
/* Formats into buf (at least CFG_ADDRSTRLEN bytes); adds "/N" when has_prefix. */
#define CFG_ADDRSTRLEN (INET6_ADDRSTRLEN + 4)
const char *cfg_addr_fmt(const struct cfg_addr *a, char *buf, size_t len);
bool cfg_addr_equal(const struct cfg_addr *a, const struct cfg_addr *b);

/* A list of strings (notification_email, group members, ...). */
struct cfg_strlist {
	char **v;
	size_t n;
};

struct cfg_opts {
	const char *config_id;	/* -i; NULL = first label of the host name */
	bool include_check;	/* -e: a missing include file is an error */
	bool check_interfaces;	/* warn when an interface does not exist here */
	bool no_include;	/* an include line is an error (fuzzing) */
};

struct cfg_global;
struct cfg_vrrp;
struct cfg_check;

struct cfg_root {
	char *path;			/* the main file as given */
	struct cfg_global *global;	/* global_defs (always allocated) */
	struct cfg_vrrp *vrrp;		/* VRRP side (always allocated) */
	struct cfg_check *check;	/* checker side (always allocated) */
};

/*
 * Reads and validates a configuration. Every problem found goes to diags;
 * reading does not stop at the first one. Returns 0 when no error was
 * found (warnings allowed) and *ret_root is set; -EINVAL when diags holds
 * errors (*ret_root untouched); -ENOENT etc. when the main file cannot be
 * read (also recorded in diags).
 */
int cfg_load(const char *path, const struct cfg_opts *opts, struct cfg_diags *diags,
	     struct cfg_root **ret_root);
/* Same from a string (tests, fuzzing); name is used in diagnostics. */
int cfg_load_string(const char *name, const char *text, const struct cfg_opts *opts,
		    struct cfg_diags *diags, struct cfg_root **ret_root);
void cfg_free(struct cfg_root *root);
/* Prints the configuration in canonical keepalived syntax. Parsing the
 * output again gives the same dump. */
void cfg_dump(const struct cfg_root *root, FILE *out);

#endif
