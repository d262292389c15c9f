/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPVS client over generic netlink (libnl-genl-3, family "IPVS").
 *
 * Requests are short and synchronous: IPVS handles a generic netlink
 * request inside the sendmsg() of the caller, so its answer (or error) is
 * already queued when the send returns; reading it never waits on
 * anything but the local kernel. The socket still has a receive time-out
 * (IPVS_TIMEOUT_MS) so a kernel that does not answer cannot stall the
 * event loop for long; after a time-out or any transport error the socket
 * is replaced before the next request.
 *
 * Errors are -errno: the kernel's own errno for a refused request (taken
 * from its NLMSG_ERROR, not through libnl's lossy -NLE_* codes), libnl
 * errors translated by ipvs_nl_errno(). Usual kernel answers: -EEXIST
 * (already there), -ESRCH (no such service), -ENOENT (no such
 * destination, unknown scheduler or persistence engine), -EINVAL.
 */
#ifndef ALIVED_IPVS_H
#define ALIVED_IPVS_H

#include <stddef.h>
#include <stdint.h>

#include "check/ipvs_msg.h"

#define IPVS_TIMEOUT_MS	2000

struct ipvs_client;

/*
 * Connects and resolves the family. 0, -EPROTONOSUPPORT when the kernel
 * has no IPVS (the family does not exist and could not be loaded), or
 * another -errno.
 */
int ipvs_open(struct ipvs_client **ret_client);
/* NULL is a no-op. */
void ipvs_close(struct ipvs_client *c);
/* The generic netlink family id (tests). */
int ipvs_family_id(const struct ipvs_client *c);

int ipvs_get_info(struct ipvs_client *c, struct ipvs_info *ret_info);

/* Services. add needs every field; edit changes scheduler, flags,
 * time-out, netmask and persistence engine of the service with s's key. */
int ipvs_service_add(struct ipvs_client *c, const struct ipvs_service *s);
int ipvs_service_edit(struct ipvs_client *c, const struct ipvs_service *s);
int ipvs_service_del(struct ipvs_client *c, const struct ipvs_service *key);
/* One service with its statistics: 0, or -ENOENT when there is none. */
int ipvs_service_get(struct ipvs_client *c, const struct ipvs_service *key,
		     struct ipvs_service *ret_svc);
/* Every service (malloc'ed array, *ret_n entries; free() it). */
int ipvs_service_list(struct ipvs_client *c, struct ipvs_service **ret_v, size_t *ret_n);

/* Destinations of the service with key svc. */
int ipvs_dest_add(struct ipvs_client *c, const struct ipvs_service *svc,
		  const struct ipvs_dest *d);
int ipvs_dest_edit(struct ipvs_client *c, const struct ipvs_service *svc,
		   const struct ipvs_dest *d);
int ipvs_dest_del(struct ipvs_client *c, const struct ipvs_service *svc,
		  const struct ipvs_dest *d);
/* Every destination of svc with statistics (malloc'ed; free() it).
 * -ENOENT when the service does not exist. */
int ipvs_dest_list(struct ipvs_client *c, const struct ipvs_service *svc,
		   struct ipvs_dest **ret_v, size_t *ret_n);

/* Sync daemon (IPVS_CMD_NEW_DAEMON / DEL_DAEMON / GET_DAEMON). list
 * fills up to 2 entries (master, backup). */
int ipvs_daemon_start(struct ipvs_client *c, const struct ipvs_daemon *d);
int ipvs_daemon_stop(struct ipvs_client *c, uint32_t state);
int ipvs_daemon_list(struct ipvs_client *c, struct ipvs_daemon ret_v[2], size_t *ret_n);

/* Connection time-outs (ipvsadm --set); 0 fields are left unchanged. */
int ipvs_set_timeouts(struct ipvs_client *c, const struct ipvs_timeouts *t);
int ipvs_get_timeouts(struct ipvs_client *c, struct ipvs_timeouts *ret_t);

/* Removes every service (ipvsadm -C). */
int ipvs_flush(struct ipvs_client *c);

/* -errno for a libnl -NLE_* code (positive or negative). */
int ipvs_nl_errno(int nle);

#endif
