#!/bin/bash
# Unicast VRRP pairs (unicast_src_ip / unicast_peer), v2 at 1 s and v3 at
# 0.1 s, sharing one socket per side: adverts go to the peer only (no
# multicast), the master holds the addresses, TERM moves them, and an
# advert from a router that is not a configured peer is refused and counted.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd tshark
lan_setup a:192.168.1.1/24 b:192.168.1.2/24 c:192.168.1.10/24 || { fail "topology"; done_testing; }

lacks_addr() { ! has_addr "$1" "$2"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
vrrp_child() { children_of "$1" | head -1; }

conf() {	# conf NAME SRC PEER PRIO2 PRIO3
	cat > "$T/$1.conf" <<EOF
vrrp_instance U2 {
    state BACKUP
    interface eth0
    virtual_router_id 71
    priority $4
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass secret
    }
    unicast_src_ip $2
    unicast_peer {
        $3
    }
    virtual_ipaddress {
        192.168.1.171/24
    }
}
vrrp_instance U3 {
    state BACKUP
    interface eth0
    virtual_router_id 72
    version 3
    priority $5
    advert_int 0.1
    unicast_src_ip $2
    unicast_peer {
        $3
    }
    virtual_ipaddress {
        192.168.1.172/24
    }
}
EOF
}
conf a 192.168.1.1 192.168.1.2 150 150
conf b 192.168.1.2 192.168.1.1 100 100

alived_start a "$NS_a" "$T/a.conf"
alived_start b "$NS_b" "$T/b.conf"
if wait_for 6 has_addr "$NS_a" 192.168.1.171 && wait_for 2 has_addr "$NS_a" 192.168.1.172; then
	pass "a is master of U2 (v2) and U3 (v3)"
else
	fail "a does not hold both addresses"; cat "$T/a.log" "$T/b.log"
fi
sleep 1
lacks_addr "$NS_b" 192.168.1.171 && lacks_addr "$NS_b" 192.168.1.172 && pass "b holds nothing" ||
	fail "b holds an address"

# The wire, seen from b: adverts from a's address to b's, none to the group.
ip netns exec "$NS_b" tshark -q -i eth0 -a duration:2 -w "$T/u.pcap" -f "ip proto 112" \
	>/dev/null 2>&1
tshark -r "$T/u.pcap" -T fields -e ip.src -e ip.dst -e ip.ttl -e vrrp.version \
	-e vrrp.virt_rtr_id -e vrrp.prio -e vrrp.checksum.status 2>/dev/null | sort | uniq -c > "$T/u.txt"
grep -q "192.168.1.1	192.168.1.2	255	2	71	150	1" "$T/u.txt" &&
	pass "v2 adverts a -> b unicast, TTL 255, good checksum" || fail "no v2 unicast advert: $(cat "$T/u.txt")"
grep -q "192.168.1.1	192.168.1.2	255	3	72	150	1" "$T/u.txt" &&
	pass "v3 adverts a -> b unicast, TTL 255, good checksum" || fail "no v3 unicast advert: $(cat "$T/u.txt")"
grep -q "224.0.0.18" "$T/u.txt" && fail "multicast adverts seen" || pass "no multicast advert"
read -r n3 mean < <(tshark -r "$T/u.pcap" -Y "vrrp.virt_rtr_id == 72" -T fields \
	-e frame.time_relative 2>/dev/null |
	awk 'NR > 1 { s += ($1 - p) * 1000 } { p = $1 } END { printf "%d %d\n", NR, (NR > 1 ? s / (NR - 1) : 0) }')
[ "$n3" -ge 10 ] && [ "$mean" -ge 95 ] && [ "$mean" -le 105 ] &&
	pass "$n3 v3 adverts, every $mean ms (advert_int 0.1)" ||
	fail "$n3 v3 adverts, every $mean ms; expected 100"

# Graceful failover of both.
t0=$(date +%s%N)
stop_pid "$PID_a" TERM
wait_for 3 has_addr "$NS_b" 192.168.1.172 && pass "b took .172 (v3) in $(ms_since "$t0") ms (Skew_Time 61 ms)" ||
	fail "b did not take .172"
wait_for 3 has_addr "$NS_b" 192.168.1.171 && pass "b took .171 (v2) in $(ms_since "$t0") ms (Skew_Time 609 ms)" ||
	fail "b did not take .171"
lacks_addr "$NS_a" 192.168.1.171 && lacks_addr "$NS_a" 192.168.1.172 && pass "a released both" ||
	fail "a kept an address"

# A stranger (c, not in b's unicast_peer list) claims VRID 71 with priority
# 200, right auth: b must ignore it (stay master) and count it.
cat > "$T/c.conf" <<EOF
vrrp_instance U2 {
    state BACKUP
    interface eth0
    virtual_router_id 71
    priority 200
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass secret
    }
    unicast_src_ip 192.168.1.10
    unicast_peer {
        192.168.1.2
    }
    virtual_ipaddress {
        192.168.1.171/24
    }
}
EOF
alived_start c "$NS_c" "$T/c.conf"
wait_for 8 grep -q "U2: advert from 192.168.1.10 refused: sender is not a unicast peer" "$T/b.log" &&
	pass "b refused the stranger's advert" || fail "no refusal logged by b"
sleep 2
has_addr "$NS_b" 192.168.1.171 && ! grep -q "U2: MASTER -> BACKUP" "$T/b.log" &&
	pass "b is still master of U2" || fail "the stranger took U2 from b"
vb=$(vrrp_child "$PID_b")
rm -f /tmp/alived.stats
kill -USR2 "$vb"
if wait_for 3 test -s /tmp/alived.stats; then
	n=$(awk '/vrrp_instance U2/ { u = 1 } u && /unknown_src_rcvd/ { print $2; exit }' /tmp/alived.stats)
	[ "${n:-0}" -ge 2 ] && pass "unknown_src_rcvd $n in b's stats dump" ||
		fail "unknown_src_rcvd is ${n:-missing}"
else
	fail "no stats dump from b"
fi
stop_pid "$PID_c"

stop_pid "$PID_b"
lacks_addr "$NS_b" 192.168.1.171 && lacks_addr "$NS_b" 192.168.1.172 && pass "b released all on stop" ||
	fail "b left addresses"
grep -q "AddressSanitizer\|runtime error" "$T"/*.log && fail "sanitizer report in a log" ||
	pass "no sanitizer report"
done_testing
