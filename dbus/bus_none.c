/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Built instead of the D-Bus service when configured with --disable-dbus. */
#include "bus.h"

int bus_start(struct ev_loop *loop, const struct cfg_root *root)
{
	(void)loop;
	(void)root;
	return 0;
}

int bus_reload(struct ev_loop *loop, const struct cfg_root *root)
{
	(void)loop;
	(void)root;
	return 0;
}

void bus_stop(void)
{
}

int bus_check_start(struct ev_loop *loop, const struct cfg_root *root)
{
	(void)loop;
	(void)root;
	return 0;
}

int bus_check_reload(struct ev_loop *loop, const struct cfg_root *root)
{
	(void)loop;
	(void)root;
	return 0;
}

void bus_check_stop(void)
{
}
