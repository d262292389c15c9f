/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The libnl socket behind a struct vrrp_nl (vrrp_net.h), for the modules
 * of src/vrrp that talk libnl-route-3 themselves (vrrp_route.c,
 * vrrp_vmac.c). Defined in vrrp_net.c. Only libnl calls may use it; the
 * socket stays owned by the vrrp_nl.
 */
#ifndef ALIVED_VRRP_NLSOCK_H
#define ALIVED_VRRP_NLSOCK_H

struct vrrp_nl;
struct nl_sock;

struct nl_sock *vrrp_nl_sock(struct vrrp_nl *nl);

#endif
