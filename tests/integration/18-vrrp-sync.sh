#!/bin/bash
# A sync group of two instances moving together, between two routers in
# namespaces. VI_1 is VRRPv2 with 1 s adverts; VI_2 is VRRPv3 with 5 s
# adverts, so on its own it would take over only after its
# Master_Down_Interval (about 18 s): when it moves within a few seconds of
# VI_1, the group moved it.
#  1. a alone: VI_1 becomes MASTER, and pulls VI_2 along (sync group).
#  2. b starts with higher priorities: b's VI_1 preempts; a's VI_1 steps
#     down and pushes a's VI_2 out with it; b holds both addresses.
#  3. b's tracked interface goes down: b's VI_1 in FAULT takes b's VI_2 to
#     FAULT too; a takes both addresses.
#  4. it comes back: b takes both again.
# The group's notify script sees GROUP G <state> 0 on each side, in order,
# and the read API's view (USR1 dump) lists the group with its state.
. "$(dirname "$0")/lib.sh"
require_netns
[ -n "${KEEP_LOGS:-}" ] && cleanup_add "cp $T/*.log ${KEEP_LOGS:-.}/"
lan_setup a:192.168.1.1/24 b:192.168.1.2/24 || { fail "topology"; done_testing; }
ip -n "$NS_b" link add trk0 type veth peer name trk0p && ip -n "$NS_b" link set trk0p up &&
	ip -n "$NS_b" link set trk0 up || { fail "trk0"; done_testing; }

holds() { has_addr "$1" "$2"; }
lacks() { ! has_addr "$1" "$2"; }
both_on() { holds "$1" 192.168.1.220 && holds "$1" 192.168.1.230; }
none_on() { lacks "$1" 192.168.1.220 && lacks "$1" 192.168.1.230; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

mkdir -p "$T/s"
cat > "$T/s/g.sh" <<EOF
#!/bin/sh
# g.sh ROUTER GROUP NAME STATE PRIORITY
r=\$1; shift
echo "\$*" >> "$T/group-\$r.log"
EOF
chmod 755 "$T/s/g.sh"

conf() {	# conf NAME PRIO [TRACK]
	cat <<EOF
vrrp_sync_group G {
    group {
        VI_1
        VI_2
    }
    notify "$T/s/g.sh $1"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority $2
    advert_int 1
    virtual_ipaddress {
        192.168.1.220/24
    }
    ${3:-}
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    version 3
    priority $2
    advert_int 5
    virtual_ipaddress {
        192.168.1.230/24
    }
}
EOF
}
conf a 100 > "$T/a.conf"
conf b 110 "track_interface {
        trk0
    }" > "$T/b.conf"

# 1. a alone: VI_1 after ~3.6 s, VI_2 pulled within its Skew_Time (~3 s).
t0=$(date +%s%N)
alived_start a "$NS_a" "$T/a.conf"
if wait_for 6 holds "$NS_a" 192.168.1.220; then
	pass "a: VI_1 master after $(ms_since "$t0") ms"
else
	fail "a: VI_1 not master"; cat "$T/a.log"
fi
if wait_for 6 holds "$NS_a" 192.168.1.230; then
	ms=$(ms_since "$t0")
	[ "$ms" -lt 12000 ] && pass "a: VI_2 pulled to MASTER after $ms ms (alone: ~18 s)" ||
		fail "a: VI_2 master only after $ms ms"
else
	fail "a: VI_2 not master"; cat "$T/a.log"
fi
grep -q "VI_2: BACKUP -> MASTER (sync group G)" "$T/a.log" && pass "a: logged as moved by G" ||
	fail "a: VI_2 transition not attributed to the group"
wait_for 2 grep -q "GROUP G MASTER 0" "$T/group-a.log" && pass "a: group notify GROUP G MASTER 0" ||
	fail "a: no group MASTER notify"

# 2. b with higher priorities.
t0=$(date +%s%N)
alived_start b "$NS_b" "$T/b.conf"
if wait_for 12 both_on "$NS_b" && wait_for 2 none_on "$NS_a"; then
	pass "b took both addresses in $(ms_since "$t0") ms; a holds none"
else
	fail "b did not take both"; tail -20 "$T/a.log"; tail -20 "$T/b.log"
fi
grep -q "VI_2: MASTER -> BACKUP (sync group G)" "$T/a.log" &&
	pass "a: VI_2 pushed out by its group when VI_1 stepped down" ||
	fail "a: VI_2 did not leave with VI_1"

# 3. b's tracked interface down: b's group goes to FAULT, a takes both.
sleep 1
t0=$(date +%s%N)
ip -n "$NS_b" link set trk0 down
if wait_for 8 both_on "$NS_a" && wait_for 2 none_on "$NS_b"; then
	pass "trk0 down on b: a holds both addresses after $(ms_since "$t0") ms"
else
	fail "a did not take both"; tail -20 "$T/a.log"; tail -20 "$T/b.log"
fi
grep -q "VI_1: MASTER -> FAULT (fault: track_interface trk0 down)" "$T/b.log" &&
	grep -q "VI_2: MASTER -> FAULT (fault: sync group G)" "$T/b.log" &&
	pass "b: VI_1 FAULT (trk0), VI_2 FAULT (sync group G)" || fail "b: FAULT lines missing"
grep -q "sync group G: MASTER -> FAULT" "$T/b.log" && pass "b: group G MASTER -> FAULT" ||
	fail "b: no group FAULT"

# 4. back up: b takes both again.
t0=$(date +%s%N)
ip -n "$NS_b" link set trk0 up
if wait_for 12 both_on "$NS_b" && wait_for 2 none_on "$NS_a"; then
	pass "trk0 up on b: b holds both again after $(ms_since "$t0") ms"
else
	fail "b did not take both back"; tail -20 "$T/a.log"; tail -20 "$T/b.log"
fi

# The read API, through the USR1 dump of b's VRRP process.
vc=$(children_of "$PID_b" | head -1)
rm -f /tmp/alived.data
kill -USR1 "$vc"
if wait_for 3 grep -q "vrrp_sync_group G" /tmp/alived.data; then
	awk '/^vrrp_sync_group G/,/^}/' /tmp/alived.data > "$T/dump"
	grep -q "state MASTER" "$T/dump" && grep -q "group { VI_1 VI_2 }" "$T/dump" &&
		pass "dump: sync group G, MASTER, members VI_1 VI_2" || { fail "dump:"; cat "$T/dump"; }
	grep -q "sync_group G" /tmp/alived.data && pass "dump: instances name their group" ||
		fail "dump: instances do not name G"
else
	fail "no USR1 dump"
fi
rm -f /tmp/alived.data

stop_pid "$PID_b"; stop_pid "$PID_a"
wait_for 3 grep -q "GROUP G STOP 0" "$T/group-b.log"
[ "$(cat "$T/group-b.log" | tr '\n' ',')" = \
  "GROUP G BACKUP 0,GROUP G MASTER 0,GROUP G FAULT 0,GROUP G BACKUP 0,GROUP G MASTER 0,GROUP G STOP 0," ] &&
	pass "b's group notify: BACKUP MASTER FAULT BACKUP MASTER STOP" ||
	{ fail "b's group notify:"; cat "$T/group-b.log"; }
wait_for 3 grep -q "GROUP G STOP 0" "$T/group-a.log"
[ "$(cat "$T/group-a.log" | tr '\n' ',')" = \
  "GROUP G BACKUP 0,GROUP G MASTER 0,GROUP G BACKUP 0,GROUP G MASTER 0,GROUP G BACKUP 0,GROUP G STOP 0," ] &&
	pass "a's group notify: BACKUP MASTER BACKUP MASTER BACKUP STOP" ||
	{ fail "a's group notify:"; cat "$T/group-a.log"; }
done_testing
