// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Notifications (AgentX Notify-PDU, RFC 2741 section 6.2.10) through a
 * bounded queue, so that a burst of state changes never turns into a
 * burst of blocking writes.
 *
 * A notification is queued with the time of the event (its sysUpTime.0
 * is computed when it is sent, on the master's clock). Before each
 * wait of the loop, the queue is drained into the session while
 *  - a session is open,
 *  - fewer than AX_NOTIFY_WINDOW notifications wait for the master's
 *    answer (a stopped master stops us from sending more), and
 *  - the session's output buffer is nearly empty (the socket takes data).
 * The queue holds at most AX_NOTIFY_QUEUE_MAX notifications. When it is
 * full, a new notification replaces the oldest queued one about the same
 * object (same notification type and key: the newest state is what
 * matters), or else the oldest one; either way the loss is counted.
 * Notifications older than AX_NOTIFY_MAX_AGE_US when their turn comes
 * (no master for that long) are dropped and counted too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alived/ev.h"
#include "alived/log.h"
#include "alived/xalloc.h"
#include "ax_int.h"

#define AX_MSG_NOTIFY		12	/* RFC 2741 section 6.1 */
#define AX_NOTIFY_QUEUE_MAX	4096
#define AX_NOTIFY_WINDOW	64
#define AX_NOTIFY_OUT_LOW	16384u	/* bytes in the output buffer */
#define AX_NOTIFY_MAX_AGE_US	(120ull * 1000000ull)

struct ax_notif {
	struct ax_notif *prev, *next;
	oid trap[MAX_OID_LEN];
	size_t trap_len;
	uint64_t key;
	netsnmp_variable_list *vars;
	uint64_t queued_us;		/* when the event happened (loop clock) */
};

static struct {
	struct ax_notif *head, *tail;
	size_t n;
	unsigned inflight;
	bool enabled;
	struct log_ratelimit rl;
} Q;

/* sysUpTime.0, snmpTrapOID.0 (SNMPv2-MIB, RFC 3418). */
static const oid ax_sysuptime_oid[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
static const oid ax_trapoid_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

static void ax_notif_unlink(struct ax_notif *n)
{
	if (n->prev)
		n->prev->next = n->next;
	else
		Q.head = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		Q.tail = n->prev;
	Q.n--;
}

static void ax_notif_free(struct ax_notif *n)
{
	snmp_free_varbind(n->vars);
	free(n);
}

static void ax_notif_drop(struct ax_notif *n, bool coalesced)
{
	uint64_t now = ev_now_us(ax_loop());

	ax_notif_unlink(n);
	ax_notif_free(n);
	if (coalesced)
		ax_st.notif_coalesced++;
	else
		ax_st.notif_dropped++;
	if (log_ratelimit_ok(&Q.rl, now, 1, 10000000)) {
		unsigned sup = log_ratelimit_suppressed(&Q.rl);

		log_warn("AgentX: notification queue full (%u held): %s (%llu coalesced, "
			 "%llu dropped so far)%s", (unsigned)AX_NOTIFY_QUEUE_MAX,
			 coalesced ? "an older one about the same object replaced" :
				     "the oldest dropped",
			 (unsigned long long)ax_st.notif_coalesced,
			 (unsigned long long)ax_st.notif_dropped,
			 sup ? " (more suppressed)" : "");
	}
}

int ax_notify(const oid *trap, size_t trap_len, netsnmp_variable_list *vars, uint64_t key)
{
	struct ax_notif *n, *old;

	if (!Q.enabled) {
		snmp_free_varbind(vars);
		return -ENOTCONN;
	}
	if (trap_len == 0 || trap_len > MAX_OID_LEN) {
		snmp_free_varbind(vars);
		return -EINVAL;
	}
	if (Q.n >= AX_NOTIFY_QUEUE_MAX) {
		for (old = Q.head; old; old = old->next)
			if (key && old->key == key &&
			    snmp_oid_compare(old->trap, old->trap_len, trap, trap_len) == 0)
				break;
		ax_notif_drop(old ? old : Q.head, old != NULL);
	}
	n = xcalloc(1, sizeof(*n));
	memcpy(n->trap, trap, trap_len * sizeof(oid));
	n->trap_len = trap_len;
	n->key = key;
	n->vars = vars;
	n->queued_us = ev_now_us(ax_loop());
	n->prev = Q.tail;
	if (Q.tail)
		Q.tail->next = n;
	else
		Q.head = n;
	Q.tail = n;
	Q.n++;
	ax_st.notif_queued++;
	ax_dirty();
	return 0;
}

static int ax_notify_cb(int op, netsnmp_session *ss, int reqid, netsnmp_pdu *pdu, void *magic)
{
	(void)ss;
	(void)reqid;
	(void)pdu;
	if ((uint16_t)(uintptr_t)magic != ax_session_gen())
		return 1;	/* a session that is gone */
	if (Q.inflight)
		Q.inflight--;
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE)
		ax_st.notif_acked++;
	else
		ax_st.notif_timeouts++;
	ax_dirty();
	return 1;
}

/* Builds and sends n's PDU; n is consumed. */
static void ax_notif_send(netsnmp_session *ss, struct ax_notif *n)
{
	netsnmp_pdu *pdu = snmp_pdu_create(AX_MSG_NOTIFY);
	netsnmp_variable_list *last;
	uint64_t age_cs = (ev_now_us(ax_loop()) - n->queued_us) / 10000u;
	u_long uptime_cs = netsnmp_get_agent_uptime();

	/* sysUpTime of the event on the master's clock (ours follows it since
	 * the Open); 0 for an event older than the master. */
	uptime_cs = uptime_cs > age_cs ? uptime_cs - (u_long)age_cs : 0;
	pdu->sessid = ss->sessid;
	pdu->time = 0;
	snmp_varlist_add_variable(&pdu->variables, ax_sysuptime_oid,
				  AX_ARRAY_SIZE(ax_sysuptime_oid), ASN_TIMETICKS,
				  &uptime_cs, sizeof(uptime_cs));
	snmp_varlist_add_variable(&pdu->variables, ax_trapoid_oid, AX_ARRAY_SIZE(ax_trapoid_oid),
				  ASN_OBJECT_ID, n->trap, n->trap_len * sizeof(oid));
	for (last = pdu->variables; last && last->next_variable; last = last->next_variable)
		;
	if (last)
		last->next_variable = n->vars;
	n->vars = NULL;
	ax_notif_free(n);
	if (snmp_async_send(ss, pdu, ax_notify_cb,
			    (void *)(uintptr_t)ax_session_gen()) == 0) {
		snmp_free_pdu(pdu);
		ax_st.notif_dropped++;
		return;
	}
	Q.inflight++;
	ax_st.notif_sent++;
}

void ax_notify_pump(void)
{
	netsnmp_session *ss = ax_session_open();
	uint64_t now = ev_now_us(ax_loop());
	struct ax_notif *n;

	while ((n = Q.head)) {
		if (now - n->queued_us > AX_NOTIFY_MAX_AGE_US) {
			ax_notif_unlink(n);
			ax_notif_free(n);
			ax_st.notif_dropped++;
			continue;
		}
		if (!ss || Q.inflight >= AX_NOTIFY_WINDOW ||
		    ax_session_out_bytes() >= AX_NOTIFY_OUT_LOW)
			return;
		ax_notif_unlink(n);
		ax_notif_send(ss, n);
		ax_dirty();
	}
}

bool ax_notify_pending(void)
{
	return Q.head != NULL;
}

size_t ax_notify_queue_len(void)
{
	return Q.n;
}

void ax_notify_session_lost(void)
{
	Q.inflight = 0;
}

void ax_notify_enable(bool on)
{
	Q.enabled = on;
	if (!on)
		ax_notify_free_all();
}

void ax_notify_free_all(void)
{
	struct ax_notif *n;

	while ((n = Q.head)) {
		ax_notif_unlink(n);
		ax_notif_free(n);
	}
	Q.inflight = 0;
}
