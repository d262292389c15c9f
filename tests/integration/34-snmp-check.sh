#!/bin/bash
# The checker process as an AgentX subagent (its own session): the check
# subtree of ALIVED-MIB with a private snmpd and snmptrapd.
#  - walks of virtualServerGroupTable, virtualServerTable and
#    realServerTable return the configured servers (the sorry server is
#    row 1 of its virtual server, as in keepalived) with their states;
#  - a real server that fails gives realServerStateChange (its address,
#    port and status, the virtual server's type, protocol and counts, with
#    row indexes) and, when the quorum goes, virtualServerQuorumStateChange;
#  - realServerWeight is writable (0..65535, not the sorry server, no row
#    creation);
#  - a reload that adds a virtual server and a real server before the
#    existing ones keeps their indexes.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd snmpd snmpget snmpset snmpwalk snmptrapd python3
"$ALIVED" -v | grep -q 'Build options:.*SNMP' || skip "alived built without SNMP"
lan_setup lb:10.0.3.1/24 srv:10.0.3.2/24 || { fail "topology"; done_testing; }
NS=$NS_lb
K=.1.3.6.1.4.1.9586.100.5
TRAPOID=".1.3.6.1.6.3.1.1.4.1.0 = OID:"

cat > "$T/listen.py" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(64)
while True:
    c, _ = s.accept()
    c.close()
EOF
listen() {	# listen PORT: sets LPID
	ip netns exec "$NS_srv" python3 "$T/listen.py" 10.0.3.2 "$1" &
	LPID=$!
	cleanup_add "kill -KILL $LPID"
	wait_for 5 ip netns exec "$NS_srv" sh -c "ss -ltn | grep -q '10.0.3.2:$1 '"
}
listen 9001 || fail "listener 9001"
L1=$LPID
listen 9003 || fail "listener 9003"

cat > "$T/snmpd.conf" <<EOF
master agentx
agentXSocket unix:$T/ax
agentaddress udp:127.0.0.1:16161
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
trap2sink 127.0.0.1:16162 public
dontLogTCPWrappersConnects yes
EOF
cat > "$T/trapd.conf" <<EOF
disableAuthorization yes
snmpTrapdAddr udp:127.0.0.1:16162
EOF
MIBS= MIBDIRS= ip netns exec "$NS" snmptrapd -f -On -Lf "$T/traps" -C -c "$T/trapd.conf" \
	-p "$T/trapd.pid" &
cleanup_add "stop_pid $!"
MIBS= MIBDIRS= ip netns exec "$NS" snmpd -f -Lf "$T/snmpd.log" -C -c "$T/snmpd.conf" \
	-p "$T/snmpd.pid" &
cleanup_add "stop_pid $!"
snmp() {
	local cmd=$1 c=public; shift
	[ "$cmd" = snmpset ] && c=private
	MIBS= MIBDIRS= ip netns exec "$NS" "$cmd" -v2c -c "$c" -On -t 2 -r 1 127.0.0.1:16161 "$@" 2>&1
}
get() { snmp snmpget -Oqv "$1" | tr -d '"'; }
has() {		# has FILE OID VALUE WHAT
	if grep -qxF "$2 = $3" "$1"; then pass "$4"; else
		fail "$4: want '$2 = $3', got '$(grep -F "$2 =" "$1" | head -1)'"; fi
}

vs_block() {	# the web virtual server (real servers: $1)
	cat <<EOF
virtual_server 10.0.3.100 80 {
    delay_loop 1
    lb_algo wrr
    lb_kind DR
    protocol TCP
    quorum 2
    sorry_server 10.0.3.9 80
$1
}
EOF
}
rs() {		# rs PORT WEIGHT
	cat <<EOF
    real_server 10.0.3.2 $1 {
        weight $2
        TCP_CHECK {
            connect_port $1
            connect_timeout 1
            retry 0
        }
    }
EOF
}
conf() {	# conf [VS-BEFORE] [RS-BEFORE]
	cat > "$T/lb.conf" <<EOF
global_defs {
    router_id lb1
    enable_snmp_checker
    enable_traps
    snmp_socket unix:$T/ax
}
virtual_server_group VSG1 {
    10.0.3.101 443
}
${1:-}
$(vs_block "${2:-}$(rs 9001 3)$(rs 9002 2)")
virtual_server fwmark 5 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol UDP
$(rs 9003 1)
}
virtual_server group VSG1 {
    delay_loop 1
    lb_algo lc
    lb_kind TUN
$(rs 9003 1)
}
EOF
}
conf
alived_start lb "$NS" "$T/lb.conf"
rows_up() { [ "$(get "$K.3.4.1.6.1.2")" = 1 ] && [ "$(get "$K.3.4.1.6.1.3")" = 2 ]; }
if wait_for 15 rows_up; then pass "realServerStatus: 9001 alive, 9002 dead"; else
	fail "the check rows did not appear"; tail -n 10 "$T/lb.log"; done_testing; fi

snmp snmpwalk "$K.3" > "$T/walk"
echo "--- snmpwalk $K.3 (first lines)"; head -40 "$T/walk"
has "$T/walk" "$K.3.1.1.2.1" 'STRING: "VSG1"' "virtualServerGroupName"
has "$T/walk" "$K.3.3.1.2.1" "INTEGER: 2" "virtualServerType ip"
has "$T/walk" "$K.3.3.1.2.2" "INTEGER: 1" "virtualServerType fwmark"
has "$T/walk" "$K.3.3.1.2.3" "INTEGER: 3" "virtualServerType group"
has "$T/walk" "$K.3.3.1.3.3" 'STRING: "VSG1"' "virtualServerNameOfGroup"
has "$T/walk" "$K.3.3.1.4.2" "Gauge32: 5" "virtualServerFwMark"
has "$T/walk" "$K.3.3.1.6.1" "Hex-STRING: 0A 00 03 64 " "virtualServerAddress"
has "$T/walk" "$K.3.3.1.7.1" "Gauge32: 80" "virtualServerPort"
has "$T/walk" "$K.3.3.1.8.2" "INTEGER: 2" "virtualServerProtocol udp"
has "$T/walk" "$K.3.3.1.9.1" "INTEGER: 2" "virtualServerLoadBalancingAlgo wrr"
has "$T/walk" "$K.3.3.1.10.1" "INTEGER: 2" "virtualServerLoadBalancingKind dr"
has "$T/walk" "$K.3.3.1.10.3" "INTEGER: 3" "virtualServerLoadBalancingKind tun"
has "$T/walk" "$K.3.3.1.20.1" "Gauge32: 2" "virtualServerRealServersTotal"
has "$T/walk" "$K.3.3.1.21.1" "Gauge32: 1" "virtualServerRealServersUp"
has "$T/walk" "$K.3.3.1.22.1" "Gauge32: 2" "virtualServerQuorum"
has "$T/walk" "$K.3.3.1.23.1" "INTEGER: 1" "virtualServerQuorumStatus met (weight 3 >= 2)"
has "$T/walk" "$K.3.4.1.2.1.1" "INTEGER: 2" "realServerType of row 1.1: sorry"
has "$T/walk" "$K.3.4.1.4.1.1" "Hex-STRING: 0A 00 03 09 " "the sorry server's address"
has "$T/walk" "$K.3.4.1.2.1.2" "INTEGER: 1" "realServerType of row 1.2: regular"
has "$T/walk" "$K.3.4.1.5.1.2" "Gauge32: 9001" "realServerPort"
has "$T/walk" "$K.3.4.1.7.1.2" "INTEGER: 3" "realServerWeight"
has "$T/walk" "$K.3.4.1.40.1.2" "INTEGER: 2" "realServerForwardingMethod dr"
has "$T/walk" "$K.3.4.1.51.1.2" "Gauge32: 1000000" "realServerConnTimeoutUsec"
n=$(grep -c "^$K.3.4.1.2\." "$T/walk")
[ "$n" = 5 ] && pass "realServerTable: 5 rows (sorry + 2, 1, 1)" || fail "realServerTable: $n rows"

# realServerWeight SET.
out=$(snmp snmpset "$K.3.4.1.7.1.3" i 7)
echo "$out" | grep -q 'INTEGER: 7' && [ "$(get "$K.3.4.1.7.1.3")" = 7 ] &&
	pass "snmpset realServerWeight.1.3 = 7" || fail "realServerWeight: $out"
grep -q 'SNMP' "$T/lb.log" && pass "the weight change is logged with its origin" ||
	fail "no SNMP origin in the log"
err_is() {	# err_is WHAT REASON ARGS...
	local out; out=$(snmp snmpset "${@:3}")
	echo "$out" | grep -q "Reason: $2" && pass "$1: $2" || fail "$1: want $2, got: $out"
}
err_is "weight of the sorry server" notWritable "$K.3.4.1.7.1.1" i 5
err_is "weight 70000" wrongValue "$K.3.4.1.7.1.2" i 70000
err_is "weight -1" wrongValue "$K.3.4.1.7.1.2" i -1
err_is "weight as a string" wrongType "$K.3.4.1.7.1.2" s 5
err_is "real server 1.9" noCreation "$K.3.4.1.7.1.9" i 5
err_is "realServerPort" notWritable "$K.3.4.1.5.1.2" u 81

# 9001 fails: realServerStateChange, then the quorum goes.
kill -KILL "$L1"
trap_has() {	# trap_has TRAP-OID PATTERN...
	local line p ok
	while IFS= read -r line; do
		case "$line" in *"$TRAPOID $1"*) ;; *) continue ;; esac
		ok=1
		for p in "${@:2}"; do [[ "$line" == *"$p"* ]] || ok=0; done
		[ $ok = 1 ] && return 0
	done < "$T/traps"
	return 1
}
if wait_for 8 trap_has "$K.3.5.0.1" "$K.3.4.1.4.1.2 = Hex-STRING: 0A 00 03 02" \
	"$K.3.4.1.5.1.2 = Gauge32: 9001" "$K.3.4.1.6.1.2 = INTEGER: 2" \
	"$K.3.3.1.2.1 = INTEGER: 2" "$K.3.3.1.21.1 = Gauge32: 0" "$K.3.3.1.20.1 = Gauge32: 2" \
	"$K.3.3.1.6.1 = Hex-STRING: 0A 00 03 64" "$K.1.2.0 = STRING: \"lb1\""; then
	pass "realServerStateChange: 10.0.3.2:9001 dead (row 1.2), VS 1: 0 of 2 up"
else
	fail "no realServerStateChange for 9001"; cat "$T/traps"
fi
if wait_for 5 trap_has "$K.3.5.0.2" "$K.3.3.1.23.1 = INTEGER: 2" "$K.3.3.1.22.1 = Gauge32: 2"; then
	pass "virtualServerQuorumStateChange: VS 1 notMet"
else
	fail "no virtualServerQuorumStateChange"; grep "$K.3.5.0.2" "$T/traps"
fi
[ "$(get "$K.3.4.1.6.1.2")" = 2 ] && [ "$(get "$K.3.4.1.6.1.1")" = 1 ] &&
	pass "snmpget: 9001 dead, the sorry server in service" ||
	fail "states after the failure: $(get "$K.3.4.1.6.1.2") $(get "$K.3.4.1.6.1.1")"

# Reload: a virtual server and a real server added before the others.
conf "$(cat <<EOF
virtual_server 10.0.3.200 25 {
    delay_loop 1
$(rs 9003 1)
}
EOF
)" "$(rs 9004 1)"
kill -HUP "$PID_lb"
stable() { [ "$(get "$K.3.3.1.6.4" | tr -d " ")" = 0A0003C8 ] &&
	[ "$(get "$K.3.4.1.5.1.2")" = 9001 ] &&
	[ "$(get "$K.3.4.1.5.1.4")" = 9004 ] && [ "$(get "$K.3.3.1.7.1")" = 80 ]; }
if wait_for 8 stable; then
	pass "after the reload: VS 10.0.3.100:80 keeps index 1 (the new one is 4)," \
		"9001 keeps 1.2, 9004 is 1.4"
else
	fail "indexes after the reload:"; snmp snmpwalk "$K.3.3.1.6"; snmp snmpwalk "$K.3.4.1.5"
	tail -n 15 "$T/lb.log"
fi
stop_pid "$PID_lb"
done_testing
