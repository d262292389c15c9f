/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside dbus/: the VRRP process's names, paths and interface tables
 * (bus_vrrp.c), shared with the unit test that compares them with
 * dbus/org.alived.Vrrp1.xml.
 */
#ifndef ALIVED_DBUS_BUS_VRRP_H
#define ALIVED_DBUS_BUS_VRRP_H

#include <stddef.h>
#include <stdint.h>

#include "bus_int.h"

#define BUS_VRRP_NAME			"org.alived.Vrrp1"
#define BUS_VRRP_PATH			"/org/alived/Vrrp1"
#define BUS_VRRP_INST_PREFIX		"/org/alived/Vrrp1/Instance"
#define BUS_VRRP_IF_MANAGER		"org.alived.Vrrp1.Manager"
#define BUS_VRRP_IF_INSTANCE		"org.alived.Vrrp1.Instance"

/* keepalived's (Debian's 2.2.7, observed) */
#define BUS_VRRP_KA_PATH		"/org/keepalived/Vrrp1/Vrrp"
#define BUS_VRRP_KA_INST_PREFIX		"/org/keepalived/Vrrp1/Instance"
#define BUS_VRRP_KA_IF_VRRP		"org.keepalived.Vrrp1.Vrrp"
#define BUS_VRRP_KA_IF_INSTANCE		"org.keepalived.Vrrp1.Instance"

struct vrrp_api_info;

extern const struct bus_iface bus_vrrp_manager_iface;
extern const struct bus_iface bus_vrrp_instance_iface;
extern const struct bus_iface bus_vrrp_ka_vrrp_iface;
extern const struct bus_iface bus_vrrp_ka_instance_iface;

/* keepalived's State: (number, name); INIT 0 "Init" ... STOP 98 "Stop". */
uint32_t bus_vrrp_ka_state(unsigned st, const char **ret_name);
/* keepalived's path of an instance: .../Instance/<ifname, [^A-Za-z0-9] -> _>/<vrid>/<IPv4|IPv6> */
int bus_vrrp_ka_path(const struct vrrp_api_info *i, char *buf, size_t len);
/* The service's bus while started (tests), else NULL. */
struct bus *bus_vrrp_bus(void);

#endif
