/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Starts and stops the D-Bus and AgentX fronts of each child process. */
#include "fronts.h"
#include "bus.h"

void fronts_start(enum child_kind kind, struct ev_loop *loop, const struct cfg_root *root,
		  const struct cli_opts *opts)
{
	(void)opts;
	if (kind == CHILD_VRRP)
		bus_start(loop, root);
	else
		bus_check_start(loop, root);
}

void fronts_reload(enum child_kind kind, struct ev_loop *loop, const struct cfg_root *root)
{
	if (kind == CHILD_VRRP)
		bus_reload(loop, root);
	else
		bus_check_reload(loop, root);
}

void fronts_stop_before(enum child_kind kind)
{
	if (kind == CHILD_CHECK)
		bus_check_stop();
}

void fronts_stop_after(enum child_kind kind)
{
	if (kind == CHILD_VRRP)
		bus_stop();
}
