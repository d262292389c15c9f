#!/bin/bash
# The supervisor: one parent and two children, pid files, restart of a
# killed child, reload refused / accepted, orderly stop, -R, daemon mode,
# "already running", start-up failures. alived runs inside a namespace of
# its own, so whatever the engines do later stays there.
. "$(dirname "$0")/lib.sh"
require_netns

# The whole test is bounded.
( trap 'kill $s 2>/dev/null; exit 0' TERM; sleep 90 & s=$!; wait $s && kill -TERM $$ ) &
watchdog=$!
cleanup_add "kill $watchdog"

netns_add sup
NS=$NS_sup
CONF=$T/alived.conf
LOG=$T/log

# $1: priority; $2: VRID. Given 300, line 5 is an error (VRIDs are
# 1..255); the comment marks it for stand-in parsers used in development.
write_conf() {
	cat > "$CONF" <<EOF
global_defs {
    router_id sup_test
}
vrrp_instance VI_1 {
    virtual_router_id ${2:-51}${2:+ # BROKEN}
    interface lo
    priority $1
    advert_int 1
    virtual_ipaddress {
        192.0.2.1/32
    }
}
virtual_server 192.0.2.10 80 {
    delay_loop 5
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 192.0.2.11 80 {
        TCP_CHECK {
            connect_timeout 3
        }
    }
}
EOF
}
BROKEN_LINE=5

PIDS="-p $T/p.pid -r $T/v.pid -c $T/c.pid"
pids_seen=()
remember() { local p; for p in "$@"; do pids_seen+=("$p"); cleanup_add "kill -KILL $p"; done; }

# A zombie (a daemon's parent may reap late) counts as gone.
alive() { local st; st=$(ps -o stat= -p "$1") || return 1; [[ $st != Z* ]]; }
all_gone() { local p; for p in "$@"; do alive "$p" && return 1; done; return 0; }
pidfile() { cat "$T/$1.pid" 2>/dev/null; }
is_child_of() { [ "$(ps -o ppid= -p "$1" | tr -d ' ')" = "$2" ]; }
# Both children up, each pid file naming a live child of the parent.
children_up() {
	local v c
	v=$(pidfile v) && c=$(pidfile c) || return 1
	[ -n "$v" ] && [ -n "$c" ] && [ "$(pidfile p)" = "$P" ] || return 1
	is_child_of "$v" "$P" && is_child_of "$c" "$P" &&
		[ "$(children_of "$P" | wc -l)" = 2 ]
}
start_fg() {
	ip netns exec "$NS" "$ALIVED" -n -l -G -f "$CONF" $PIDS "$@" >> "$LOG" 2>&1 &
	P=$!
	remember "$P"
}

# ---- start-up failures: nothing is left behind
write_conf 100 300
timeout 10 ip netns exec "$NS" "$ALIVED" -n -l -G -f "$CONF" $PIDS > "$T/out" 2>&1; rc=$?
if [ $rc = 1 ] && grep -q "$CONF:$BROKEN_LINE: error" "$T/out" && [ ! -e "$T/p.pid" ]; then
	pass "broken configuration: exit 1 before starting, with FILE:LINE"
else
	fail "broken configuration: rc $rc"; cat "$T/out"
fi
timeout 10 ip netns exec "$NS" "$ALIVED" -n -l -G -f "$T/none.conf" $PIDS > "$T/out" 2>&1; rc=$?
[ $rc = 3 ] && pass "missing configuration: exit 3" || { fail "missing file: rc $rc"; cat "$T/out"; }

# ---- one parent, two children, pid files
write_conf 100
start_fg
if wait_for 5 children_up; then
	V=$(pidfile v); C=$(pidfile c)
	remember "$V" "$C"
	pass "parent $P runs vrrp child $V and check child $C; pid files right"
else
	fail "children did not come up"; cat "$LOG"; ps -o pid,ppid,args --ppid "$P"
	done_testing
fi
for p in $P $V $C; do
	n=$(ls /proc/$p/task | wc -l)
	[ "$n" = 1 ] && pass "pid $p is single-threaded" || fail "pid $p has $n threads"
done
grep -q "alived_vrrp\[$V\]: started" "$LOG" && grep -q "alived_check\[$C\]: started" "$LOG" &&
	pass "children log with their own idents" || fail "child idents missing in the log"

# ---- a second instance refuses to start
timeout 10 ip netns exec "$NS" "$ALIVED" -n -l -G -f "$CONF" $PIDS > "$T/out" 2>&1; rc=$?
[ $rc = 1 ] && grep -q "already running (pid $P" "$T/out" && [ "$(pidfile p)" = "$P" ] &&
	pass "second instance: 'already running (pid $P)', exit 1" ||
	{ fail "second instance: rc $rc"; cat "$T/out"; }

# ---- kill -9 of a child: a new one within 2 s
for kind in v c; do
	old=$(pidfile $kind)
	kill -KILL "$old"
	new_child() { local n; n=$(pidfile $kind); [ -n "$n" ] && [ "$n" != "$old" ] &&
		alive "$n" && is_child_of "$n" "$P"; }
	if wait_for 2 new_child; then
		remember "$(pidfile $kind)"
		pass "$kind child $old killed: restarted as $(pidfile $kind)"
	else
		fail "$kind child $old not restarted within 2 s"; tail -5 "$LOG"
	fi
done
V=$(pidfile v); C=$(pidfile c)
grep -q "killed by SIGKILL; restarting" "$LOG" && pass "the death is logged" ||
	fail "no 'killed by SIGKILL; restarting' in the log"

# ---- USR1: each child writes the running configuration
rm -f /tmp/alived.data /tmp/alived_check.data
kill -USR1 "$P"
if wait_for 3 grep -q "vrrp process $V" /tmp/alived.data &&
	wait_for 3 grep -q "check process $C" /tmp/alived_check.data; then
	grep -q "vrrp_instance VI_1" /tmp/alived.data && pass "USR1 writes the data files" ||
		fail "/tmp/alived.data lacks the configuration"
else
	fail "USR1: data files not written"
fi

# ---- HUP with a broken configuration: refused, children untouched
write_conf 100 300
kill -HUP "$P"
if wait_for 3 grep -q "reload refused" "$LOG"; then
	grep -q "$CONF:$BROKEN_LINE: error" "$LOG" && pass "broken reload refused, citing FILE:LINE" ||
		fail "refusal does not cite $CONF:$BROKEN_LINE"
else
	fail "no 'reload refused' in the log"; tail -5 "$LOG"
fi
sleep 0.3
[ "$(pidfile v)" = "$V" ] && [ "$(pidfile c)" = "$C" ] && alive "$V" && alive "$C" &&
	pass "children kept running (same pids)" || fail "children changed after a refused reload"
grep -q "alived_vrrp\[$V\]: .*configuration reloaded" "$LOG" &&
	fail "a child reloaded a refused configuration"

# ---- HUP with a valid changed configuration: each child reloads
write_conf 101
kill -HUP "$P"
if wait_for 3 grep -q "alived_vrrp\[$V\]: .*configuration reloaded" "$LOG" &&
	wait_for 3 grep -q "alived_check\[$C\]: .*configuration reloaded" "$LOG"; then
	pass "valid reload: 'configuration reloaded' in each child's log"
else
	fail "valid reload not logged by both children"; tail -8 "$LOG"
fi

# ---- TERM: everything gone within 5 s, pid files removed
kill -TERM "$P"
if wait_for 5 all_gone "$P" "$V" "$C"; then
	wait "$P"; rc=$?
	[ $rc = 0 ] && pass "TERM: all three gone, exit 0" || fail "TERM: exit $rc"
else
	fail "TERM: processes still running"
fi
[ ! -e "$T/p.pid" ] && [ ! -e "$T/v.pid" ] && [ ! -e "$T/c.pid" ] &&
	pass "pid files removed" || { fail "pid files left:"; ls "$T"; }

# ---- -R: a dead child stops everything, with a non-zero exit
start_fg -R
if wait_for 5 children_up; then
	V=$(pidfile v); C=$(pidfile c)
	remember "$V" "$C"
	kill -KILL "$V"
	if wait_for 5 all_gone "$P" "$C"; then
		wait "$P"; rc=$?
		[ $rc != 0 ] && pass "-R: child death stopped everything (exit $rc)" ||
			fail "-R: exit code 0"
		grep -q "not restarted (-R)" "$LOG" && pass "-R: logged" || fail "-R: not logged"
	else
		fail "-R: still running after a child died"
	fi
else
	fail "-R: children did not come up"
fi

# ---- daemon mode: the command returns, the daemon keeps running
timeout 10 ip netns exec "$NS" "$ALIVED" -G -f "$CONF" $PIDS > "$T/out" 2>&1; rc=$?
if [ $rc = 0 ] && wait_for 5 test -s "$T/p.pid"; then
	P=$(pidfile p); remember "$P"
	if wait_for 5 children_up; then
		V=$(pidfile v); C=$(pidfile c); remember "$V" "$C"
		sid=$(ps -o sid= -p "$P" | tr -d ' ')
		[ "$sid" != "$(ps -o sid= -p $$ | tr -d ' ')" ] && [ "$(readlink /proc/$P/cwd)" = / ] &&
			pass "daemon: own session, cwd /" || fail "daemon: sid $sid, cwd $(readlink /proc/$P/cwd)"
		kill -TERM "$P"
		wait_for 5 all_gone "$P" "$V" "$C" && pass "daemon: stopped by TERM" ||
			fail "daemon: still running after TERM"
	else
		fail "daemon: children did not come up"
	fi
else
	fail "daemon mode: rc $rc"; cat "$T/out"
fi

done_testing
