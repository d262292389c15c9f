#!/bin/bash
# SNMP SET drives failover. Two routers on one LAN, each in its own
# namespace with its own alived and its own private snmpd (AgentX socket in
# $T, UDP on 127.0.0.1 of that namespace). Through snmpset:
#  - vrrpInstanceBasePriority on the backup above the master's: the backup
#    preempts and takes the address (mastership moves);
#  - vrrpv3OperationsPriority on the other one moves it back;
#  - vrrpOperAdminState down on the master: it leaves (maintenance), the
#    peer takes over; up: it comes back and preempts;
#  - vrrpOperPreemptMode / vrrpInstancePreempt / vrrpv3OperationsPreemptMode
#    false: a higher priority no longer preempts;
#  - errors: wrongType, wrongValue (0, 256, 255 for a non-owner, preempt
#    3), noCreation (no such row, RowStatus createAndGo), notWritable; a
#    SET of two varbinds of which one is refused changes nothing.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd snmpd snmpget snmpset snmpwalk
"$ALIVED" -v | grep -q 'Build options:.*SNMP' || skip "alived built without SNMP"
lan_setup a:192.168.78.1/24 b:192.168.78.2/24 || { fail "topology"; done_testing; }

K=.1.3.6.1.4.1.9586.100.5
V2=.1.3.6.1.2.1.68.1.3.1	# vrrpOperEntry
V3=.1.3.6.1.2.1.207.1.1.1.1	# vrrpv3OperationsEntry

snmpd_start() {	# snmpd_start NAME NS
	cat > "$T/$1.snmpd.conf" <<EOF
master agentx
agentXSocket unix:$T/$1.ax
agentaddress udp:127.0.0.1:16161
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
dontLogTCPWrappersConnects yes
EOF
	MIBS= MIBDIRS= ip netns exec "$2" snmpd -f -Lf "$T/$1.snmpd.log" -C -c "$T/$1.snmpd.conf" \
		-p "$T/$1.snmpd.pid" &
	local pid=$!
	cleanup_add "kill -CONT $pid; stop_pid $pid"
}
# snmp NS CMD ARGS...: a net-snmp tool against that namespace's snmpd.
snmp() {
	local ns=$1 cmd=$2 c=public; shift 2
	[ "$cmd" = snmpset ] && c=private
	MIBS= MIBDIRS= ip netns exec "$ns" "$cmd" -v2c -c "$c" -On -t 2 -r 1 127.0.0.1:16161 "$@" 2>&1
}
get() { snmp "$1" snmpget -Oqv "$2" | tr -d '"'; }
is_state() { [ "$(get "$1" "$K.2.3.1.4.1")" = "$2" ]; }	# NS VrrpState of VI_1
ifindex() { ip -n "$1" -o link show eth0 | cut -d: -f1; }

conf() {	# conf NAME PRIORITY
	cat > "$T/$1.conf" <<EOF
global_defs {
    router_id $1
    enable_snmp_vrrp
    enable_snmp_rfcv2
    enable_snmp_rfcv3
    snmp_socket unix:$T/$1.ax
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 61
    priority $2
    advert_int 0.2
    version 3
    virtual_ipaddress { 192.168.78.100/24 }
}
EOF
}
conf a 150
conf b 100
snmpd_start a "$NS_a"
snmpd_start b "$NS_b"
alived_start a "$NS_a" "$T/a.conf"
alived_start b "$NS_b" "$T/b.conf"
ia=$(ifindex "$NS_a") ib=$(ifindex "$NS_b")

if wait_for 10 is_state "$NS_a" 2 && wait_for 5 is_state "$NS_b" 1 &&
	wait_for 2 has_addr "$NS_a" 192.168.78.100; then
	pass "a is master, b backup (snmpget of vrrpInstanceState)"
else
	fail "start: a=$(get "$NS_a" $K.2.3.1.4.1) b=$(get "$NS_b" $K.2.3.1.4.1)"
	tail -n 5 "$T/a.log" "$T/b.log"; done_testing
fi

moved_to() {	# moved_to NS-NEW NS-OLD: the new one is master with the address
	wait_for 5 is_state "$1" 2 && wait_for 3 has_addr "$1" 192.168.78.100 &&
		wait_for 3 is_state "$2" 1 && ! has_addr "$2" 192.168.78.100
}

# 1. ALIVED-MIB vrrpInstanceBasePriority on the backup: it preempts.
out=$(snmp "$NS_b" snmpset $K.2.3.1.7.1 i 200)
if echo "$out" | grep -q 'INTEGER: 200' && moved_to "$NS_b" "$NS_a"; then
	pass "snmpset vrrpInstanceBasePriority.1 = 200 on b: mastership moved to b"
else
	fail "BasePriority: $out; a=$(get "$NS_a" $K.2.3.1.4.1) b=$(get "$NS_b" $K.2.3.1.4.1)"
fi
[ "$(get "$NS_b" $K.2.3.1.8.1)" = 200 ] && pass "vrrpInstanceEffectivePriority follows (200)" ||
	fail "effective priority $(get "$NS_b" $K.2.3.1.8.1)"
[ "$(get "$NS_b" "$V3.7.$ib.61.1")" = 200 ] && pass "vrrpv3OperationsPriority reads 200" ||
	fail "vrrpv3OperationsPriority $(get "$NS_b" "$V3.7.$ib.61.1")"

# 2. VRRPV3-MIB vrrpv3OperationsPriority (Unsigned32) on a: it takes over again.
out=$(snmp "$NS_a" snmpset "$V3.7.$ia.61.1" u 250)
if echo "$out" | grep -q 'Gauge32: 250' && moved_to "$NS_a" "$NS_b"; then
	pass "snmpset vrrpv3OperationsPriority = 250 on a: mastership moved back to a"
else
	fail "vrrpv3OperationsPriority: $out"
fi

# 3. VRRP-MIB vrrpOperAdminState down on a (maintenance): b takes over.
# VRRP-MIB lists IPv4 VRRPv2 instances only: make VI_1 v2 by reloading.
sed -i 's/version 3/version 2/; s/advert_int 0.2/advert_int 1/' "$T/a.conf" "$T/b.conf"
kill -HUP "$PID_a" "$PID_b"
wait_for 5 sh -c "MIBS= ip netns exec $NS_a snmpget -v2c -c public -On 127.0.0.1:16161 \
	$V2.3.$ia.61 | grep -q INTEGER" || fail "vrrpOperEntry of a did not appear after the reload"
out=$(snmp "$NS_a" snmpset "$V2.4.$ia.61" i 2)
if echo "$out" | grep -q 'INTEGER: 2' && wait_for 6 is_state "$NS_b" 2 &&
	wait_for 3 has_addr "$NS_b" 192.168.78.100 && ! has_addr "$NS_a" 192.168.78.100; then
	pass "snmpset vrrpOperAdminState = down on a: a left, b took over"
else
	fail "AdminState down: $out; b=$(get "$NS_b" $K.2.3.1.4.1)"; tail -n 5 "$T/a.log"
fi
[ "$(get "$NS_a" "$V2.3.$ia.61")" = 1 ] && pass "vrrpOperState of a is initialize" ||
	fail "vrrpOperState of a: $(get "$NS_a" "$V2.3.$ia.61")"
out=$(snmp "$NS_a" snmpset "$V2.4.$ia.61" i 1)
if echo "$out" | grep -q 'INTEGER: 1' && moved_to "$NS_a" "$NS_b"; then
	pass "snmpset vrrpOperAdminState = up on a: a came back and preempted"
else
	fail "AdminState up: $out; a=$(get "$NS_a" $K.2.3.1.4.1)"
fi

# 4. Preempt off on b (VRRP-MIB), then a priority above a's: no preemption.
out=$(snmp "$NS_b" snmpset "$V2.12.$ib.61" i 2 "$V2.5.$ib.61" i 254)
if echo "$out" | grep -q "$V2.12.$ib.61 = INTEGER: 2" && sleep 3.5 && is_state "$NS_b" 1 &&
	is_state "$NS_a" 2; then
	pass "vrrpOperPreemptMode false + vrrpOperPriority 254 on b in one SET: b does not preempt"
else
	fail "preempt off: $out; b=$(get "$NS_b" $K.2.3.1.4.1)"
fi
[ "$(get "$NS_b" $K.2.3.1.13.1)" = 2 ] && pass "vrrpInstancePreempt reads noPreempt(2)" ||
	fail "vrrpInstancePreempt $(get "$NS_b" $K.2.3.1.13.1)"
out=$(snmp "$NS_b" snmpset $K.2.3.1.13.1 i 1)
if echo "$out" | grep -q 'INTEGER: 1' && moved_to "$NS_b" "$NS_a"; then
	pass "vrrpInstancePreempt = preempt(1) on b: b preempts now"
else
	fail "vrrpInstancePreempt: $out"
fi
out=$(snmp "$NS_b" snmpset "$V3.10.$ib.61.1" i 2)
echo "$out" | grep -q 'INTEGER: 2' && [ "$(get "$NS_b" $K.2.3.1.13.1)" = 2 ] &&
	pass "vrrpv3OperationsPreemptMode false" || fail "vrrpv3OperationsPreemptMode: $out"

# 5. Errors.
err_is() {	# err_is WHAT EXPECTED-REASON NS ARGS...
	local what=$1 want=$2 ns=$3 out; shift 3
	out=$(snmp "$ns" snmpset "$@")
	if echo "$out" | grep -q "Reason: $want"; then pass "$what: $want"; else
		fail "$what: want $want, got: $out"; fi
}
err_is "BasePriority as a string" wrongType "$NS_a" $K.2.3.1.7.1 s high
err_is "BasePriority 0" wrongValue "$NS_a" $K.2.3.1.7.1 i 0
err_is "BasePriority 255 (not the owner)" wrongValue "$NS_a" $K.2.3.1.7.1 i 255
err_is "BasePriority 300" wrongValue "$NS_a" $K.2.3.1.7.1 i 300
err_is "vrrpInstancePreempt 3" wrongValue "$NS_a" $K.2.3.1.13.1 i 3
err_is "vrrpOperPriority 256" wrongValue "$NS_a" "$V2.5.$ia.61" i 256
err_is "vrrpv3OperationsPriority as INTEGER" wrongType "$NS_a" "$V3.7.$ia.61.1" i 100
err_is "vrrpOperAdminState 3" wrongValue "$NS_a" "$V2.4.$ia.61" i 3
err_is "instance index 99" noCreation "$NS_a" $K.2.3.1.7.99 i 100
err_is "vrrpOperPriority of VRID 99" noCreation "$NS_a" "$V2.5.$ia.99" i 100
err_is "vrrpOperRowStatus createAndGo" noCreation "$NS_a" "$V2.15.$ia.99" i 4
err_is "vrrpv3OperationsRowStatus createAndGo" noCreation "$NS_a" "$V3.13.$ia.99.1" i 4
err_is "vrrpInstanceName" notWritable "$NS_a" $K.2.3.1.2.1 s other
err_is "vrrpOperAuthType" notWritable "$NS_a" "$V2.9.$ia.61" i 2
p0=$(get "$NS_a" $K.2.3.1.7.1)
err_is "a SET of a valid and a refused varbind" wrongValue "$NS_a" \
	$K.2.3.1.7.1 i 77 $K.2.3.1.13.1 i 9
[ "$(get "$NS_a" $K.2.3.1.7.1)" = "$p0" ] && pass "... changed nothing (priority still $p0)" ||
	fail "the refused SET changed the priority to $(get "$NS_a" $K.2.3.1.7.1)"
grep -q 'priority .* (SNMP)' "$T/a.log" && pass "commands logged with their origin (SNMP)" ||
	fail "no SNMP origin in the log"

stop_pid "$PID_a"; stop_pid "$PID_b"
done_testing
