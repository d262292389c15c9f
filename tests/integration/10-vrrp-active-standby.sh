#!/bin/bash
# The guide's active/standby pair (seed configs, unchanged) in two network
# namespaces that own 192.168.1.0/24: the master holds both addresses;
# stopping it moves them to the backup; starting it again moves them back.
. "$(dirname "$0")/lib.sh"
require_netns
lan_setup a:192.168.1.1/24 b:192.168.1.2/24 c:192.168.1.10/24 || { fail "topology"; done_testing; }
seed=$top/tests/data/seed

alived_start a "$NS_a" "$seed/active-standby-master.conf"
alived_start b "$NS_b" "$seed/active-standby-backup.conf"

if wait_for 6 has_addr "$NS_a" 192.168.1.220 && wait_for 1 has_addr "$NS_a" 192.168.1.230; then
	pass "master holds 192.168.1.220 and .230"
else
	fail "master does not hold the addresses"; cat "$T/a.log"
fi
sleep 1.5
if has_addr "$NS_b" 192.168.1.220; then fail "backup holds the address too"; else pass "backup holds nothing"; fi
# A client on the LAN reaches the virtual address (answered by the master).
ip netns exec "$NS_c" ping -c1 -W1 192.168.1.220 >/dev/null && pass "client reaches 192.168.1.220" ||
	fail "client cannot reach 192.168.1.220"

# Stop the master: the backup takes both addresses.
t0=$(date +%s%N)
stop_pid "$PID_a" TERM
if wait_for 5 has_addr "$NS_b" 192.168.1.220 && wait_for 1 has_addr "$NS_b" 192.168.1.230; then
	pass "backup took over in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
else
	fail "backup did not take over"; cat "$T/b.log"
fi
has_addr "$NS_a" 192.168.1.220 && fail "stopped master kept its address" || pass "stopped master released"
ip netns exec "$NS_c" ping -c1 -W1 192.168.1.230 >/dev/null && pass "client reaches .230 via the backup" ||
	fail "client cannot reach .230 after failover"

# Start the master again: higher priority preempts, addresses move back.
alived_start a "$NS_a" "$seed/active-standby-master.conf"
if wait_for 6 has_addr "$NS_a" 192.168.1.220 && wait_for 3 sh -c "! ip -n $NS_b addr show | grep -q 192.168.1.220"; then
	pass "master took the addresses back"
else
	fail "addresses did not move back"; tail -20 "$T/a.log"; tail -20 "$T/b.log"
fi
stop_pid "$PID_a"; stop_pid "$PID_b"
done_testing
