#!/bin/bash
# Hostile input: a third host sends adverts with a wrong checksum, TTL 64,
# an unknown VRID, a wrong password, an unknown auth type, a short length,
# the wrong version or type, an address list or count that does not match,
# or (v2) the wrong interval, at an alived master and backup, with priority
# 254 (accepted, the master would step down) and 0 (accepted, the backup
# would take over at once). Nothing may change: the master keeps every
# address, the backup takes none, no state transition is logged, and the
# drops are counted in the statistics dump (SIGUSR2). A last burst of VALID
# adverts with priority 254 must make the master step down: it shows the
# sender's packets reach the daemon and would have been noticed.
# Instances: VI_1 VRRPv2 IPv4 with auth PASS, VI_2 VRRPv3 IPv4, VI_3
# VRRPv3 IPv6.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd gcc
SEND=$T/vrrp_send
gcc -std=gnu11 -O2 -o "$SEND" "$top/bench/vrrp_send.c" || { fail "cannot build vrrp_send"; done_testing; }
lan_setup a:192.168.1.1/24 b:192.168.1.2/24 c:192.168.1.3/24 || { fail "topology"; done_testing; }

PASS=h0stile
N=20	# packets of each kind, each priority, each instance
conf() { # FILE STATE PRIO
	cat > "$1" <<EOF
vrrp_instance VI_1 {
    state $2
    interface eth0
    virtual_router_id 51
    priority $3
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass $PASS
    }
    virtual_ipaddress {
        192.168.1.100/24
    }
}
vrrp_instance VI_2 {
    state $2
    interface eth0
    virtual_router_id 52
    version 3
    priority $3
    advert_int 0.1
    virtual_ipaddress {
        192.168.1.101/24
    }
}
vrrp_instance VI_3 {
    state $2
    interface eth0
    virtual_router_id 53
    version 3
    priority $3
    advert_int 0.1
    virtual_ipaddress {
        fd00:1::100/64
    }
}
EOF
}
conf "$T/a.conf" MASTER 200
conf "$T/b.conf" BACKUP 100

# IPv6 adverts leave from the link-local address: wait until it is usable.
ll_ready() { ip -n "$1" -6 addr show dev eth0 scope link | grep -q inet6 &&
	! ip -n "$1" -6 addr show dev eth0 | grep -q tentative; }
for ns in "$NS_a" "$NS_b" "$NS_c"; do wait_for 5 ll_ready "$ns" || fail "no link-local address in $ns"; done

alived_start a "$NS_a" "$T/a.conf"
alived_start b "$NS_b" "$T/b.conf"
a_holds_all() { has_addr "$NS_a" 192.168.1.100 && has_addr "$NS_a" 192.168.1.101 &&
	has_addr "$NS_a" fd00:1::100; }
b_holds_none() { ! has_addr "$NS_b" 192.168.1.100 && ! has_addr "$NS_b" 192.168.1.101 &&
	! has_addr "$NS_b" fd00:1::100; }
if wait_for 10 a_holds_all && wait_for 3 b_holds_none; then
	pass "A is master of VI_1, VI_2, VI_3; B holds nothing"
else
	fail "the pair did not settle (A all: $(a_holds_all && echo yes || echo no))"
	tail -20 "$T/a.log"; tail -20 "$T/b.log"; done_testing
fi
sleep 1.2	# B has heard A on every instance

transitions() { grep -cE ': [A-Z]+ -> [A-Z]+ ' "$T/$1.log"; }
ta0=$(transitions a) tb0=$(transitions b)

# send VRID PRIO KINDS ARGS...: N packets of each kind, 1,000 a second.
send() {
	local vrid=$1 prio=$2 kinds=$3 nk; shift 3
	nk=$(echo "$kinds" | tr ',' '\n' | wc -l)
	[ "$kinds" = all ] && nk=11
	ip netns exec "$NS_c" "$SEND" -q -i eth0 -r "$vrid" -p "$prio" -k "$kinds" -V 99 -R 1000 \
		-n $((N * nk)) "$@" > "$T/send.out" 2>&1 || { fail "vrrp_send: $(cat "$T/send.out")"; return 1; }
}
V2KINDS=checksum,ttl,vrid,auth,authtype,short,version,type,addrlist,addrcount,interval
V3KINDS=checksum,ttl,vrid,short,version,type,addrcount
for prio in 254 0; do
	send 51 "$prio" $V2KINDS -v 2 -I 1 -P "$PASS" -a 192.168.1.100
	send 52 "$prio" $V3KINDS -v 3 -I 0.1 -a 192.168.1.101
	send 53 "$prio" $V3KINDS -6 -v 3 -I 0.1 -a fd00:1::100
done
pass "sent $((2 * N * (11 + 7 + 7))) malformed adverts"
sleep 1.5	# longer than B's Skew_Time (0.61 s on VI_1): time to react, were it fooled

a_holds_all && pass "A still holds every address" || fail "A lost an address"
b_holds_none && pass "B took no address" || fail "B took an address"
ta1=$(transitions a) tb1=$(transitions b)
[ "$ta1" = "$ta0" ] && pass "no transition on A" || { fail "A changed state"; grep -E ' -> ' "$T/a.log"; }
[ "$tb1" = "$tb0" ] && pass "no transition on B" || { fail "B changed state"; grep -E ' -> ' "$T/b.log"; }

# The statistics dump of A's VRRP process. The path is fixed (/tmp/alived.stats,
# as keepalived's): take A's right after asking for it.
STATS=/tmp/alived.stats
rm -f "$STATS"
kill -USR2 "$PID_a"
if wait_for 3 test -s "$STATS" && sleep 0.2 && cp "$STATS" "$T/a.stats"; then
	pass "A wrote its statistics"
else
	fail "no statistics dump in $STATS"
fi
# counter INSTANCE NAME: the value in A's dump ("router" for vrrp_router).
counter() {
	awk -v sec="$1" -v k="$2" '
		/^vrrp_router/ { cur = "router" } /^vrrp_instance/ { cur = $2 }
		cur == sec && $1 == k { print $2; found = 1; exit }
		END { if (!found) print -1 }' "$T/a.stats"
}
# expect INSTANCE NAME SENT: the counter is SENT, or a little less should a
# few packets have been lost in a socket buffer; never more (no double count).
expect() {
	local v
	v=$(counter "$1" "$2")
	if [ "$v" -le "$3" ] && [ "$v" -ge $(($3 * 9 / 10)) ] 2>/dev/null; then
		pass "$1 $2 = $v (sent $3)"
	else
		fail "$1 $2 = $v, sent $3"
	fi
}
if [ -s "$T/a.stats" ]; then
	P=$((2 * N))	# both priorities
	for i in VI_1 VI_2 VI_3; do
		expect $i checksum_errors $P
		expect $i ttl_errors $P
		expect $i version_errors $P
		expect $i invalid_type_rcvd $P
		expect $i packet_length_errors $((2 * P))	# short and addrcount
	done
	expect VI_1 auth_failures $P
	expect VI_1 invalid_auth_type $P
	expect VI_1 addr_list_errors $P
	expect VI_1 adv_interval_errors $P
	expect router vrid_errors $((3 * P))
	expect router checksum_errors $((3 * P))
	for i in VI_1 VI_2 VI_3; do
		m=$(counter $i master_transitions)
		[ "$m" = 1 ] && pass "$i: one transition to master" || fail "$i: master_transitions $m"
	done
fi
# Refusals are logged, rate-limited: far fewer lines than packets.
nlog=$(grep -c 'refused' "$T/a.log")
[ "$nlog" -gt 0 ] && pass "A logged $nlog refusal lines" || fail "A logged no refusal"
[ "$nlog" -lt $((2 * N * 25 / 4)) ] && pass "refusal logging is rate-limited" ||
	fail "A logged $nlog refusal lines for $((2 * N * 25)) packets"

# Control: VALID adverts with priority 254 on VI_2 make A step down.
ip netns exec "$NS_c" "$SEND" -q -i eth0 -r 52 -p 254 -k valid -v 3 -I 0.1 -a 192.168.1.101 \
	-R 20 -t 0.5 > /dev/null 2>&1
if grep -qE 'VI_2: MASTER -> BACKUP' "$T/a.log"; then
	pass "control: valid adverts from a better router make A step down"
else
	fail "control: A ignored valid adverts (the checks above prove nothing)"
fi
wait_for 5 a_holds_all && pass "A master again after the control" || fail "A did not recover"
stop_pid "$PID_a"; stop_pid "$PID_b"
done_testing
