#!/bin/bash
# A frozen snmpd costs nothing but late notifications. Router a runs VI_MAIN
# (VRRPv3, advert_int 0.1, master) on the LAN with backup b, and 50 more
# instances on a link of its own that is taken down and up every 0.5 s,
# each flap a burst of state-change notifications (vrrpInstanceStateChange,
# vrrpv3NewMaster). a's snmpd is stopped (SIGSTOP) for 10 s meanwhile, and
# a reloads its configuration (HUP) in the middle of the freeze.
# tcpdump in b's namespace records VI_MAIN's adverts: no gap may exceed
# 100 ms by more than 10 ms, and b never becomes master. After SIGCONT,
# snmpd answers for alived again and receives the notifications held back.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd snmpd snmpget snmptrapd tcpdump
"$ALIVED" -v | grep -q 'Build options:.*SNMP' || skip "alived built without SNMP"
lan_setup a:192.168.80.1/24 b:192.168.80.2/24 || { fail "topology"; done_testing; }
ip -n "$NS_a" link add f0 type veth peer name f1 && ip -n "$NS_a" link set f1 up &&
	ip -n "$NS_a" link set f0 up && ip -n "$NS_a" addr add 10.80.0.1/24 dev f0 ||
	{ fail "flapping link"; done_testing; }

K=.1.3.6.1.4.1.9586.100.5
FREEZE_S=${FREEZE_S:-10}
N_FLAP=${N_FLAP:-50}

cat > "$T/snmpd.conf" <<EOF
master agentx
agentXSocket unix:$T/a.ax
agentaddress udp:127.0.0.1:16161
rocommunity public 127.0.0.1
trap2sink 127.0.0.1:16162 public
dontLogTCPWrappersConnects yes
EOF
cat > "$T/trapd.conf" <<EOF
disableAuthorization yes
snmpTrapdAddr udp:127.0.0.1:16162
EOF
MIBS= MIBDIRS= ip netns exec "$NS_a" snmptrapd -f -On -Lf "$T/traps" -C -c "$T/trapd.conf" \
	-p "$T/trapd.pid" &
cleanup_add "stop_pid $!"
MIBS= MIBDIRS= ip netns exec "$NS_a" snmpd -f -Lf "$T/snmpd.log" -C -c "$T/snmpd.conf" \
	-p "$T/snmpd.pid" &
SNMPD_PID=$!
cleanup_add "kill -CONT $SNMPD_PID; stop_pid $SNMPD_PID"

conf() {	# conf NAME PRIO: VI_MAIN (+ the flapping instances on a)
	cat > "$T/$1.conf" <<EOF
global_defs {
    router_id $1
    enable_snmp_vrrp
    enable_snmp_rfcv3
    enable_traps
    snmp_socket unix:$T/a.ax
}
vrrp_instance VI_MAIN {
    state BACKUP
    interface eth0
    virtual_router_id 90
    version 3
    priority $2
    advert_int 0.1
    virtual_ipaddress { 192.168.80.100/24 }
}
EOF
}
conf a 150
conf b 100
for ((i = 1; i <= N_FLAP; i++)); do
	cat >> "$T/a.conf" <<EOF
vrrp_instance FL_$i {
    state MASTER
    interface f0
    virtual_router_id $i
    version 3
    priority 100
    advert_int 1
    virtual_ipaddress { 10.80.1.$i/32 }
}
EOF
done
alived_start a "$NS_a" "$T/a.conf"
sleep 0.3
alived_start b "$NS_b" "$T/b.conf"
rows() { MIBS= ip netns exec "$NS_a" snmpget -v2c -c public -On -t 1 -r 0 127.0.0.1:16161 \
	"$K.2.3.1.2.1" | grep -q VI_MAIN; }
wait_for 10 has_addr "$NS_a" 192.168.80.100 && wait_for 10 rows ||
	{ fail "a did not become master or serve its rows"; tail -n 5 "$T/a.log"; done_testing; }
sleep 2
pass "a is master and serves its rows"

# Adverts of VI_MAIN as b receives them (VRRP, from a).
ip netns exec "$NS_b" tcpdump -i eth0 -n -tt -l -U "ip proto 112 and src 192.168.80.1" \
	> "$T/adverts" 2> "$T/tcpdump.err" &
TCPDUMP=$!
cleanup_add "kill $TCPDUMP"
sleep 1
n_traps0=$(grep -c 'OID: ' "$T/traps")
kill -STOP "$SNMPD_PID"
log "snmpd stopped for $FREEZE_S s; flapping $N_FLAP instances every 0.5 s"
end=$(( $(date +%s%N) + FREEZE_S * 1000000000 ))
flaps=0 reloaded=0
while [ "$(date +%s%N)" -lt $end ]; do
	if [ $reloaded = 0 ] && [ $flaps -ge $(( FREEZE_S )) ]; then
		kill -HUP "$PID_a"; reloaded=1; log "reload (HUP) during the freeze"
	fi
	ip -n "$NS_a" link set f0 down; sleep 0.25
	ip -n "$NS_a" link set f0 up; sleep 0.25
	flaps=$((flaps + 1))
done
kill -CONT "$SNMPD_PID"
log "snmpd resumed after $flaps flaps"
sleep 1
kill "$TCPDUMP"; wait "$TCPDUMP" 2>/dev/null

# Gaps between consecutive adverts of VRID 90 (tcpdump -tt: seconds.micro).
awk '/vrid 90/ { t = $1 * 1000; if (n++) { g = t - p; if (g > max) max = g; sum += g } p = t }
	END { printf "%d %.1f %.1f\n", n, max, (n > 1 ? sum / (n - 1) : 0) }' "$T/adverts" > "$T/gaps"
read -r n max mean < "$T/gaps"
log "VI_MAIN adverts seen by b: $n, largest gap $max ms, mean $mean ms"
if [ "${n:-0}" -ge $(( FREEZE_S * 9 )) ]; then pass "$n adverts during the freeze"; else
	fail "only ${n:-0} adverts in $FREEZE_S s"; cat "$T/tcpdump.err"; fi
if awk -v m="$max" 'BEGIN { exit !(m <= 110) }'; then
	pass "no advert late by more than 10 ms (largest gap $max ms for advert_int 100 ms)"
else
	fail "an advert came $max ms after the previous one"
fi
if grep -q 'VI_MAIN: .*-> MASTER' "$T/b.log"; then
	fail "b became master (false failover)"; grep 'VI_MAIN' "$T/b.log"
else
	pass "no failover: b stayed backup"
fi
grep -q 'FL_1: .*FAULT' "$T/a.log" && pass "the flapping instances changed state (fault)" ||
	fail "the flaps did not change any state"

# After the freeze: served again, the held-back notifications arrive.
wait_for 10 rows && pass "rows served after snmpd resumed" ||
	{ fail "rows not served after SIGCONT"; tail -n 5 "$T/a.log"; }
late() { [ "$(grep -c 'OID: ' "$T/traps")" -gt $(( n_traps0 + flaps * N_FLAP )) ]; }
if wait_for 20 late; then
	pass "$(( $(grep -c 'OID: ' "$T/traps") - n_traps0 )) notifications received after the freeze"
else
	fail "only $(( $(grep -c 'OID: ' "$T/traps") - n_traps0 )) notifications after the freeze"
fi
stop_pid "$PID_a"; stop_pid "$PID_b"
done_testing
