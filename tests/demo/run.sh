#!/bin/bash
# The demo: the installation guide's active/standby pair, unchanged (each
# router's file only adds a global_defs that turns D-Bus and SNMP on and
# includes the seed file), on two routers in network namespaces that own
# 192.168.1.0/24 (nothing leaves this machine).
#  1. both start; the master holds the addresses (ip addr from each side);
#  2. SNMP: snmpwalk of the instance table through a private snmpd;
#     D-Bus: busctl tree and the instance's properties on a private bus;
#  3. the master stops, the backup takes the addresses (failover time), and
#     snmptrapd receives the backup's vrrpInstanceStateChange trap;
#  4. the master returns and takes them back (preemption);
#  5. a failover driven over D-Bus: busctl call ... SetPriority.
#   tests/demo/run.sh [BUILD_DIR]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export ALIVED=${ALIVED:-${1:-$top/build}/alived} ALIVED_SRCDIR=$top
. "$top/tests/integration/lib.sh"
require_netns
seed=$top/tests/data/seed
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
show() { echo "    router $1: $(ip -n "$2" -4 -br addr show dev eth0)"; }
both() { show a "$NS_a"; show b "$NS_b"; }
step() { echo; echo "== $*"; }

step "Topology: routers a (192.168.1.1), b (192.168.1.2) and a client (192.168.1.10) on one bridge"
lan_setup a:192.168.1.1/24 b:192.168.1.2/24 c:192.168.1.10/24 || { echo "cannot build the topology"; exit 1; }

# Each router: its own configuration (global_defs + the guide's file), its
# own private D-Bus daemon (the system bus's usual default policy plus
# ours), and, on b, a private snmpd and snmptrapd.
for r in a b; do
	role=master; [ $r = b ] && role=backup
	mkdir -p "$T/$r" && chmod 755 "$T/$r"
	cat > "$T/$r/alived.conf" <<CONF
global_defs {
    router_id router-$r
    enable_dbus
$([ $r = b ] && printf '    enable_snmp_vrrp\n    enable_traps\n    snmp_socket unix:%s\n' "$T/agentx.sock")
}
include $seed/active-standby-$role.conf
CONF
	cat > "$T/$r/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$T/$r/bus.sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus"
           send_interface="org.freedesktop.DBus.Introspectable"/>
  </policy>
  <policy user="root">
    <allow send_destination="org.freedesktop.DBus"
           send_interface="org.freedesktop.DBus.Monitoring"/>
  </policy>
    <include>$top/dbus/org.alived.conf</include>
</busconfig>
CONF
	out=$(dbus-daemon --config-file="$T/$r/bus.conf" --print-address --fork --print-pid) ||
		{ echo "dbus-daemon failed"; exit 1; }
	cleanup_add "kill $(echo "$out" | sed -n 2p)"
done
bc() { local r=$1; shift; busctl --no-pager --address="unix:path=$T/$r/bus.sock" "$@"; }

port=16161 trap_port=16162
cat > "$T/snmpd.conf" <<CONF
master agentx
agentXSocket unix:$T/agentx.sock
agentaddress udp:127.0.0.1:$port
rocommunity public 127.0.0.1
trap2sink 127.0.0.1:$trap_port public
CONF
printf 'disableAuthorization yes\nsnmpTrapdAddr udp:127.0.0.1:%s\n' $trap_port > "$T/snmptrapd.conf"
MIBS= MIBDIRS= ip netns exec "$NS_b" snmptrapd -f -On -Lf "$T/traps.log" -C -c "$T/snmptrapd.conf" \
	-p "$T/snmptrapd.pid" &
cleanup_add "stop_pid $!"
MIBS= MIBDIRS= ip netns exec "$NS_b" snmpd -f -Lf "$T/snmpd.log" -C -c "$T/snmpd.conf" \
	-p "$T/snmpd.pid" &
cleanup_add "stop_pid $!"
# Column numbers of vrrpInstanceEntry -> names, from our MIB module.
awk '/^[a-zA-Z][a-zA-Z0-9]* OBJECT-TYPE/{n=$1} /::= *\{ *vrrpInstanceEntry [0-9]+ *\}/{gsub(/[{}]/,""); print $3, n}' \
	"$top/mib/ALIVED-MIB.txt" > "$T/columns"
K=.1.3.6.1.4.1.9586.100.5.2.3.1
walk_instances() {
	MIBS= MIBDIRS= ip netns exec "$NS_b" snmpwalk -v2c -c public -On -t 1 -r 1 "127.0.0.1:$port" $K |
		awk -v K="$K." 'NR==FNR {name[$1]=$2; next}
			{ o=$1; sub(K, "", o); split(o, p, "."); v=$0; sub(/^[^=]*= /, "", v);
			  if (p[1] ~ /^(2|3|4|7|8|10|12|13|30)$/) printf "    %s.%s = %s\n", name[p[1]], p[2], v }' \
		"$T/columns" -
}

echo "The guide's master configuration ($seed/active-standby-master.conf):"
sed 's/^/    /' "$seed/active-standby-master.conf"
"$ALIVED" -t -f "$T/a/alived.conf" && echo "    (alived -t: configuration OK)"

step "Starting alived on both routers"
t0=$(date +%s%N)
DBUS_SYSTEM_BUS_ADDRESS=unix:path=$T/a/bus.sock alived_start a "$NS_a" "$T/a/alived.conf"
DBUS_SYSTEM_BUS_ADDRESS=unix:path=$T/b/bus.sock alived_start b "$NS_b" "$T/b/alived.conf"
wait_for 10 has_addr "$NS_a" 192.168.1.230 && echo "a became master after $(ms_since $t0) ms"
sleep 1
both
ip netns exec "$NS_c" ping -c1 -W1 192.168.1.220 >/dev/null && echo "    client: 192.168.1.220 answers"

step "SNMP: snmpwalk of vrrpInstanceTable on router b (alived is an AgentX subagent of snmpd)"
wait_for 10 sh -c "MIBS= MIBDIRS= ip netns exec $NS_b snmpget -v2c -c public -t 1 -r 0 127.0.0.1:$port $K.2.1 | grep -q VI_1"
walk_instances

step "D-Bus: busctl tree org.alived.Vrrp1 and the instance on router a"
bc a tree org.alived.Vrrp1 | sed 's/^/    /'
inst=$(bc a tree --list org.alived.Vrrp1 | grep '/Instance/' | head -1)
for p in Name State BasePriority EffectivePriority VirtualAddresses MasterAddress; do
	printf '    %-18s %s\n' "$p" "$(bc a get-property org.alived.Vrrp1 "$inst" org.alived.Vrrp1.Instance $p)"
done
echo "    keepalived's interface too: $(bc a get-property org.keepalived.Vrrp1 \
	/org/keepalived/Vrrp1/Instance/eth0/51/IPv4 org.keepalived.Vrrp1.Instance State)"

step "Stopping router a (TERM): b takes the addresses"
t0=$(date +%s%N)
stop_pid "$PID_a" TERM &
stopper=$!
wait_for 10 has_addr "$NS_b" 192.168.1.230 && echo "b took over in $(ms_since $t0) ms (graceful failover)"
wait $stopper
both
ip netns exec "$NS_c" ping -c1 -W1 192.168.1.220 >/dev/null && echo "    client: 192.168.1.220 still answers"
wait_for 5 grep -q "9586.100.5.2.10.0.2" "$T/traps.log"
echo "    trap received by snmptrapd on b (vrrpInstanceStateChange = .1.3.6.1.4.1.9586.100.5.2.10.0.2):"
grep -A6 "9586.100.5.2.10.0.2" "$T/traps.log" | tail -n 7 | sed 's/^/      /'
walk_instances | grep -E 'vrrpInstanceName|vrrpInstanceState\.'

step "Starting router a again: it has the higher priority and preempts"
t0=$(date +%s%N)
DBUS_SYSTEM_BUS_ADDRESS=unix:path=$T/a/bus.sock alived_start a "$NS_a" "$T/a/alived.conf"
wait_for 10 has_addr "$NS_a" 192.168.1.230 && echo "a is master again after $(ms_since $t0) ms"
wait_for 5 sh -c "! ip -n $NS_b addr show | grep -q 192.168.1.230"
both

step "A failover driven over D-Bus: busctl call ... SetPriority 50 on router a (b has 90)"
wait_for 10 bc a get-property org.alived.Vrrp1 "$inst" org.alived.Vrrp1.Instance State
t0=$(date +%s%N)
echo "    busctl call org.alived.Vrrp1 $inst org.alived.Vrrp1.Instance SetPriority y 50"
bc a call org.alived.Vrrp1 "$inst" org.alived.Vrrp1.Instance SetPriority y 50
wait_for 10 has_addr "$NS_b" 192.168.1.230 && echo "b took over in $(ms_since $t0) ms (a keeps advertising priority 50; b, preempting, takes over when its Master_Down timer runs out)"
both
printf '    a: State %s, BasePriority %s\n' \
	"$(bc a get-property org.alived.Vrrp1 "$inst" org.alived.Vrrp1.Instance State)" \
	"$(bc a get-property org.alived.Vrrp1 "$inst" org.alived.Vrrp1.Instance BasePriority)"

step "Log of router b"
grep -v ' debug' "$T/b.log" | grep -E 'VI_1|reload|started' | tail -n 8 | sed 's/^/    /'
stop_pid "$PID_a"; stop_pid "$PID_b"
echo
echo "== Demo done; namespaces, daemons and files removed"
