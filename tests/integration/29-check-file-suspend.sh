#!/bin/bash
# FILE_CHECK and ha_suspend. FILE_CHECK: a maintenance file (weight 0)
# takes a real server down and up as soon as it is written (inotify: far
# quicker than its delay_loop), init_file creates it; with weight and
# dynamic the number moves the real server's weight, and a result below
# -253 takes it down. ha_suspend: a virtual server whose address is not
# local checks nothing; adding the address resumes its checks, removing
# it suspends them again.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd python3
lan_setup lb:10.0.7.1/24 srv:10.0.7.2/24 || { fail "topology"; done_testing; }
LOG=$T/lb.log

cat > "$T/listen.py" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(64)
while True:
    c, _ = s.accept()
    c.close()
EOF
ip netns exec "$NS_srv" python3 "$T/listen.py" 10.0.7.2 9000 &
cleanup_add "kill -KILL $!"
wait_for 5 ip netns exec "$NS_srv" sh -c "ss -ltn | grep -q '10.0.7.2:9000 '" || fail "listener"
echo 3 > "$T/prio"

cat > "$T/lb.conf" <<EOF
track_file maint {
    file $T/maint
    init_file 0
}
track_file prio {
    file $T/prio
}
virtual_server 10.0.7.100 9000 {
    delay_loop 30
    protocol TCP
    real_server 10.0.7.2 9000 {
        TCP_CHECK {
            delay_loop 1
            connect_timeout 1
            warmup 0
        }
        FILE_CHECK {
            track_file maint
            weight 0
        }
    }
}
virtual_server 10.0.7.101 9000 {
    delay_loop 30
    protocol TCP
    real_server 10.0.7.2 9000 {
        weight 5
        FILE_CHECK {
            track_file prio
            weight 10
            dynamic
        }
    }
}
virtual_server 10.0.7.200 9002 {
    delay_loop 1
    protocol TCP
    ha_suspend
    real_server 10.0.7.2 9002 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
            warmup 0
        }
    }
}
EOF
log_has() { [ "$(grep -cF -- "$1" "$LOG")" -ge "${2:-1}" ]; }
expect() {	# expect WHAT LINE [COUNT] [SECONDS]
	if wait_for "${4:-10}" log_has "$2" "${3:-1}"; then pass "$1"; else
		fail "$1: no '$2'"; tail -15 "$LOG"; fi
}
# ms between now and the line appearing
quick() {	# quick WHAT LINE MAX_MS
	local t0=$(date +%s%3N)
	if wait_for 5 log_has "$2"; then
		local dt=$(( $(date +%s%3N) - t0 ))
		[ $dt -le "$3" ] && pass "$1 (${dt} ms)" || fail "$1 took $dt ms"
	else
		fail "$1: no '$2'"; tail -15 "$LOG"
	fi
}

alived_start lb "$NS_lb" "$T/lb.conf" -C
expect "FILE_CHECK: no warning" "started (pid"
grep -q "warning" "$LOG" && fail "warnings: $(grep warning "$LOG")"
A="[10.0.7.2]:9000 in VS [10.0.7.100]:9000"
B="[10.0.7.2]:9000 in VS [10.0.7.101]:9000"
C="[10.0.7.2]:9002 in VS [10.0.7.200]:9002"
expect "ha_suspend: suspended at start" \
	"VS [10.0.7.200]:9002: checks suspended (ha_suspend: its address is not local)"
wait_for 5 test -f "$T/maint" && [ "$(cat "$T/maint")" = 0 ] && pass "init_file created it" ||
	fail "maint: '$(cat "$T/maint" 2>/dev/null)'"
# read at once, not within warmup (30 s here)
expect "dynamic weight from the file: 5 + 3 * 10" \
	"$B: weight 5 -> 35 (FILE_CHECK: track_file prio holds 3)" 1 2

# ---- maintenance file ----
sleep 1
echo 1 > "$T/maint"
quick "maintenance: DOWN on write" "$A: DOWN (FILE_CHECK: track_file maint holds 1)" 900
echo 0 > "$T/maint.new" && mv "$T/maint.new" "$T/maint"
quick "maintenance over: UP on rename" "$A: UP (all checkers up)" 900

# ---- weight and threshold ----
echo 7 > "$T/prio"
expect "weight follows the number" "$B: weight 35 -> 75 (FILE_CHECK: track_file prio holds 7)"
echo -30 > "$T/prio"
expect "-300 is below -253: DOWN" "$B: DOWN (FILE_CHECK: track_file prio holds -30)"
echo 0 > "$T/prio"
expect "0: UP again with the configured weight" "$B: UP (FILE_CHECK: track_file prio holds 0)"
rm -f "$T/prio"
expect "a missing file reads as 0, said once" \
	"track_file prio: $T/prio: No such file or directory; taken as 0"

# ---- ha_suspend ----
sleep 2
log_has "$C: DOWN" && fail "a suspended virtual server was checked" ||
	pass "nothing checked while suspended"
ip -n "$NS_lb" addr add 10.0.7.200/32 dev eth0
expect "address added: resumed" \
	"VS [10.0.7.200]:9002: checks resumed (ha_suspend: its address is local)"
expect "then checked: DOWN" "$C: DOWN (TCP_CHECK: connect: Connection refused)"
ip -n "$NS_lb" addr del 10.0.7.200/32 dev eth0
expect "address removed: suspended again" \
	"VS [10.0.7.200]:9002: checks suspended (ha_suspend: its address is not local)" 2

# ---- reload keeps it all ----
kill -HUP "$PID_lb"
expect "reloaded" "configuration reloaded" 1 10 || true
sleep 1
n=$(grep -cF "VS [10.0.7.200]:9002: checks" "$LOG")
[ "$n" = 3 ] && pass "reload: still suspended, nothing said again" || fail "$n suspend lines"

stop_pid "$PID_lb"
grep -q 'ERROR: AddressSanitizer\|runtime error' "$LOG" && fail "sanitizer report in the log"
done_testing
