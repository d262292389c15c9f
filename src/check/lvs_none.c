/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Built instead of the IPVS reconciler when configured with --disable-lvs:
 * the checks run and nothing is programmed. */
#include <errno.h>
#include "alived/log.h"
#include "check/lvs.h"

int lvs_start(struct ev_loop *loop, const struct cfg_root *root)
{
	(void)loop;
	(void)root;
	log_warn("IPVS programming is not part of this build (--disable-lvs); checks run, "
		 "nothing is programmed");
	return 0;
}

int lvs_reload(const struct cfg_root *root)
{
	(void)root;
	return 0;
}

void lvs_stop(void)
{
}

void lvs_set_dont_release(bool dont_release)
{
	(void)dont_release;
}

int lvs_get_vs_stats(uint32_t vs_id, struct lvs_stats *ret_stats)
{
	(void)vs_id;
	(void)ret_stats;
	return -EPROTONOSUPPORT;
}

int lvs_get_rs_stats(uint32_t vs_id, uint32_t rs_id, struct lvs_stats *ret_stats)
{
	(void)vs_id;
	(void)rs_id;
	(void)ret_stats;
	return -EPROTONOSUPPORT;
}

void lvs_dump_stats(FILE *out)
{
	(void)out;
}

int lvs_syncd_set(const struct cfg_lvs_syncd *cfg, unsigned vrid, enum lvs_syncd_role role)
{
	(void)cfg;
	(void)vrid;
	(void)role;
	return -EPROTONOSUPPORT;
}

const char *lvs_syncd_role_name(enum lvs_syncd_role role)
{
	(void)role;
	return "off";
}

void lvs_syncd_close(void)
{
}
