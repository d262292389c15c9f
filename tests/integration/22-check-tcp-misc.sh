#!/bin/bash
# TCP_CHECK and MISC_CHECK in network namespaces. TCP: a listener stopped
# and restarted (connection refused), an address nobody holds until the
# test adds it (connect timeout). MISC: a script whose exit status the test
# sets: failure, misc_dynamic weight, a script that outlives misc_timeout.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd python3
lan_setup lb:10.0.2.1/24 srv:10.0.2.2/24 || { fail "topology"; done_testing; }
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
listen() {	# listen ADDR PORT: sets LPID
	ip netns exec "$NS_srv" python3 "$T/listen.py" "$1" "$2" &
	LPID=$!
	cleanup_add "kill -KILL $LPID"
	wait_for 5 ip netns exec "$NS_srv" sh -c "ss -ltn | grep -q '$1:$2 '"
}
listen 10.0.2.2 9000 || fail "listener"
L1=$LPID

cat > "$T/misc.sh" <<EOF
#!/bin/sh
read what < "$T/misc.ctl"
case "\$what" in
sleep) sleep 30 ;;
*) exit "\$what" ;;
esac
EOF
chmod 755 "$T/misc.sh"
echo 0 > "$T/misc.ctl"

cat > "$T/lb.conf" <<EOF
virtual_server 10.0.2.100 9000 {
    delay_loop 1
    protocol TCP
    real_server 10.0.2.2 9000 {
        TCP_CHECK {
            connect_timeout 1
            retry 1
            delay_before_retry 1
            warmup 0
            alpha
        }
    }
    real_server 10.0.2.3 9000 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
            warmup 0
        }
    }
    real_server 10.0.2.2 9001 {
        weight 1
        MISC_CHECK {
            misc_path "$T/misc.sh"
            misc_timeout 2
            misc_dynamic
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
VS="in VS [10.0.2.100]:9000"
A="[10.0.2.2]:9000 $VS"
B="[10.0.2.3]:9000 $VS"
M="[10.0.2.2]:9001 $VS"

alived_start lb "$NS_lb" "$T/lb.conf" -C
expect "TCP listener: UP" "$A: UP (TCP_CHECK: ok)"
expect "address nobody holds: DOWN (timeout)" "$B: DOWN (TCP_CHECK: no connection within 1.000 s)"

kill -KILL "$L1"; wait "$L1" 2>/dev/null
expect "listener stopped: DOWN" "$A: DOWN (TCP_CHECK: connect: Connection refused)"
listen 10.0.2.2 9000 || fail "listener restart"
expect "listener back: UP" "$A: UP (TCP_CHECK: ok)" 2

ip -n "$NS_srv" addr add 10.0.2.3/24 dev eth0
listen 10.0.2.3 9000 || fail "second listener"
expect "address now held: UP" "$B: UP (TCP_CHECK: ok)"

# ---- MISC_CHECK ----
echo 1 > "$T/misc.ctl"
expect "script exit 1: DOWN" "$M: DOWN (MISC_CHECK: script exit status 1)"
echo 12 > "$T/misc.ctl"
expect "misc_dynamic exit 12: weight 10" "$M: weight 1 -> 10 (MISC_CHECK exit status 12)"
expect "misc_dynamic exit 12: UP" "$M: UP (MISC_CHECK: ok)"
echo sleep > "$T/misc.ctl"
expect "script past misc_timeout: DOWN" "$M: DOWN (MISC_CHECK: script still running after 2.000 s)" 1 12
echo 0 > "$T/misc.ctl"
expect "script exit 0: UP" "$M: UP (MISC_CHECK: ok)" 2
sleep 1
log_has "$M: weight 10 ->" && fail "exit 0 changed the weight" || pass "exit 0 keeps weight 10"
# the killed script left nothing behind
ip netns pids "$NS_lb" | xargs -r ps -o args= -p 2>/dev/null | grep -q 'sleep 30' &&
	fail "timed-out script still running" || pass "timed-out script killed"

stop_pid "$PID_lb"
grep -q 'AddressSanitizer\|runtime error' "$LOG" && fail "sanitizer report in the log"
done_testing
