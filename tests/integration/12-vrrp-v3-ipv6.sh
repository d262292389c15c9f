#!/bin/bash
# A VRRPv3 IPv6 pair at advert_int 0.05 (50 ms) in namespaces owning
# fd00:1::/64: the master holds the virtual address; adverts go out every
# 50 ms from the link-local address and tshark decodes them as VRRPv3 with
# a good checksum; TERM moves the address after Skew_Time, SIGKILL of the
# VRRP process after Master_Down_Interval; unsolicited NAs move the
# client's neighbour entry; the master preempts back.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd tshark
lan_setup a:fd00:1::1/64 b:fd00:1::2/64 c:fd00:1::10/64 || { fail "topology"; done_testing; }

reach() {
	local out
	out=$(ip netns exec "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/9" 2>&1)
	[[ $out == *refused* ]]
}
mac_of() { ip -n "$1" -br link show eth0 | awk '{print $3}'; }
lacks_addr() { ! has_addr "$1" "$2"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
vrrp_child() { children_of "$1" | head -1; }
no_tentative() { ! ip -n "$1" -6 addr show dev eth0 | grep -q tentative; }

# Link-local addresses finish DAD first (they are the adverts' source).
for ns in "$NS_a" "$NS_b" "$NS_c"; do wait_for 5 no_tentative "$ns"; done

conf() {	# conf NAME PRIORITY
	cat > "$T/$1.conf" <<EOF
vrrp_instance V6 {
    state BACKUP
    interface eth0
    virtual_router_id 61
    priority $2
    advert_int 0.05
    version 3
    virtual_ipaddress {
        fd00:1::100/64
    }
}
EOF
}
conf a 150
conf b 100

alived_start a "$NS_a" "$T/a.conf"
alived_start b "$NS_b" "$T/b.conf"
if wait_for 3 has_addr "$NS_a" fd00:1::100; then
	pass "a (priority 150) is master and holds fd00:1::100"
else
	fail "a does not hold fd00:1::100"; cat "$T/a.log" "$T/b.log"
fi
sleep 0.5
lacks_addr "$NS_b" fd00:1::100 && pass "b holds nothing" || fail "b holds the address too"

# The wire: one second of adverts seen from the client.
ip netns exec "$NS_c" tshark -q -i eth0 -a duration:1 -w "$T/v6.pcap" -f "ip6 proto 112" \
	>/dev/null 2>&1
n=$(tshark -r "$T/v6.pcap" -Y vrrp 2>/dev/null | wc -l)
# Intervals between adverts (ms): mean and largest.
read -r mean gap < <(tshark -r "$T/v6.pcap" -Y vrrp -T fields -e frame.time_relative 2>/dev/null |
	awk 'NR > 1 { d = ($1 - p) * 1000; s += d; if (d > m) m = d } { p = $1 }
	     END { if (NR > 1) printf "%d %d\n", s / (NR - 1), m; else print "0 0" }')
[ "$n" -ge 10 ] && [ "$mean" -ge 45 ] && [ "$mean" -le 55 ] && [ "$gap" -le 70 ] &&
	pass "$n adverts, every $mean ms on average, largest gap $gap ms (advert_int 0.05)" ||
	fail "$n adverts, mean interval $mean ms, largest gap $gap ms; expected 50"
tshark -r "$T/v6.pcap" -V -Y vrrp 2>/dev/null > "$T/v6.txt"
grep -q "Version 3, Packet type 1" "$T/v6.txt" 2>/dev/null ||
	grep -q "0011 .... = VRRP protocol version: 3" "$T/v6.txt" && pass "tshark: VRRPv3" ||
	fail "tshark does not decode VRRPv3"
good=$(grep -c "Checksum Status: Good" "$T/v6.txt")
[ "$good" = "$n" ] && pass "tshark: all $n checksums good" || fail "checksum good on $good of $n"
grep -qi "malformed\|bad checksum\|\[Checksum Status: Bad" "$T/v6.txt" && fail "tshark flags a problem" ||
	pass "tshark: nothing malformed"
src=$(tshark -r "$T/v6.pcap" -T fields -e ipv6.src -e ipv6.hlim -e vrrp.prio \
	-e vrrp.short_adver_int -e vrrp.ipv6_addr 2>/dev/null | sort -u)
[[ $src == fe80:*$'\t'255$'\t'150$'\t'5$'\t'fd00:1::100 ]] &&
	pass "adverts: from link-local, hop limit 255, priority 150, 5 cs, fd00:1::100" ||
	fail "adverts: unexpected fields: $src"

reach "$NS_c" fd00:1::100 && pass "client reaches fd00:1::100" || fail "client cannot reach it"

# Graceful: Skew_Time of b is (256-100)*5/256 cs = 30 ms.
t0=$(date +%s%N)
stop_pid "$PID_a" TERM
if wait_for 3 has_addr "$NS_b" fd00:1::100; then
	pass "b took fd00:1::100 in $(ms_since "$t0") ms after TERM (Skew_Time 30 ms)"
else
	fail "b did not take over"; cat "$T/b.log"
fi
lacks_addr "$NS_a" fd00:1::100 && pass "a released it" || fail "a kept it"
mb=$(mac_of "$NS_b")
wait_for 2 sh -c "ip -n $NS_c neigh show fd00:1::100 | grep -q $mb" &&
	pass "client's neighbour entry moved to b (unsolicited NA)" ||
	fail "client's neighbour entry: $(ip -n "$NS_c" neigh show fd00:1::100)"
reach "$NS_c" fd00:1::100 && pass "client reaches it via b" || fail "unreachable after failover"

# a returns and preempts (Master_Down_Interval 3*50 ms + 20 ms). With -R,
# so that the crash below is not repaired by a restart.
alived_start a "$NS_a" "$T/a.conf" -R
t0=$(date +%s%N)
if wait_for 3 has_addr "$NS_a" fd00:1::100 && wait_for 1 lacks_addr "$NS_b" fd00:1::100; then
	pass "a took it back in $(ms_since "$t0") ms (start included)"
else
	fail "a did not take it back"; tail -20 "$T/a.log"
fi

# Crash: SIGKILL of a's VRRP process; b takes over after its
# Master_Down_Interval (3 * 50 + 30 = 180 ms after the last advert).
sleep 0.5
va=$(vrrp_child "$PID_a")
t0=$(date +%s%N)
[ -n "$va" ] && kill -KILL "$va"
if wait_for 3 has_addr "$NS_b" fd00:1::100; then
	pass "b took it $(ms_since "$t0") ms after SIGKILL (Master_Down_Interval 180 ms)"
else
	fail "b did not take over after the crash"
fi
# a's parent stopped (-R); started again, a clears what the killed process
# left and preempts.
wait_for 5 sh -c "! kill -0 $PID_a 2>/dev/null" || fail "a's parent still runs"
alived_start a "$NS_a" "$T/a.conf"
wait_for 5 sh -c "ip -n $NS_a addr show | grep -q 'fd00:1::100/' && ! ip -n $NS_b addr show | grep -q 'fd00:1::100/'" &&
	pass "restarted a took it back" || fail "restarted a did not take it back"

stop_pid "$PID_a"; stop_pid "$PID_b"
lacks_addr "$NS_a" fd00:1::100 && lacks_addr "$NS_b" fd00:1::100 &&
	pass "nothing left after stop" || fail "address left behind"
grep -q "AddressSanitizer\|runtime error" "$T/a.log" "$T/b.log" &&
	fail "sanitizer report in a log" || pass "no sanitizer report"
done_testing
