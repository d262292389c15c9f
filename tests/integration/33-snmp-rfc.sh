#!/bin/bash
# VRRP-MIB (RFC 2787), VRRPV3-MIB (RFC 6527) and the alived tables around
# the instances, for a two-router topology: each router in its namespace
# with its own alived, snmpd and snmptrapd (private sockets and ports).
#  - walks return the expected rows, indexed by (ifIndex, VRID[, type]):
#    VRRP-MIB the IPv4 VRRPv2 instance only, VRRPV3-MIB every instance
#    (v2, v3, IPv6); the associated address tables; the statistics;
#    vrrpAddressTable, vrrpSyncGroup(Member)Table, vrrpTracked*Table,
#    vrrpScriptTable;
#  - snmpget of the states follows a failover (the master stopped);
#  - the backup's snmptrapd receives vrrpInstanceStateChange (with the
#    instance index), vrrpTrapNewMaster and vrrpv3NewMaster (master address
#    and reason) when mastership moves, and vrrpSyncGroupStateChange;
#  - an advert with a wrong password gives vrrpTrapAuthFailure;
#  - an instance keeps its vrrpInstanceIndex when a reload adds an
#    instance before it.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd snmpd snmpget snmpwalk snmptrapd
"$ALIVED" -v | grep -q 'Build options:.*SNMP' || skip "alived built without SNMP"
lan_setup a:192.168.79.1/24 b:192.168.79.2/24 || { fail "topology"; done_testing; }
ip -n "$NS_a" -6 addr add fe80::79:1/64 dev eth0 nodad
ip -n "$NS_b" -6 addr add fe80::79:2/64 dev eth0 nodad

K=.1.3.6.1.4.1.9586.100.5
R2=.1.3.6.1.2.1.68
R3=.1.3.6.1.2.1.207
TRAPOID=".1.3.6.1.6.3.1.1.4.1.0 = OID:"

snmp_start() {	# snmp_start NAME NS: snmpd + snmptrapd of a router
	cat > "$T/$1.snmpd.conf" <<EOF
master agentx
agentXSocket unix:$T/$1.ax
agentaddress udp:127.0.0.1:16161
rocommunity public 127.0.0.1
trap2sink 127.0.0.1:16162 public
dontLogTCPWrappersConnects yes
EOF
	cat > "$T/$1.trapd.conf" <<EOF
disableAuthorization yes
snmpTrapdAddr udp:127.0.0.1:16162
EOF
	MIBS= MIBDIRS= ip netns exec "$2" snmptrapd -f -On -Lf "$T/$1.traps" -C \
		-c "$T/$1.trapd.conf" -p "$T/$1.trapd.pid" &
	cleanup_add "stop_pid $!"
	MIBS= MIBDIRS= ip netns exec "$2" snmpd -f -Lf "$T/$1.snmpd.log" -C -c "$T/$1.snmpd.conf" \
		-p "$T/$1.snmpd.pid" &
	cleanup_add "stop_pid $!"
}
snmp() {	# snmp NS CMD ARGS...
	local ns=$1 cmd=$2; shift 2
	MIBS= MIBDIRS= ip netns exec "$ns" "$cmd" -v2c -c public -On -t 2 -r 1 127.0.0.1:16161 "$@" 2>&1
}
get() { snmp "$1" snmpget -Oqv "$2" | tr -d '"'; }
walk() { snmp "$1" snmpwalk "$2" > "$3"; }
ifindex() { ip -n "$1" -o link show eth0 | cut -d: -f1; }
has() {		# has FILE OID VALUE WHAT
	if grep -qxF "$2 = $3" "$1"; then pass "$4"; else
		fail "$4: want '$2 = $3', got '$(grep -F "$2 =" "$1" | head -1)'"; fi
}
count() {	# count FILE PREFIX N WHAT: lines of the walk under PREFIX
	local n; n=$(grep -c "^$2\." "$1")
	[ "$n" = "$3" ] && pass "$4: $n values" || fail "$4: $n values, want $3"
}

conf() {	# conf NAME PRIO [extra instance]
	cat > "$T/$1.conf" <<EOF
global_defs {
    router_id $1
    enable_snmp_vrrp
    enable_snmp_rfcv2
    enable_snmp_rfcv3
    enable_traps
    snmp_socket unix:$T/$1.ax
}
vrrp_script chk_ok {
    script "/bin/true"
    interval 3
    weight -20
    rise 2
    fall 3
}
vrrp_sync_group G1 {
    group { V2 V3 }
}
${3:-}
vrrp_instance V2 {
    state BACKUP
    interface eth0
    virtual_router_id 71
    priority $2
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass secret
    }
    track_interface { lo weight 7 }
    track_script { chk_ok }
    virtual_ipaddress {
        192.168.79.100/24
        192.168.79.101/24
    }
    virtual_ipaddress_excluded { 192.168.79.150/32 }
}
vrrp_instance V3 {
    state BACKUP
    interface eth0
    virtual_router_id 72
    version 3
    priority $2
    advert_int 0.5
    virtual_ipaddress { 192.168.79.200/24 }
}
vrrp_instance V6 {
    state BACKUP
    interface eth0
    virtual_router_id 73
    version 3
    priority $2
    advert_int 0.5
    virtual_ipaddress { fe80::79:73/64 }
}
EOF
}
conf a 150
conf b 100
snmp_start a "$NS_a"
snmp_start b "$NS_b"
ia=$(ifindex "$NS_a") ib=$(ifindex "$NS_b")
alived_start a "$NS_a" "$T/a.conf"
sleep 0.5
alived_start b "$NS_b" "$T/b.conf"

master_a() { [ "$(get "$NS_a" "$R2.1.3.1.3.$ia.71")" = 3 ] &&
	[ "$(get "$NS_a" "$R3.1.1.1.1.6.$ia.73.2")" = 3 ] && [ "$(get "$NS_b" "$K.2.3.1.4.1")" = 1 ]; }
if wait_for 15 master_a; then pass "a is master (vrrpOperState), b backup"; else
	fail "a did not become master"; tail -n 5 "$T/a.log" "$T/b.log"; done_testing; fi

# --- walks of a (master) ---
walk "$NS_a" "$R2" "$T/a.r2"
echo "--- snmpwalk VRRP-MIB of a"; cat "$T/a.r2"
has "$T/a.r2" "$R2.1.1.0" "INTEGER: 2" "vrrpNodeVersion"
has "$T/a.r2" "$R2.1.2.0" "INTEGER: 1" "vrrpNotificationCntl enabled"
count "$T/a.r2" "$R2.1.3.1" 14 "vrrpOperTable: one row (the IPv4 VRRPv2 instance), 14 columns"
has "$T/a.r2" "$R2.1.3.1.2.$ia.71" "Hex-STRING: 00 00 5E 00 01 47 " "vrrpOperVirtualMacAddr"
has "$T/a.r2" "$R2.1.3.1.3.$ia.71" "INTEGER: 3" "vrrpOperState master"
has "$T/a.r2" "$R2.1.3.1.5.$ia.71" "INTEGER: 150" "vrrpOperPriority"
has "$T/a.r2" "$R2.1.3.1.6.$ia.71" "INTEGER: 2" "vrrpOperIpAddrCount"
has "$T/a.r2" "$R2.1.3.1.7.$ia.71" "IpAddress: 192.168.79.1" "vrrpOperMasterIpAddr (a)"
has "$T/a.r2" "$R2.1.3.1.9.$ia.71" "INTEGER: 2" "vrrpOperAuthType simpleTextPassword"
has "$T/a.r2" "$R2.1.3.1.10.$ia.71" '""' "vrrpOperAuthKey reads empty"
has "$T/a.r2" "$R2.1.3.1.11.$ia.71" "INTEGER: 1" "vrrpOperAdvertisementInterval"
has "$T/a.r2" "$R2.1.3.1.15.$ia.71" "INTEGER: 1" "vrrpOperRowStatus active"
count "$T/a.r2" "$R2.1.4.1" 2 "vrrpAssoIpAddrTable: the two addresses (not the excluded one)"
has "$T/a.r2" "$R2.1.4.1.2.$ia.71.192.168.79.101" "INTEGER: 1" "vrrpAssoIpAddrRowStatus"
count "$T/a.r2" "$R2.2.4.1" 12 "vrrpRouterStatsTable: one row, 12 counters"
grep -q "^$R2.2.1.0 = Counter32" "$T/a.r2" && pass "vrrpRouterChecksumErrors" ||
	fail "no vrrpRouterChecksumErrors"

walk "$NS_a" "$R3" "$T/a.r3"
echo "--- snmpwalk VRRPV3-MIB of a"; cat "$T/a.r3"
count "$T/a.r3" "$R3.1.1.1.1" 33 "vrrpv3OperationsTable: 3 rows (v2, v3, IPv6) x 11 columns"
has "$T/a.r3" "$R3.1.1.1.1.3.$ia.73.2" \
	"Hex-STRING: FE 80 00 00 00 00 00 00 00 00 00 00 00 79 00 01 " "IPv6 master address"
has "$T/a.r3" "$R3.1.1.1.1.5.$ia.73.2" "Hex-STRING: 00 00 5E 00 02 49 " "IPv6 virtual MAC"
has "$T/a.r3" "$R3.1.1.1.1.9.$ia.72.1" "INTEGER: 50" "vrrpv3OperationsAdvInterval (cs)"
has "$T/a.r3" "$R3.1.1.1.1.7.$ia.71.1" "Gauge32: 150" "vrrpv3OperationsPriority"
count "$T/a.r3" "$R3.1.1.2.1" 4 "vrrpv3AssociatedIpAddrTable: 4 addresses"
has "$T/a.r3" "$R3.1.1.2.1.2.$ia.73.2.16.254.128.0.0.0.0.0.0.0.0.0.0.0.121.0.115" "INTEGER: 1" \
	"an IPv6 associated address (length-prefixed index)"
count "$T/a.r3" "$R3.1.2.5.1" 39 "vrrpv3StatisticsTable: 3 rows x 13 columns"
has "$T/a.r3" "$R3.1.2.5.1.2.$ia.72.1" "INTEGER: 3" \
	"vrrpv3StatisticsNewMasterReason masterNoResponse"
grep -q "^$R3.1.2.5.1.1.$ia.72.1 = Counter32: [1-9]" "$T/a.r3" &&
	pass "vrrpv3StatisticsMasterTransitions counted" || fail "no master transition counted"

walk "$NS_a" "$K.2" "$T/a.k"
has "$T/a.k" "$K.2.1.1.2.1" 'STRING: "G1"' "vrrpSyncGroupName"
has "$T/a.k" "$K.2.1.1.3.1" "INTEGER: 2" "vrrpSyncGroupState master"
has "$T/a.k" "$K.2.2.1.2.1.2" 'STRING: "V3"' "vrrpSyncGroupMemberName"
has "$T/a.k" "$K.2.4.1.1.1.1" 'STRING: "lo"' "vrrpTrackedInterfaceName (index instance.ifIndex)"
has "$T/a.k" "$K.2.4.1.2.1.1" "INTEGER: 7" "vrrpTrackedInterfaceWeight"
has "$T/a.k" "$K.2.5.1.2.1.1" 'STRING: "chk_ok"' "vrrpTrackedScriptName"
has "$T/a.k" "$K.2.5.1.3.1.1" "INTEGER: -20" "vrrpTrackedScriptWeight (the script's)"
count "$T/a.k" "$K.2.6.1" 55 "vrrpAddressTable: 5 addresses x 11 columns"
has "$T/a.k" "$K.2.6.1.3.1.3" "Hex-STRING: C0 A8 4F 96 " "vrrpAddressValue of the excluded address"
has "$T/a.k" "$K.2.6.1.11.1.3" "INTEGER: 2" "... notAdvertised"
has "$T/a.k" "$K.2.6.1.10.1.1" "INTEGER: 1" "vrrpAddressStatus set on the master"
has "$T/a.k" "$K.2.6.1.7.1.1" "INTEGER: $ia" "vrrpAddressIfIndex"
has "$T/a.k" "$K.2.9.1.3.1" 'STRING: "/bin/true"' "vrrpScriptCommand"
has "$T/a.k" "$K.2.9.1.7.1" "Gauge32: 2" "vrrpScriptRise"
count "$T/a.k" "$K.2.3.1" 102 "vrrpInstanceTable: 3 rows x 34 columns"

walk "$NS_b" "$R2" "$T/b.r2"
has "$T/b.r2" "$R2.1.3.1.3.$ib.71" "INTEGER: 2" "b: vrrpOperState backup"
has "$T/b.r2" "$R2.1.3.1.7.$ib.71" "IpAddress: 192.168.79.1" "b: vrrpOperMasterIpAddr is a's"

# --- failover: a stops, b takes over; b's states and notifications ---
: > "$T/b.traps.mark"
stop_pid "$PID_a"
master_b() { [ "$(get "$NS_b" "$R2.1.3.1.3.$ib.71")" = 3 ] &&
	[ "$(get "$NS_b" "$R3.1.1.1.1.6.$ib.72.1")" = 3 ] &&
	[ "$(get "$NS_b" "$K.2.3.1.4.2")" = 2 ]; }
if wait_for 8 master_b; then pass "snmpget on b follows the failover (master in the 3 MIBs)"; else
	fail "b's states after the failover: $(get "$NS_b" "$R2.1.3.1.3.$ib.71")"; fi
[ "$(get "$NS_b" "$R2.1.3.1.7.$ib.71")" = 192.168.79.2 ] &&
	pass "b: vrrpOperMasterIpAddr is its own now" || fail "b's master address"

trap_has() {	# trap_has TRAP-OID GREP...: a notification of that type with every pattern
	local line
	while IFS= read -r line; do
		case "$line" in *"$TRAPOID $1"*) ;; *) continue ;; esac
		local ok=1 p
		for p in "${@:2}"; do [[ "$line" == *"$p"* ]] || ok=0; done
		[ $ok = 1 ] && return 0
	done < "$T/b.traps"
	return 1
}
if wait_for 5 trap_has "$K.2.10.0.2" "$K.2.3.1.2.1 = STRING: \"V2\"" "$K.2.3.1.4.1 = INTEGER: 2" \
	"$K.2.3.1.5.1 = INTEGER: 1" "$K.1.2.0 = STRING: \"b\""; then
	pass "vrrpInstanceStateChange V2 master (name, state, initial state with index 1, routerId)"
else
	fail "no vrrpInstanceStateChange for V2 master"; cat "$T/b.traps"
fi
if wait_for 3 trap_has "$R2.0.1" "$R2.1.3.1.7.$ib.71 = IpAddress: 192.168.79.2"; then
	pass "vrrpTrapNewMaster with vrrpOperMasterIpAddr.$ib.71 = 192.168.79.2"
else
	fail "no vrrpTrapNewMaster"; grep "$R2.0" "$T/b.traps"
fi
if wait_for 3 trap_has "$R3.0.1" "$R3.1.1.1.1.3.$ib.72.1 = Hex-STRING: C0 A8 4F 02" \
	"$R3.1.2.5.1.2.$ib.72.1 = INTEGER: 3"; then
	pass "vrrpv3NewMaster V3: master address 192.168.79.2, reason masterNoResponse(3)"
else
	fail "no vrrpv3NewMaster for V3"; grep "$R3.0" "$T/b.traps"
fi
trap_has "$R3.0.1" "$R3.1.1.1.1.3.$ib.73.2 = Hex-STRING: FE 80" &&
	pass "vrrpv3NewMaster for the IPv6 instance" || fail "no vrrpv3NewMaster for V6"
trap_has "$R3.0.1" ".$ib.71.1 = " && pass "vrrpv3NewMaster for the VRRPv2 instance too" ||
	fail "no vrrpv3NewMaster for V2"
if wait_for 3 trap_has "$K.2.10.0.1" "$K.2.1.1.2.1 = STRING: \"G1\"" \
	"$K.2.1.1.3.1 = INTEGER: 2"; then
	pass "vrrpSyncGroupStateChange G1 master"
else
	fail "no vrrpSyncGroupStateChange"; grep "$K.2.10.0.1" "$T/b.traps"
fi

# --- a wrong password: vrrpTrapAuthFailure (b is master and hears a) ---
sed -i 's/auth_pass secret/auth_pass wrong/' "$T/a.conf"
alived_start a "$NS_a" "$T/a.conf"
if wait_for 8 trap_has "$R2.0.2" "$R2.1.5.0 = IpAddress: 192.168.79.1" \
	"$R2.1.6.0 = INTEGER: 3"; then
	pass "vrrpTrapAuthFailure: vrrpTrapPacketSrc 192.168.79.1, authFailure(3)"
else
	fail "no vrrpTrapAuthFailure"; grep "$R2.0" "$T/b.traps"; tail -n 5 "$T/b.log"
fi
stop_pid "$PID_a"

# --- a reload that adds an instance first: indexes stay ---
conf b 100 "vrrp_instance NEW { state BACKUP
    interface eth0
    virtual_router_id 74
    priority 100
    virtual_ipaddress { 192.168.79.74/24 }
}"
kill -HUP "$PID_b"
stable() { [ "$(get "$NS_b" "$K.2.3.1.2.4")" = NEW ] && [ "$(get "$NS_b" "$K.2.3.1.2.1")" = V2 ] &&
	[ "$(get "$NS_b" "$K.2.3.1.2.2")" = V3 ]; }
if wait_for 6 stable; then
	pass "after a reload adding NEW first: V2 keeps index 1, V3 2, NEW gets 4"
else
	fail "indexes after reload:"; snmp "$NS_b" snmpwalk "$K.2.3.1.2"
fi
stop_pid "$PID_b"
done_testing
