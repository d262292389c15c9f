/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside dbus/: the checker process's names, paths and interface tables
 * (bus_check.c), shared with the unit test that compares them with
 * dbus/org.alived.Check1.xml.
 */
#ifndef ALIVED_DBUS_BUS_CHECK_H
#define ALIVED_DBUS_BUS_CHECK_H

#include "bus_int.h"

#define BUS_CHECK_NAME		"org.alived.Check1"
#define BUS_CHECK_PATH		"/org/alived/Check1"
#define BUS_CHECK_VS_PREFIX	"/org/alived/Check1/VirtualServer"
#define BUS_CHECK_IF_MANAGER	"org.alived.Check1.Manager"
#define BUS_CHECK_IF_VS		"org.alived.Check1.VirtualServer"
#define BUS_CHECK_IF_RS		"org.alived.Check1.RealServer"

extern const struct bus_iface bus_check_manager_iface;
extern const struct bus_iface bus_check_vs_iface;
extern const struct bus_iface bus_check_rs_iface;

/* The service's bus while started (tests), else NULL. */
struct bus *bus_check_bus(void);

#endif
