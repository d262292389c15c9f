#!/bin/bash
# The guide's dual-master pair (seed configs, unchanged) in namespaces that
# own 192.168.1.0/24: each host is master of one address. Stopping one
# (TERM) moves its address to the other; starting it again moves it back.
# Also: a crashed VRRP process (SIGKILL), an interface that goes down and
# up, and a client on the LAN whose ARP cache follows (gratuitous ARP).
. "$(dirname "$0")/lib.sh"
require_netns
lan_setup a:192.168.1.1/24 b:192.168.1.2/24 c:192.168.1.10/24 || { fail "topology"; done_testing; }
seed=$top/tests/data/seed

# reach NS ADDR: something answers at ADDR (a TCP reset counts: no ping here).
reach() {
	local out
	out=$(ip netns exec "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/9" 2>&1)
	[[ $out == *refused* ]]
}
mac_of() { ip -n "$1" -br link show eth0 | awk '{print $3}'; }
neigh_mac() { ip -n "$1" neigh show "$2" | awk '{print $5}'; }
lacks_addr() { ! has_addr "$1" "$2"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
vrrp_child() { children_of "$1" | head -1; }

# b runs from a copy (reloaded with changes at the end), first with -R so
# that a crash of its VRRP process is not repaired behind the test's back.
cp "$seed/dual-master-b.conf" "$T/b.conf"
alived_start a "$NS_a" "$seed/dual-master-a.conf"
alived_start b "$NS_b" "$T/b.conf" -R

if wait_for 6 has_addr "$NS_a" 192.168.1.220 && wait_for 2 has_addr "$NS_b" 192.168.1.230; then
	pass "a holds 192.168.1.220, b holds 192.168.1.230"
else
	fail "each side does not hold its own address"; cat "$T/a.log" "$T/b.log"
fi
sleep 1
lacks_addr "$NS_a" 192.168.1.230 && lacks_addr "$NS_b" 192.168.1.220 &&
	pass "neither holds the other's address" || fail "an address is held twice"
reach "$NS_c" 192.168.1.220 && reach "$NS_c" 192.168.1.230 && pass "client reaches both" ||
	fail "client cannot reach both addresses"
[ "$(neigh_mac "$NS_c" 192.168.1.220)" = "$(mac_of "$NS_a")" ] &&
	pass "client resolves .220 to a" || fail "client's ARP entry for .220 is not a's MAC"
grep -q "VI_1: BACKUP -> MASTER" "$T/a.log" && grep -q "VI_2: BACKUP -> MASTER" "$T/b.log" &&
	pass "transitions logged" || fail "no transition log line"

# The wire (from the client): v2 adverts with the PASS password, decoded by
# tshark with good checksums and nothing malformed.
ip netns exec "$NS_c" tshark -q -i eth0 -a duration:3 -w "$T/v2.pcap" -f "ip proto 112" \
	>/dev/null 2>&1
tshark -r "$T/v2.pcap" -V -Y vrrp 2>/dev/null > "$T/v2.txt"
n=$(grep -c "^Virtual Router Redundancy Protocol" "$T/v2.txt")
good=$(grep -c "Checksum Status: Good" "$T/v2.txt")
[ "$n" -ge 4 ] && [ "$good" = "$n" ] && pass "tshark: $n VRRP adverts, all checksums good" ||
	fail "tshark: $n adverts, $good good checksums"
grep -qiE "malformed|\[Checksum Status: Bad" "$T/v2.txt" && fail "tshark flags a problem" ||
	pass "tshark: nothing malformed"
f=$(tshark -r "$T/v2.pcap" -T fields -e ip.src -e ip.dst -e ip.ttl -e vrrp.version \
	-e vrrp.virt_rtr_id -e vrrp.prio -e vrrp.auth_type -e vrrp.adver_int -e vrrp.ip_addr \
	-e vrrp.auth_string 2>/dev/null | sort -u | tr '\t' ' ')
[[ $f == *"192.168.1.1 224.0.0.18 255 2 51 100 1 1 192.168.1.220 1111"* ]] &&
	[[ $f == *"192.168.1.2 224.0.0.18 255 2 52 100 1 1 192.168.1.230 1111"* ]] &&
	pass "adverts: from each primary to 224.0.0.18, TTL 255, v2, PASS 1111, 1 s" ||
	fail "adverts: $f"

# Graceful: TERM a; b takes .220 after Skew_Time (priority 0 advert).
t0=$(date +%s%N)
stop_pid "$PID_a" TERM
if wait_for 5 has_addr "$NS_b" 192.168.1.220; then
	pass "b took 192.168.1.220 in $(ms_since "$t0") ms after TERM (v2 Skew_Time 648 ms)"
else
	fail "b did not take 192.168.1.220"; cat "$T/b.log"
fi
has_addr "$NS_b" 192.168.1.230 && pass "b holds both" || fail "b lost .230"
lacks_addr "$NS_a" 192.168.1.220 && pass "stopped a released .220" || fail "a kept .220"
grep -q "VI_1: MASTER -> STOP" "$T/a.log" && pass "a logged MASTER -> STOP" ||
	fail "a did not log its stop"
wait_for 2 sh -c "[ \"\$(ip -n $NS_c neigh show 192.168.1.220 | awk '{print \$5}')\" = $(mac_of "$NS_b") ]" &&
	pass "client's ARP entry for .220 moved to b (gratuitous ARP)" ||
	fail "client still resolves .220 to $(neigh_mac "$NS_c" 192.168.1.220)"
reach "$NS_c" 192.168.1.220 && pass "client reaches .220 via b" || fail "client cannot reach .220"

# a comes back: preempts .220 again, b keeps .230.
alived_start a "$NS_a" "$seed/dual-master-a.conf"
t0=$(date +%s%N)
if wait_for 8 has_addr "$NS_a" 192.168.1.220 && wait_for 2 lacks_addr "$NS_b" 192.168.1.220; then
	pass "a took .220 back in $(ms_since "$t0") ms"
else
	fail "a did not take .220 back"; tail -20 "$T/a.log"; tail -20 "$T/b.log"
fi
has_addr "$NS_b" 192.168.1.230 && lacks_addr "$NS_a" 192.168.1.230 && pass "b kept .230" ||
	fail ".230 moved"

# Crash: SIGKILL b's VRRP process; a takes .230 after Master_Down_Interval.
sleep 1
vb=$(vrrp_child "$PID_b")
t0=$(date +%s%N)
[ -n "$vb" ] && kill -KILL "$vb"
if wait_for 6 has_addr "$NS_a" 192.168.1.230; then
	pass "a took .230 $(ms_since "$t0") ms after SIGKILL of b's VRRP process (bound 3648 ms)"
else
	fail "a did not take .230 after the crash"; tail -20 "$T/a.log"
fi
# b's parent stops (-R). Started again, b removes the .230 the killed
# process left behind (it is BACKUP first), then preempts.
wait_for 5 sh -c "! kill -0 $PID_b 2>/dev/null" && pass "b stopped (-R) after its VRRP process died" ||
	fail "b's parent still runs"
cp "$T/b.log" "$T/b1.log"
alived_start b "$NS_b" "$T/b.conf"
if wait_for 10 sh -c "ip -n $NS_b addr show | grep -q '192.168.1.230/' && ! ip -n $NS_a addr show | grep -q '192.168.1.230/'"; then
	pass "restarted b took .230 back, a released it"
else
	fail "after b's restart .230 is not back on b alone"; tail -20 "$T/b.log"
fi

# Interface down on b: its instances go FAULT and drop their address; a
# takes .230; up again, b rejoins and preempts.
sleep 1
t0=$(date +%s%N)
ip -n "$NS_b" link set eth0 down
if wait_for 2 lacks_addr "$NS_b" 192.168.1.230; then
	pass "b removed .230 when eth0 went down ($(ms_since "$t0") ms)"
else
	fail "b kept .230 with eth0 down"
fi
wait_for 2 grep -q "VI_2: MASTER -> FAULT" "$T/b.log" && pass "b logged MASTER -> FAULT" ||
	fail "no FAULT transition"
wait_for 6 has_addr "$NS_a" 192.168.1.230 && pass "a took .230 ($(ms_since "$t0") ms)" ||
	fail "a did not take .230 while b is down"
ip -n "$NS_b" link set eth0 up
if wait_for 10 has_addr "$NS_b" 192.168.1.230 && wait_for 2 lacks_addr "$NS_a" 192.168.1.230; then
	pass "b rejoined after eth0 up and took .230 back"
else
	fail "b did not rejoin"; tail -20 "$T/b.log"
fi
grep -q "VI_2: FAULT -> BACKUP" "$T/b.log" && pass "b logged FAULT -> BACKUP" ||
	fail "no FAULT -> BACKUP"

# Reload (HUP) of b. 1: VI_1's priority 90 -> 120: b preempts .220, and
# VI_2 (unchanged) does not flap.
sleep 1
sed -i '0,/priority 90/s//priority 120/' "$T/b.conf"
t0=$(date +%s%N)
kill -HUP "$PID_b"
if wait_for 8 has_addr "$NS_b" 192.168.1.220 && wait_for 2 lacks_addr "$NS_a" 192.168.1.220; then
	pass "reload: b (VI_1 now 120) took .220 in $(ms_since "$t0") ms"
else
	fail "reload: the new priority did not take effect"; tail -20 "$T/b.log"
fi
has_addr "$NS_b" 192.168.1.230 && [ "$(grep -c "VI_2: MASTER ->" "$T/b.log")" = 1 ] &&
	pass "reload: VI_2 kept MASTER and .230 (no flap)" || fail "reload: VI_2 flapped"
# 2: VI_2 removed, VI_1 back to 90: VI_2 leaves with priority 0 (a takes
# .230 after Skew_Time), and a preempts .220 back.
sed -i '0,/priority 120/s//priority 90/' "$T/b.conf"
awk '/^vrrp_instance VI_2/ { skip = 1 } !skip' "$T/b.conf" > "$T/b1.conf"
cp "$T/b.conf" "$T/b-full.conf"
cp "$T/b1.conf" "$T/b.conf"
t0=$(date +%s%N)
kill -HUP "$PID_b"
wait_for 3 has_addr "$NS_a" 192.168.1.230 && wait_for 1 lacks_addr "$NS_b" 192.168.1.230 &&
	pass "reload: VI_2 removed from b, a took .230 in $(ms_since "$t0") ms" ||
	fail "reload: removing VI_2 did not move .230"
wait_for 8 has_addr "$NS_a" 192.168.1.220 && wait_for 2 lacks_addr "$NS_b" 192.168.1.220 &&
	pass "reload: VI_1 back to 90 on b, a preempted .220" || fail "reload: .220 did not move back"
# 3: VI_2 added again: it starts and preempts .230.
cp "$T/b-full.conf" "$T/b.conf"
kill -HUP "$PID_b"
wait_for 8 has_addr "$NS_b" 192.168.1.230 && wait_for 2 lacks_addr "$NS_a" 192.168.1.230 &&
	pass "reload: VI_2 added back on b and took .230" || fail "reload: new VI_2 did not start"
grep -q "VRRP engine reloaded: 2 kept, 0 removed, 0 added" "$T/b.log" &&
	grep -q "VRRP engine reloaded: 1 kept, 1 removed, 0 added" "$T/b.log" &&
	grep -q "VRRP engine reloaded: 1 kept, 0 removed, 1 added" "$T/b.log" &&
	pass "reload: kept/removed/added logged" || fail "reload: engine log lines missing"

# Both stop: nothing is left behind.
stop_pid "$PID_a"; stop_pid "$PID_b"
lacks_addr "$NS_a" 192.168.1.220 && lacks_addr "$NS_b" 192.168.1.230 &&
	pass "no address left after both stopped" || fail "addresses left behind"
grep -q "ERROR\|AddressSanitizer\|runtime error" "$T/a.log" "$T/b.log" &&
	fail "sanitizer report in a log" || pass "no sanitizer report"
done_testing
