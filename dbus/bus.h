/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The D-Bus service, as the child processes see it: three calls each.
 *
 * With enable_dbus in global_defs, bus_start() connects to the system bus
 * ($DBUS_SYSTEM_BUS_ADDRESS when set), owns org.alived.Vrrp1 (and
 * keepalived's org.keepalived.Vrrp1 unless enable_dbus_compat is off) and
 * serves the objects of doc/dbus.md, fed by include/alived/vrrp_api.h.
 * Everything runs on the given event loop and never blocks it. No bus is
 * not an error: the service retries every few seconds and re-registers
 * everything when the bus comes back. Without enable_dbus the calls do
 * nothing and return 0.
 */
#ifndef ALIVED_DBUS_BUS_H
#define ALIVED_DBUS_BUS_H

struct ev_loop;
struct cfg_root;

/*
 * Starts the service (call once the VRRP engine is up, or before: the
 * objects follow the engine's ADDED/REMOVED events either way). Nothing
 * of root is kept. 0, or -errno (-EALREADY when started twice).
 */
int bus_start(struct ev_loop *loop, const struct cfg_root *root);
/*
 * Applies a new configuration (call after the engine applied it): turns
 * the service on or off, changes the names owned. 0 or -errno.
 */
int bus_reload(struct ev_loop *loop, const struct cfg_root *root);
/*
 * Sends Stopping (and keepalived's VrrpStopped), flushes for at most
 * 200 ms, releases the names and frees everything. Safe when not started.
 */
void bus_stop(void);

/*
 * The same for the checker process: org.alived.Check1 over
 * include/alived/check_api.h (also with enable_dbus).
 */
int bus_check_start(struct ev_loop *loop, const struct cfg_root *root);
int bus_check_reload(struct ev_loop *loop, const struct cfg_root *root);
void bus_check_stop(void);

#endif
