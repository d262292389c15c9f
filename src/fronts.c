/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Starts and stops the D-Bus and AgentX fronts of each child process. */
#include "fronts.h"
#include "agent.h"
#include "bus.h"
#include "cli.h"

void fronts_early(enum child_kind kind, struct ev_loop *loop, const struct cfg_root *root,
		  const struct cli_opts *opts)
{
	struct ax_opts ao = {
		.role = kind == CHILD_VRRP ? AX_ROLE_VRRP : AX_ROLE_CHECK,
		.all = opts->snmp,
		.socket = opts->snmp_socket,
	};

	/* Before the engine: its first state changes are notified too. */
	ax_start(loop, root, &ao);
}

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
	ax_reload(root);
	if (kind == CHILD_VRRP)
		bus_reload(loop, root);
	else
		bus_check_reload(loop, root);
}

void fronts_stop_before(enum child_kind kind)
{
	if (kind == CHILD_CHECK) {
		bus_check_stop();
		ax_stop();
	}
}

void fronts_stop_after(enum child_kind kind)
{
	if (kind == CHILD_VRRP) {
		bus_stop();
		ax_stop();
	}
}

void fronts_dump_stats(FILE *out)
{
	ax_dump_stats(out);
}
