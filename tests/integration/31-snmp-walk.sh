#!/bin/bash
# The VRRP process as an AgentX subagent of a private snmpd (own config,
# AgentX socket and pid file in $T, UDP on 127.0.0.1 of a namespace made
# here) that forwards notifications to a private snmptrapd: alived starts
# before snmpd (no master is not an error), its rows appear once snmpd
# runs; snmpwalk of enterprises.9586.100.5 shows the global scalars and one
# vrrpInstanceTable row per instance with the right values; the state
# changes made before snmpd ran arrive as vrrpInstanceStateChange, with the
# instance index in the varbinds, and so does a fault; the rows survive an
# snmpd restart and a SIGSTOP of snmpd; every fd of the VRRP process is
# close-on-exec.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd snmpd snmpwalk snmpget snmptrapd
"$ALIVED" -v | grep -q 'Build options:.*SNMP' || skip "alived built without SNMP"

netns_add r || { fail "namespace"; done_testing; }
ip -n "$NS_r" link add eth0 type veth peer name eth1 &&
	ip -n "$NS_r" link set eth0 up && ip -n "$NS_r" link set eth1 up &&
	ip -n "$NS_r" addr add 192.168.77.1/24 dev eth0 || { fail "veth"; done_testing; }

port=16161 trap_port=16162	# in a namespace of our own: free
sock=$T/agentx.sock
cat > "$T/snmpd.conf" <<EOF
master agentx
agentXSocket unix:$sock
agentaddress udp:127.0.0.1:$port
rocommunity public 127.0.0.1
trap2sink 127.0.0.1:$trap_port public
dontLogTCPWrappersConnects yes
EOF
cat > "$T/snmptrapd.conf" <<EOF
disableAuthorization yes
snmpTrapdAddr udp:127.0.0.1:$trap_port
EOF
MIBS= MIBDIRS= ip netns exec "$NS_r" snmptrapd -f -On -Lf "$T/traps.log" -C \
	-c "$T/snmptrapd.conf" -p "$T/snmptrapd.pid" &
TRAPD_PID=$!
cleanup_add "stop_pid $TRAPD_PID"
snmpd_start() {
	MIBS= MIBDIRS= ip netns exec "$NS_r" snmpd -f -Lf "$T/snmpd.log" -C -c "$T/snmpd.conf" \
		-p "$T/snmpd.pid" &
	SNMPD_PID=$!
	cleanup_add "kill -CONT $SNMPD_PID; stop_pid $SNMPD_PID"
}
snmp() {	# snmp CMD ARGS...: a net-snmp tool against our snmpd, numeric output
	local cmd=$1; shift
	MIBS= MIBDIRS= ip netns exec "$NS_r" "$cmd" -v2c -c public -On -t 1 -r 1 \
		"127.0.0.1:$port" "$@" 2>&1
}
K=.1.3.6.1.4.1.9586.100.5
walk() { snmp snmpwalk "$K" > "$T/walk"; }
has_rows() { walk && grep -q "^$K.2.3.1.2.2 = STRING: \"VI_2\"" "$T/walk"; }
val() { grep "^$K$1 = " "$T/walk" | sed 's/^[^=]*= //; s/ *$//'; }

cat > "$T/alived.conf" <<EOF
global_defs {
    router_id snmp-r1
    enable_snmp_vrrp
    enable_traps
    snmp_socket unix:$sock
    notification_email { ops@example.org }
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress { 192.168.77.100/24 }
    notify_master "/bin/true master"
}
vrrp_instance VI_2 {
    state BACKUP
    interface eth0
    virtual_router_id 52
    version 3
    priority 100
    advert_int 0.5
    nopreempt
    virtual_ipaddress { 192.168.77.200/24 }
}
EOF

# alived first: no master agent yet.
alived_start a "$NS_r" "$T/alived.conf"
sleep 1.5
if kill -0 "$PID_a" 2>/dev/null; then pass "alived runs without a master agent"; else
	fail "alived died without a master agent"; cat "$T/a.log"; done_testing; fi

snmpd_start
if wait_for 12 has_rows; then
	pass "rows served once snmpd runs"
else
	fail "no rows from alived:"; cat "$T/walk"; tail -20 "$T/a.log"; tail -5 "$T/snmpd.log"
	done_testing
fi
wait_for 8 sh -c "MIBS= ip netns exec $NS_r snmpget -v2c -c public -On 127.0.0.1:$port \
	$K.2.3.1.4.1 | grep -q 'INTEGER: 2'"
walk
echo "--- snmpwalk $K"; cat "$T/walk"; echo "---"

check() {	# check OID-SUFFIX EXPECTED-VALUE WHAT
	local got; got=$(val "$1")
	if [ "$got" = "$2" ]; then pass "$3: $got"; else fail "$3: got '$got', want '$2'"; fi
}
check .1.1.0 "STRING: \"$("$ALIVED" -v | head -1)\"" "version"
check .1.2.0 'STRING: "snmp-r1"' "routerId"
check .1.3.5.1.2.1 'STRING: "ops@example.org"' "emailAddress.1"
check .1.4.0 'INTEGER: 1' "trapEnable enabled"
check .2.3.1.2.1 'STRING: "VI_1"' "vrrpInstanceName.1"
check .2.3.1.2.2 'STRING: "VI_2"' "vrrpInstanceName.2"
check .2.3.1.3.1 'Gauge32: 51' "vrrpInstanceVirtualRouterId.1"
check .2.3.1.3.2 'Gauge32: 52' "vrrpInstanceVirtualRouterId.2"
check .2.3.1.4.1 'INTEGER: 2' "vrrpInstanceState.1 master"
check .2.3.1.5.1 'INTEGER: 2' "vrrpInstanceInitialState.1 master"
check .2.3.1.5.2 'INTEGER: 1' "vrrpInstanceInitialState.2 backup"
check .2.3.1.7.1 'INTEGER: 150' "vrrpInstanceBasePriority.1"
check .2.3.1.10.1 'STRING: "eth0"' "vrrpInstancePrimaryInterface.1"
check .2.3.1.12.1 'Gauge32: 1' "vrrpInstanceAdvertisementsInt.1 (v2: seconds)"
check .2.3.1.12.2 'Gauge32: 50' "vrrpInstanceAdvertisementsInt.2 (v3: centiseconds)"
check .2.3.1.13.1 'INTEGER: 1' "vrrpInstancePreempt.1"
check .2.3.1.13.2 'INTEGER: 2' "vrrpInstancePreempt.2 (nopreempt)"
check .2.3.1.22.1 'STRING: "/bin/true master"' "vrrpInstanceScriptMaster.1"
check .2.3.1.30.1 'INTEGER: 2' "vrrpInstanceVrrpVersion.1"
check .2.3.1.30.2 'INTEGER: 3' "vrrpInstanceVrrpVersion.2"
check .2.3.1.34.1 'INTEGER: 1' "vrrpInstanceMulticastAddressType.1"
check .2.3.1.35.1 'Hex-STRING: E0 00 00 12' "vrrpInstanceMulticastAddress.1"
n=$(grep -c "^$K.2.3.1\." "$T/walk")
[ "$n" = 68 ] && pass "34 columns x 2 rows" || fail "vrrpInstanceTable has $n values, want 68"

# Notifications: vrrpInstanceStateChange (.2.10.0.2), varbinds with the index.
TRAP=".1.3.6.1.6.3.1.1.4.1.0 = OID: $K.2.10.0.2"
trap_with() {	# trap_with INDEX STATE: such a notification was received
	grep "$TRAP" "$T/traps.log" | grep "$K.2.3.1.2.$1 = STRING: \"VI_$1\"" |
		grep "$K.2.3.1.4.$1 = INTEGER: $2" | grep -q "$K.1.2.0 = STRING: \"snmp-r1\""
}
# The first changes happened before snmpd ran: they waited in the queue.
if wait_for 5 trap_with 2 1; then
	pass "vrrpInstanceStateChange VI_2 backup (at start-up, before snmpd ran) received"
else
	fail "no vrrpInstanceStateChange for VI_2 backup at start-up:"; cat "$T/traps.log"
fi
if wait_for 5 trap_with 1 2; then
	pass "vrrpInstanceStateChange VI_1 master (before snmpd ran) received"
else
	fail "no vrrpInstanceStateChange for VI_1 master:"; cat "$T/traps.log"
fi
ip -n "$NS_r" link set eth0 down
if wait_for 5 trap_with 1 3; then pass "vrrpInstanceStateChange VI_1 fault received"; else
	fail "no vrrpInstanceStateChange for VI_1 fault:"; cat "$T/traps.log"; fi
ip -n "$NS_r" link set eth0 up
wait_for 8 has_addr "$NS_r" 192.168.77.100 || fail "VI_1 did not come back after the fault"

# Every fd the VRRP process opened is close-on-exec (scripts inherit none);
# fds this test itself inherited and passed on are not alived's.
vpid=$(cat "$T/a.vrrp.pid" 2>/dev/null)
bad=""
for fd in /proc/$vpid/fd/*; do
	n=${fd##*/}
	[ "$n" -le 2 ] && continue
	[ "$(readlink "/proc/$$/fd/$n" 2>/dev/null)" = "$(readlink "$fd")" ] && continue
	fl=$(awk '/^flags:/ {print $2}' "/proc/$vpid/fdinfo/$n" 2>/dev/null) || continue
	[ -n "$fl" ] && [ $(( 0$fl & 02000000 )) = 0 ] && bad="$bad $n($(readlink "$fd"))"
done
[ -n "$vpid" ] && [ -z "$bad" ] && pass "every fd of the VRRP process is close-on-exec" ||
	fail "fds without close-on-exec in process '$vpid':$bad"

# snmpd restarts: the subagent reconnects and registers again.
stop_pid "$SNMPD_PID"
snmpd_start
if wait_for 15 has_rows; then pass "rows back after an snmpd restart"; else
	fail "rows lost after an snmpd restart"; tail -20 "$T/a.log"; fi

# snmpd frozen for 3 s: alived carries on, and serves again afterwards.
kill -STOP "$SNMPD_PID"
sleep 3
kill -0 "$PID_a" 2>/dev/null && has_addr "$NS_r" 192.168.77.100 &&
	pass "alived runs on while snmpd is stopped" || fail "alived suffered from a stopped snmpd"
kill -CONT "$SNMPD_PID"
if wait_for 10 has_rows; then pass "rows served after snmpd resumed"; else
	fail "rows not served after snmpd resumed"; tail -20 "$T/a.log"; fi
grep -i 'agentx' "$T/a.log" | tail -5

stop_pid "$PID_a"
stop_pid "$SNMPD_PID"
done_testing
