#!/bin/bash
# Interoperability with Debian's keepalived on one VRID: alived master with
# keepalived backup, and the reverse; VRRPv2 over IPv4 (PASS auth, 1 s),
# VRRPv3 over IPv4 and over IPv6 (0.1 s). Each time: one master at a time,
# failover on TERM of the master, preemption back when it returns, and no
# refused packet on either side.
. "$(dirname "$0")/lib.sh"
require_netns
KEEPALIVED=${KEEPALIVED:-/usr/sbin/keepalived}
[ -x "$KEEPALIVED" ] || skip "needs Debian's keepalived ($KEEPALIVED)"
lan_setup a:192.168.1.1/24 b:192.168.1.2/24 || { fail "topology"; done_testing; }
ip -n "$NS_a" -6 addr add fd00:1::1/64 dev eth0 nodad 2>/dev/null
ip -n "$NS_b" -6 addr add fd00:1::2/64 dev eth0 nodad 2>/dev/null

lacks_addr() { ! has_addr "$1" "$2"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
no_tentative() { ! ip -n "$1" -6 addr show dev eth0 | grep -q tentative; }
for ns in "$NS_a" "$NS_b"; do wait_for 5 no_tentative "$ns"; done

conf() {	# conf FILE PRIO VERSION INT VIP
	local auth=""
	[ "$3" = 2 ] && auth="authentication {
        auth_type PASS
        auth_pass k33p
    }"
	cat > "$1" <<EOF
global_defs {
    router_id r$2
}
vrrp_instance VI_X {
    state BACKUP
    interface eth0
    virtual_router_id 42
    version $3
    priority $2
    advert_int $4
    $auth
    virtual_ipaddress {
        $5
    }
}
EOF
}

# keepalived_start NAME NS CONF: Debian's keepalived, VRRP only, foreground.
keepalived_start() {
	ip netns exec "$2" "$KEEPALIVED" -n -l -D -f "$3" -p "$T/$1.k.pid" -r "$T/$1.kv.pid" \
		-c "$T/$1.kc.pid" --vrrp >> "$T/$1.log" 2>&1 &
	local pid=$!
	eval "PID_$1=$pid"
	cleanup_add "kill_children_of $pid; kill -KILL $pid 2>/dev/null"
}

# never_both NS1 NS2 VIP SECONDS: the address is never on both at once.
never_both() {
	local end=$(( $(date +%s%N) + $4 * 1000000000 ))
	while [ "$(date +%s%N)" -lt $end ]; do
		has_addr "$1" "$3" && has_addr "$2" "$3" && return 1
		sleep 0.05
	done
	return 0
}

# pair TAG VERSION INT VIP MASTER_IMPL: MASTER_IMPL (alived|keepalived) runs
# on a with priority 150, the other on b with priority 100.
pair() {
	local tag=$1 ver=$2 int=$3 vip=$4 mimpl=$5 bimpl addr=${4%/*} t0 i
	[ "$mimpl" = alived ] && bimpl=keepalived || bimpl=alived
	conf "$T/$tag-a.conf" 150 "$ver" "$int" "$vip"
	conf "$T/$tag-b.conf" 100 "$ver" "$int" "$vip"
	start_impl() {	# start_impl IMPL NAME NS CONF
		if [ "$1" = alived ]; then alived_start "$2" "$3" "$4"; else keepalived_start "$2" "$3" "$4"; fi
	}
	start_impl "$bimpl" "${tag}b" "$NS_b" "$T/$tag-b.conf"
	start_impl "$mimpl" "${tag}a" "$NS_a" "$T/$tag-a.conf"
	local pa pb
	eval "pa=\$PID_${tag}a; pb=\$PID_${tag}b"
	if wait_for 8 has_addr "$NS_a" "$addr"; then
		pass "$tag: $mimpl (150) is master and holds $addr"
	else
		fail "$tag: $mimpl does not hold $addr"; tail -15 "$T/${tag}a.log" "$T/${tag}b.log"
	fi
	never_both "$NS_a" "$NS_b" "$addr" 2 && lacks_addr "$NS_b" "$addr" &&
		pass "$tag: $bimpl (100) stays backup, one master at a time" ||
		fail "$tag: both hold $addr"
	t0=$(date +%s%N)
	stop_pid "$pa" TERM
	if wait_for 4 has_addr "$NS_b" "$addr"; then
		pass "$tag: $bimpl took $addr $(ms_since "$t0") ms after TERM of $mimpl"
	else
		fail "$tag: $bimpl did not take over"; tail -15 "$T/${tag}b.log"
	fi
	lacks_addr "$NS_a" "$addr" && pass "$tag: stopped $mimpl released $addr" ||
		fail "$tag: $mimpl kept $addr"
	start_impl "$mimpl" "${tag}a" "$NS_a" "$T/$tag-a.conf"
	eval "pa=\$PID_${tag}a"
	t0=$(date +%s%N)
	if wait_for 8 has_addr "$NS_a" "$addr" && wait_for 3 lacks_addr "$NS_b" "$addr"; then
		pass "$tag: $mimpl preempted back in $(ms_since "$t0") ms, $bimpl released"
	else
		fail "$tag: no preemption back"; tail -15 "$T/${tag}a.log" "$T/${tag}b.log"
	fi
	never_both "$NS_a" "$NS_b" "$addr" 1 || fail "$tag: both hold $addr after preemption"
	stop_pid "$pa"; stop_pid "$pb"
	for i in a b; do
		grep -q "refused" "$T/$tag$i.log" &&
			fail "$tag: alived refused packets: $(grep -m2 refused "$T/$tag$i.log")"
	done
	# keepalived's words for a packet it refuses (a lower priority advert
	# heard while master is normal protocol, not a refusal).
	local bad='invalid|checksum|mismatch|wrong|ttl|auth|length|malformed|unknown'
	grep -qiE "$bad" "$T/${tag}a.log" "$T/${tag}b.log" &&
		fail "$tag: keepalived complained: $(grep -m2 -hiE "$bad" "$T/${tag}a.log" "$T/${tag}b.log")" ||
		pass "$tag: no packet refused on either side"
	lacks_addr "$NS_a" "$addr" && lacks_addr "$NS_b" "$addr" || fail "$tag: $addr left behind"
}

pair v2a 2 1 192.168.1.220 alived
pair v2k 2 1 192.168.1.220 keepalived
pair v3a 3 0.1 192.168.1.221 alived
pair v3k 3 0.1 192.168.1.221 keepalived
pair v6a 3 0.1 fd00:1::100/64 alived
pair v6k 3 0.1 fd00:1::100/64 keepalived
grep -q "AddressSanitizer\|runtime error" "$T"/*.log && fail "sanitizer report in a log" ||
	pass "no sanitizer report"
done_testing
