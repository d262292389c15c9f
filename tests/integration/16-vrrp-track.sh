#!/bin/bash
# Tracking (keepalived.conf(5) vrrp_script, track_script, track_interface,
# track_file) between two routers in namespaces. a (priority 100) is master
# of VI_1 and b (90) its backup:
#  - a failing vrrp_script with weight -20 (fall 2) hands VI_1 over to b,
#    a reload meanwhile keeps it failed, and its recovery (rise 2) takes
#    VI_1 back;
#  - a track_file holding -15 (weight 1) does the same, 0 undoes it;
#  - a tracked interface without weight going down puts VI_1 in FAULT;
#  - a weighted tracked interface only lowers the priority;
#  - a hung script (timeout 1 s) is killed and counts as failed (VI_2 goes
#    to FAULT), while VI_1's adverts go on: b never takes VI_1 meanwhile.
. "$(dirname "$0")/lib.sh"
require_netns
# KEEP_LOGS=DIR keeps the daemons' logs for a look after the run.
[ -n "${KEEP_LOGS:-}" ] && cleanup_add "cp $T/*.log ${KEEP_LOGS:-.}/"
lan_setup a:192.168.1.1/24 b:192.168.1.2/24 || { fail "topology"; done_testing; }
# Two tracked interfaces (veth pairs: no dummy driver needed); down = admin down.
for i in trk0 trk1; do
	ip -n "$NS_a" link add $i type veth peer name ${i}p && ip -n "$NS_a" link set ${i}p up &&
		ip -n "$NS_a" link set $i up || { fail "interface $i"; done_testing; }
done

holds() { has_addr "$1" "$2"; }
lacks() { ! has_addr "$1" "$2"; }
# moved ADDR FROM TO: ADDR is on TO and no longer on FROM
moved() { holds "$3" "$1" && lacks "$2" "$1"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

mkdir -p "$T/s"
cat > "$T/s/chk.sh" <<EOF
#!/bin/sh
# fails while $T/fail exists
[ ! -e "$T/fail" ]
EOF
cat > "$T/s/hang.sh" <<EOF
#!/bin/sh
# hangs while $T/hang exists
if [ -e "$T/hang" ]; then echo \$\$ > "$T/hang.pid"; exec sleep 30; fi
exit 0
EOF
chmod 755 "$T/s/chk.sh" "$T/s/hang.sh"
echo 0 > "$T/prio"

cat > "$T/a.conf" <<EOF
vrrp_script chk {
    script "$T/s/chk.sh"
    interval 0.5
    fall 2
    rise 2
    weight -20
}
vrrp_script hang {
    script "$T/s/hang.sh"
    interval 1
    timeout 1
}
track_file prio {
    file "$T/prio"
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.168.1.220/24
    }
    track_script {
        chk
    }
    track_file {
        prio
    }
    track_interface {
        trk0
        trk1 weight -25
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface eth0
    virtual_router_id 52
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.168.1.230/24
    }
    track_script {
        hang
    }
}
EOF
cat > "$T/b.conf" <<EOF
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 90
    advert_int 1
    virtual_ipaddress {
        192.168.1.220/24
    }
}
EOF

alived_start a "$NS_a" "$T/a.conf"
alived_start b "$NS_b" "$T/b.conf"
if wait_for 8 holds "$NS_a" 192.168.1.220 && wait_for 2 holds "$NS_a" 192.168.1.230; then
	pass "a is master of VI_1 and VI_2"
else
	fail "a is not master"; cat "$T/a.log" "$T/b.log"
fi
sleep 1
lacks "$NS_b" 192.168.1.220 && pass "b is backup" || fail "b holds .220 too"

# 1. The script fails: priority 80 < 90, b preempts; it recovers: a preempts.
t0=$(date +%s%N)
touch "$T/fail"
if wait_for 10 moved 192.168.1.220 "$NS_a" "$NS_b"; then
	pass "failing vrrp_script (weight -20): VI_1 moved to b in $(ms_since "$t0") ms"
else
	fail "VI_1 did not move to b"; tail -20 "$T/a.log"; tail -20 "$T/b.log"
fi
grep -q "vrrp_script chk: now fails (exit status 1)" "$T/a.log" &&
	grep -q "VI_1: effective priority 100 -> 80 (base 100, tracking -20)" "$T/a.log" &&
	pass "a logged the failure and priority 80" || fail "no failure/priority log line"
grep -q "VI_1: MASTER -> BACKUP (higher priority advert from 192.168.1.2, priority 90)" \
	"$T/a.log" && pass "a stepped down on b's advert" || fail "a: no MASTER -> BACKUP"
# A reload keeps the script's state: no jump back to 100 meanwhile.
kill -HUP "$PID_a"
wait_for 3 grep -q "VRRP engine reloaded: 2 kept" "$T/a.log" || fail "a did not reload"
sleep 2
! grep -q "effective priority 80 -> 100" "$T/a.log" && holds "$NS_b" 192.168.1.220 &&
	pass "reload: the failed script stayed failed (priority 80, b master)" ||
	fail "reload reset the tracking"
t0=$(date +%s%N)
rm -f "$T/fail"
if wait_for 10 moved 192.168.1.220 "$NS_b" "$NS_a"; then
	pass "recovered script: VI_1 back on a in $(ms_since "$t0") ms"
else
	fail "VI_1 did not come back"; tail -20 "$T/a.log"; tail -20 "$T/b.log"
fi
grep -q "VI_1: effective priority 80 -> 100" "$T/a.log" && pass "priority back to 100" ||
	fail "no priority 80 -> 100"

# 2. The track file: -15 gives 85 < 90; 0 gives 100 again.
echo -15 > "$T/prio"
if wait_for 8 moved 192.168.1.220 "$NS_a" "$NS_b"; then
	pass "track_file -15: VI_1 moved to b"
else
	fail "track_file did not move VI_1"; tail -20 "$T/a.log"
fi
grep -q "VI_1: effective priority 100 -> 85" "$T/a.log" && pass "priority 85 from the file" ||
	fail "no priority 85"
echo 0 > "$T/prio"
wait_for 8 moved 192.168.1.220 "$NS_b" "$NS_a" && pass "track_file 0: VI_1 back on a" ||
	fail "VI_1 did not come back after the file went to 0"

# 3. A weighted interface (-25): only the priority changes, no FAULT.
ip -n "$NS_a" link set trk1 down
if wait_for 8 moved 192.168.1.220 "$NS_a" "$NS_b"; then
	pass "track_interface trk1 weight -25 down: VI_1 moved to b"
else
	fail "weighted interface did not move VI_1"; tail -20 "$T/a.log"
fi
grep -q "VI_1: effective priority 100 -> 75" "$T/a.log" && pass "priority 75" || fail "no 75"
grep -q "VI_1: .* -> FAULT" "$T/a.log" && fail "a weighted interface caused a FAULT" ||
	pass "no FAULT for a weighted interface"
ip -n "$NS_a" link set trk1 up
wait_for 8 moved 192.168.1.220 "$NS_b" "$NS_a" && pass "trk1 up: VI_1 back on a" ||
	fail "VI_1 did not come back after trk1 up"

# 4. An unweighted interface: FAULT, the backup takes over at once (priority 0).
t0=$(date +%s%N)
ip -n "$NS_a" link set trk0 down
if wait_for 5 moved 192.168.1.220 "$NS_a" "$NS_b"; then
	pass "track_interface trk0 down: VI_1 on b in $(ms_since "$t0") ms"
else
	fail "trk0 down did not move VI_1"; tail -20 "$T/a.log"
fi
grep -q "VI_1: MASTER -> FAULT (fault: track_interface trk0 down)" "$T/a.log" &&
	pass "a logged MASTER -> FAULT naming trk0" || fail "no FAULT line naming trk0"
holds "$NS_a" 192.168.1.230 && pass "VI_2 unaffected" || fail "VI_2 lost its address"
ip -n "$NS_a" link set trk0 up
wait_for 8 moved 192.168.1.220 "$NS_b" "$NS_a" && pass "trk0 up: VI_1 back on a" ||
	fail "VI_1 did not come back after trk0 up"
grep -q "VI_1: FAULT -> BACKUP (fault cleared)" "$T/a.log" && pass "FAULT -> BACKUP logged" ||
	fail "no FAULT -> BACKUP"

# 5. A hung script: killed at 1 s, failed: VI_2 goes to FAULT. VI_1 keeps
#    advertising all along (b, listening, never takes over).
: > "$T/b.mark"
touch "$T/hang"
if wait_for 8 sh -c "grep -q 'VI_2: MASTER -> FAULT (fault: track_script hang failed)' $T/a.log"
then
	pass "hung script: VI_2 in FAULT"
else
	fail "hung script: VI_2 not in FAULT"; tail -20 "$T/a.log"
fi
grep -q "vrrp_script hang: now fails (timed out after 1000 ms, killed)" "$T/a.log" &&
	pass "the hung run was killed at its timeout" || fail "no 'timed out' line"
hp=$(cat "$T/hang.pid" 2>/dev/null)
[ -n "$hp" ] && ! kill -0 "$hp" 2>/dev/null && pass "the hung process is gone" ||
	fail "the hung process $hp is still there"
lacks "$NS_a" 192.168.1.230 && pass "VI_2 released .230" || fail "VI_2 kept .230"
sleep 3	# more hung runs, each killed
holds "$NS_a" 192.168.1.220 && lacks "$NS_b" 192.168.1.220 &&
	pass "VI_1 stayed master on a while scripts hung (adverts kept going)" ||
	fail "VI_1 moved while a script hung"
rm -f "$T/hang"
wait_for 6 holds "$NS_a" 192.168.1.230 && pass "script recovered: VI_2 master again" ||
	fail "VI_2 did not come back"
[ "$(ip netns pids "$NS_a" | xargs -r ps -o comm= -p | grep -c sleep)" = 0 ] &&
	pass "no sleep process left over" || fail "sleep processes left over"

stop_pid "$PID_a"; stop_pid "$PID_b"
grep -q "ERROR\|AddressSanitizer" "$T/a.log" && fail "errors in a's log" || pass "a's log is clean"
done_testing
