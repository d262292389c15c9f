#!/bin/bash
# The demo: the installation guide's active/standby pair, unchanged, on two
# routers in network namespaces that own 192.168.1.0/24 (nothing leaves this
# machine). Both start, the master holds the addresses, the master stops,
# the backup takes them, the master returns and takes them back; the
# failover times are printed.
#   tests/demo/run.sh [BUILD_DIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export ALIVED=${ALIVED:-${1:-$top/build}/alived} ALIVED_SRCDIR=$top
. "$top/tests/integration/lib.sh"
require_netns
seed=$top/tests/data/seed
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
show() { echo "--- $1: ip -4 addr show dev eth0"; ip -n "$2" -4 -br addr show dev eth0; }

echo "== Topology: routers a (192.168.1.1) and b (192.168.1.2) and a client (192.168.1.10) on one bridge"
lan_setup a:192.168.1.1/24 b:192.168.1.2/24 c:192.168.1.10/24 || { echo "cannot build the topology"; exit 1; }
echo "== Configuration of router a (the guide's master): $seed/active-standby-master.conf"
sed 's/^/    /' "$seed/active-standby-master.conf"
"$ALIVED" -t -f "$seed/active-standby-master.conf" && echo "    (alived -t: configuration OK)"

echo "== Starting alived on both routers"
t0=$(date +%s%N)
alived_start a "$NS_a" "$seed/active-standby-master.conf"
alived_start b "$NS_b" "$seed/active-standby-backup.conf"
wait_for 10 has_addr "$NS_a" 192.168.1.230 && echo "a became master in $(ms_since $t0) ms"
sleep 1
show "router a" "$NS_a"; show "router b" "$NS_b"
ip netns exec "$NS_c" ping -c1 -W1 192.168.1.220 >/dev/null && echo "client: 192.168.1.220 answers"

echo "== Stopping router a (TERM)"
t0=$(date +%s%N)
stop_pid "$PID_a" TERM &
wait_for 10 has_addr "$NS_b" 192.168.1.230 && echo "b took over in $(ms_since $t0) ms (graceful failover)"
wait
show "router a" "$NS_a"; show "router b" "$NS_b"
ip netns exec "$NS_c" ping -c1 -W1 192.168.1.220 >/dev/null && echo "client: 192.168.1.220 still answers"

echo "== Starting router a again: it has the higher priority and preempts"
t0=$(date +%s%N)
alived_start a "$NS_a" "$seed/active-standby-master.conf"
wait_for 10 has_addr "$NS_a" 192.168.1.230 && echo "a is master again after $(ms_since $t0) ms"
wait_for 5 sh -c "! ip -n $NS_b addr show | grep -q 192.168.1.230"
show "router a" "$NS_a"; show "router b" "$NS_b"

echo "== Log of router b"
sed 's/^/    /' "$T/b.log" | grep -v ' debug' | tail -n 15
stop_pid "$PID_a"; stop_pid "$PID_b"
echo "== Demo done; namespaces and processes removed"
