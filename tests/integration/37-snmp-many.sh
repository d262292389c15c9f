#!/bin/bash
# 1,000 instances starting at once with notifications on (keepalived 2.2.7
# and 2.4.3 deadlock with snmpd from about 400: each blocks writing to the
# other's full AgentX socket, and no advert is ever sent). All become
# master, snmpd keeps answering while it forwards their notifications, and
# snmptrapd receives a vrrpInstanceStateChange (master) for each.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd snmpd snmpget snmptrapd
"$ALIVED" -v | grep -q 'Build options:.*SNMP' || skip "alived built without SNMP"
N=${N_INST:-1000}
LINKS=4
PER=$(( (N + LINKS - 1) / LINKS ))
netns_add r || { fail "namespace"; done_testing; }
for ((k = 0; k < LINKS; k++)); do
	ip -n "$NS_r" link add "m$k" type veth peer name "p$k" && ip -n "$NS_r" link set "m$k" up &&
		ip -n "$NS_r" link set "p$k" up && ip -n "$NS_r" addr add "10.82.$k.1/24" dev "m$k" ||
		{ fail "links"; done_testing; }
done
K=.1.3.6.1.4.1.9586.100.5

cat > "$T/snmpd.conf" <<EOF
master agentx
agentXSocket unix:$T/ax
agentaddress udp:127.0.0.1:16161
rocommunity public 127.0.0.1
trap2sink 127.0.0.1:16162 public
dontLogTCPWrappersConnects yes
EOF
cat > "$T/trapd.conf" <<EOF
disableAuthorization yes
snmpTrapdAddr udp:127.0.0.1:16162
EOF
MIBS= MIBDIRS= ip netns exec "$NS_r" snmptrapd -f -On -Lf "$T/traps" -C -c "$T/trapd.conf" \
	-p "$T/trapd.pid" &
cleanup_add "stop_pid $!"
MIBS= MIBDIRS= ip netns exec "$NS_r" snmpd -f -Lf "$T/snmpd.log" -C -c "$T/snmpd.conf" \
	-p "$T/snmpd.pid" &
cleanup_add "stop_pid $!"
wait_for 5 test -S "$T/ax" || fail "snmpd did not start"

{
	cat <<EOF
global_defs {
    router_id many
    enable_snmp_vrrp
    enable_snmp_rfcv2
    enable_snmp_rfcv3
    enable_traps
    snmp_socket unix:$T/ax
    vrrp_garp_master_delay 0
}
EOF
	for ((i = 0; i < N; i++)); do
		k=$((i / PER)) v=$((i % PER + 1))
		cat <<EOF
vrrp_instance I_${k}_$v {
    state BACKUP
    interface m$k
    virtual_router_id $v
    priority 100
    advert_int 1
    virtual_ipaddress { 10.83.$k.$v/32 }
}
EOF
	done
} > "$T/a.conf"
t0=$(date +%s%N)
alived_start a "$NS_r" "$T/a.conf"

masters() { [ "$(ip -n "$NS_r" -4 addr show | grep -c 'inet 10\.83\.')" -ge "$N" ]; }
answers() { MIBS= ip netns exec "$NS_r" snmpget -v2c -c public -On -t 1 -r 0 127.0.0.1:16161 \
	"$K.2.3.1.4.$N" | grep -q 'INTEGER: 2'; }
if wait_for 30 masters; then
	pass "all $N instances master in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
else
	fail "only $(ip -n "$NS_r" -4 addr show | grep -c 'inet 10\.83\.') of $N instances master"
fi
if wait_for 10 answers; then pass "snmpd answers (vrrpInstanceState.$N master)"; else
	fail "snmpd does not answer for alived"; tail -n 5 "$T/a.log"; fi
n_master() { grep -c "OID: $K.2.10.0.2.*$K.2.3.1.4.[0-9]* = INTEGER: 2" "$T/traps"; }
if wait_for 60 sh -c "[ \$(grep -c 'OID: $K.2.10.0.2.*$K.2.3.1.4.[0-9]* = INTEGER: 2' \
	$T/traps) -ge $N ]"; then
	pass "snmptrapd received $(n_master) vrrpInstanceStateChange (master)"
else
	fail "snmptrapd received $(n_master) vrrpInstanceStateChange (master) of $N"
fi
grep -c 'OID: .1.3.6.1.2.1.207.0.1' "$T/traps" | { read -r n; log "and $n vrrpv3NewMaster"; }
answers && pass "snmpd still answers" || fail "snmpd stopped answering"
stop_pid "$PID_a"
done_testing
