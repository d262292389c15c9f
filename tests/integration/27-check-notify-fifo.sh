#!/bin/bash
# Notification FIFOs and script rules of the checker: notify_fifo and
# lvs_notify_fifo get one "RS ... UP|DOWN" / "VS ... UP|DOWN" line per
# transition; lvs_notify_fifo_script reads its FIFO as script_user; the
# FIFOs alived created are gone after it stops. enable_script_security
# refuses scripts that would run as root from a directory others may
# write (notify_up, MISC_CHECK), and runs a root script from a safe one.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd python3
id nobody >/dev/null 2>&1 || skip "needs user nobody"
lan_setup lb:10.0.3.1/24 srv:10.0.3.2/24 || { fail "topology"; done_testing; }
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
listen() {	# sets LPID
	ip netns exec "$NS_srv" python3 "$T/listen.py" 10.0.3.2 9000 &
	LPID=$!
	cleanup_add "kill -KILL $LPID"
	wait_for 5 ip netns exec "$NS_srv" sh -c "ss -ltn | grep -q '10.0.3.2:9000 '"
}
listen || fail "listener"

# $T readable by nobody; pub/ writable by anyone (unsafe for root scripts);
# safe/ root's alone
chmod 755 "$T"
mkdir -m 777 "$T/pub"
mkdir -m 755 "$T/safe"
cat > "$T/pub/reader.sh" <<EOF
#!/bin/sh
id -un > "$T/pub/reader.who"
while read -r line; do echo "\$line" >> "$T/pub/lvs.lines"; done < "\$1"
EOF
cat > "$T/pub/up.sh" <<EOF
#!/bin/sh
echo ran >> "$T/pub/up.ran"
EOF
cat > "$T/pub/down.sh" <<EOF
#!/bin/sh
id -un >> "$T/pub/down.who"
EOF
cat > "$T/pub/misc.sh" <<EOF
#!/bin/sh
exit 0
EOF
cat > "$T/safe/quorum.sh" <<EOF
#!/bin/sh
echo "\$(id -un) \$1" >> "$T/pub/quorum.ran"
EOF
chmod 755 "$T"/pub/*.sh "$T/safe/quorum.sh"

cat > "$T/lb.conf" <<EOF
global_defs {
    router_id T27
    script_user nobody
    enable_script_security
    notify_fifo $T/all.fifo
    lvs_notify_fifo $T/lvs.fifo
    lvs_notify_fifo_script $T/pub/reader.sh
}
virtual_server 10.0.3.100 9000 {
    delay_loop 1
    protocol TCP
    quorum 1
    quorum_up "$T/safe/quorum.sh up" root
    quorum_down "$T/safe/quorum.sh down" root
    real_server 10.0.3.2 9000 {
        notify_up "$T/pub/up.sh" root
        notify_down $T/pub/down.sh
        TCP_CHECK {
            connect_timeout 1
            retry 0
            warmup 0
        }
    }
}
virtual_server fwmark 27 {
    delay_loop 1
    real_server 10.0.3.2 9001 {
        MISC_CHECK {
            misc_path "$T/pub/misc.sh"
            user root
            warmup 0
            retry 0
        }
    }
}
EOF
log_has() { [ "$(grep -cF -- "$1" "$LOG")" -ge "${2:-1}" ]; }
expect() {	# expect WHAT LINE [COUNT] [SECONDS]
	if wait_for "${4:-10}" log_has "$2" "${3:-1}"; then pass "$1"; else
		fail "$1: no '$2'"; tail -15 "$LOG"; fi
}
lines_has() { [ "$(grep -cxF -- "$2" "$1" 2>/dev/null)" -ge "${3:-1}" ]; }
expect_line() {	# expect_line FILE LINE [COUNT]
	if wait_for 10 lines_has "$1" "$2" "${3:-1}"; then pass "$(basename "$1"): $2"; else
		fail "$(basename "$1"): no line '$2'"; cat "$1" 2>/dev/null; fi
}

alived_start lb "$NS_lb" "$T/lb.conf" -C
wait_for 10 test -p "$T/all.fifo" && pass "notify_fifo created" || fail "no notify_fifo"
cat "$T/all.fifo" > "$T/all.lines" &
CAT=$!
cleanup_add "kill -KILL $CAT"

# ---- refused at load and at run time ----
expect "insecure root notify_up refused at load" \
	"notify_up '$T/pub/up.sh': $T/pub is writable by users other than root; not run"
expect "insecure root misc_path refused at load" \
	"misc_path '$T/pub/misc.sh': $T/pub is writable by users other than root; not run"
MISC="[10.0.3.2]:9001 in VS fwmark 27"
expect "MISC_CHECK refused: real server DOWN" \
	"$MISC: DOWN (MISC_CHECK: '$T/pub/misc.sh' not run (enable_script_security))"
grep -qF "quorum.sh" "$LOG" && grep -F "quorum.sh" "$LOG" | grep -q "writable" &&
	fail "the safe root script was called insecure"

wait_for 10 test -s "$T/pub/reader.who" && [ "$(cat "$T/pub/reader.who")" = nobody ] &&
	pass "lvs_notify_fifo_script runs as script_user" ||
	fail "reader: '$(cat "$T/pub/reader.who" 2>/dev/null)'"

# ---- a real server down and up again ----
RS="[10.0.3.2]:tcp:9000 [10.0.3.100]:tcp:9000"
kill -KILL "$LPID"; wait "$LPID" 2>/dev/null
expect "DOWN" "[10.0.3.2]:9000 in VS [10.0.3.100]:9000: DOWN"
expect_line "$T/all.lines" "RS $RS DOWN"
expect_line "$T/all.lines" "VS [10.0.3.100]:tcp:9000 DOWN"
expect_line "$T/pub/lvs.lines" "RS $RS DOWN"
expect_line "$T/pub/lvs.lines" "VS [10.0.3.100]:tcp:9000 DOWN"
expect_line "$T/all.lines" "RS [10.0.3.2]:tcp:9001 FWM:27 DOWN"
listen || fail "listener restart"
expect "UP" "[10.0.3.2]:9000 in VS [10.0.3.100]:9000: UP"
expect_line "$T/all.lines" "RS $RS UP"
expect_line "$T/pub/lvs.lines" "VS [10.0.3.100]:tcp:9000 UP"
# order: the real server's line before its virtual server's
got=$(grep -F "9000" "$T/all.lines" | tr '\n' '|')
want="RS $RS DOWN|VS [10.0.3.100]:tcp:9000 DOWN|RS $RS UP|VS [10.0.3.100]:tcp:9000 UP|"
[ "$got" = "$want" ] && pass "lines in order" || fail "lines: '$got'"

# ---- scripts: as whom, and which ----
wait_for 5 test -s "$T/pub/down.who" && [ "$(cat "$T/pub/down.who")" = nobody ] &&
	pass "notify_down ran as script_user" || fail "down.who: '$(cat "$T/pub/down.who" 2>/dev/null)'"
[ ! -e "$T/pub/up.ran" ] && pass "insecure notify_up never ran" || fail "notify_up ran"
expect "notify_up refused when due" "'$T/pub/up.sh' not run (enable_script_security)"
wait_for 5 lines_has "$T/pub/quorum.ran" "root up" && lines_has "$T/pub/quorum.ran" "root down" &&
	pass "safe root quorum scripts ran as root" ||
	fail "quorum.ran: $(cat "$T/pub/quorum.ran" 2>/dev/null)"

# ---- stop: the FIFOs alived made are removed, the reader is told ----
stop_pid "$PID_lb"
[ ! -e "$T/all.fifo" ] && [ ! -e "$T/lvs.fifo" ] && pass "FIFOs removed" || fail "FIFOs left"
wait_for 5 sh -c "! pgrep -u nobody -f '$T/pub/reader.sh' >/dev/null" &&
	pass "lvs_notify_fifo_script ended" || fail "reader still running"
grep -q 'ERROR: AddressSanitizer\|runtime error' "$LOG" && fail "sanitizer report in the log"
done_testing
