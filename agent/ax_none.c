// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * agent.h for a build without net-snmp (configure --disable-snmp): the
 * same entry points, doing nothing. A configuration or command line that
 * asks for SNMP gets one warning.
 */
#include <errno.h>
#include <string.h>

#include "alived/cfg_global.h"
#include "alived/config.h"
#include "alived/log.h"
#include "agent.h"

static bool ax_warned;

static void ax_none_check(const struct cfg_root *root, bool all)
{
	const struct cfg_global *g = root->global;

	if (ax_warned)
		return;
	if (all || g->enable_snmp_vrrp || g->enable_snmp_checker || g->enable_snmp_rfcv2 ||
	    g->enable_snmp_rfcv3 || g->enable_traps) {
		log_warn("SNMP asked for, but this alived was built without SNMP support");
		ax_warned = true;
	}
}

static bool ax_all;

int ax_start(struct ev_loop *loop, const struct cfg_root *root, const struct ax_opts *opts)
{
	if (!loop || !root || !opts)
		return -EINVAL;
	ax_all = opts->all;
	ax_none_check(root, ax_all);
	return 0;
}

int ax_reload(const struct cfg_root *root)
{
	if (root)
		ax_none_check(root, ax_all);
	return 0;
}

void ax_stop(void)
{
}

void ax_get_stats(struct ax_stats *ret)
{
	memset(ret, 0, sizeof(*ret));
}

void ax_dump_stats(FILE *out)
{
	(void)out;
}
