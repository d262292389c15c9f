/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * use_vmac: a macvlan interface per instance on top of the instance's
 * interface, carrying the virtual router MAC of RFC 5798 §7.3
 * (00-00-5E-00-01-{VRID} for IPv4, 00-00-5E-00-02-{VRID} for IPv6) and
 * the instance's virtual addresses, so that hosts on the link see the
 * same MAC whichever router is master.
 *
 * As keepalived does: macvlan mode private, no IPv6 address generated on
 * it (addrgenmode none); for IPv4, arp_ignore 1 / arp_filter 1 on the
 * base interface and arp_ignore 1, accept_local 1, promote_secondaries 1
 * and IPv6 off on the VMAC; for IPv6, the base interface's link-local
 * address copied onto the VMAC (nodad, preferred lifetime 0), the source
 * of adverts sent from it. Unlike keepalived: an IPv6 VMAC also gets
 * arp_ignore 1 (it has no IPv4 address to answer for); the base also gets
 * arp_announce 2 (else its ARP requests for replies to hosts that pinged
 * a virtual address name that address, and the hosts learn it at the
 * base's MAC); the base's settings are put back when its last VMAC goes.
 *
 * Adverts leave from the VMAC (source MAC the virtual MAC) through its
 * socket (vrrp_vmac_sock_open()); with vmac_xmit_base they leave from the
 * base interface's own socket.
 */
#ifndef ALIVED_VRRP_VMAC_H
#define ALIVED_VRRP_VMAC_H

#include <net/if.h>
#include <stdint.h>
#include "alived/cfg_vrrp.h"

struct vrrp_nl;

#define VRRP_VMAC_NAME_PREFIX	"vrrp."

/* The VMAC's name: cfg_name when not empty, else "vrrp.VRID". */
void vrrp_vmac_name(uint8_t vrid, const char *cfg_name, char ret[IFNAMSIZ]);
/* RFC 5798 §7.3 virtual router MAC of vrid for family. */
void vrrp_vmac_addr(uint8_t vrid, int family, uint8_t ret[6]);
/* The MAC of an instance's VMAC: its configured one (6 bytes, or 5
 * completed by the VRID), else the virtual router MAC. */
void vrrp_vmac_cfg_addr(const struct cfg_vrrp_inst *c, uint8_t ret[6]);

/*
 * Creates (or adopts, when a macvlan of that name is already on
 * base_ifindex, left by an earlier run) the VMAC name on base_ifindex
 * with the virtual router MAC of vrid for family, sets it up as above
 * and brings it up. 0 and *ret_ifindex; -EEXIST when name is another
 * kind of interface; -errno.
 */
int vrrp_vmac_create(struct vrrp_nl *nl, int base_ifindex, uint8_t vrid, int family,
		     const char *name, int *ret_ifindex);
/* The same with an explicit MAC. */
int vrrp_vmac_create_mac(struct vrrp_nl *nl, int base_ifindex, const uint8_t mac[6], int family,
			 const char *name, int *ret_ifindex);
/* Deletes the VMAC; one that is gone already is success. */
int vrrp_vmac_delete(struct vrrp_nl *nl, int ifindex);
/* Forgets a VMAC that the kernel removed (its base went away) or that is
 * left in place (-V): the base's ARP settings stay as they are. */
void vrrp_vmac_forget(int ifindex);

/*
 * The raw VRRP socket of a VMAC (multicast group joined on it) that
 * receives only frames whose Ethernet source is mac: a peer's adverts sent
 * from the same virtual MAC are delivered by the macvlan driver to our
 * VMAC alone, never to the base interface, so they arrive here; every
 * other advert arrives on the base interface's socket (and is filtered out
 * here, so none is seen twice). Sending on it (vrrp_sock_send()) puts the
 * virtual MAC as the source. The fd, or -errno.
 */
int vrrp_vmac_sock_open(int family, int ifindex, const char *name, const uint8_t mac[6]);

#endif
