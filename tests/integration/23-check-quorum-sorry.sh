#!/bin/bash
# Quorum, hysteresis and the sorry server: three real servers of weight 1,
# 2 and 3, quorum 4, hysteresis 1, so the quorum is lost below 3 and met
# again from 5. Listeners are stopped and started to move the alive weight
# 6 -> 3 (kept) -> 2 (lost: sorry server in service, quorum_down) -> 3 (still
# lost) -> 6 (met: sorry server out, quorum_up). omega: stopping alived runs
# quorum_down and the notify_down of alive real servers.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd python3
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
declare -A LP
listen() {
	ip netns exec "$NS_srv" python3 "$T/listen.py" 10.0.3.2 "$1" &
	LP[$1]=$!
	cleanup_add "kill -KILL ${LP[$1]}"
	wait_for 5 ip netns exec "$NS_srv" sh -c "ss -ltn | grep -q '10.0.3.2:$1 '"
}
unlisten() { kill -KILL "${LP[$1]}"; wait "${LP[$1]}" 2>/dev/null; }
for p in 9001 9002 9003; do listen $p || fail "listener $p"; done

cat > "$T/note.sh" <<EOF
#!/bin/sh
echo "\$1" >> "$T/notes"
EOF
chmod 755 "$T/note.sh"

rs() {	# rs PORT WEIGHT
	cat <<EOF
    real_server 10.0.3.2 $1 {
        weight $2
        notify_down "$T/note.sh rs$1-down"
        TCP_CHECK {
            connect_timeout 1
            retry 0
            warmup 0
        }
    }
EOF
}
{
	cat <<EOF
virtual_server 10.0.3.100 80 {
    delay_loop 1
    protocol TCP
    quorum 4
    hysteresis 1
    omega
    quorum_up "$T/note.sh quorum-up"
    quorum_down "$T/note.sh quorum-down"
    sorry_server 10.0.3.9 9000
EOF
	rs 9001 1; rs 9002 2; rs 9003 3
	echo "}"
} > "$T/lb.conf"

log_has() { [ "$(grep -cF -- "$1" "$LOG")" -ge "${2:-1}" ]; }
expect() {
	if wait_for "${4:-10}" log_has "$2" "${3:-1}"; then pass "$1"; else
		fail "$1: no '$2'"; tail -15 "$LOG"; fi
}
VS="VS [10.0.3.100]:80"
notes() { tr '\n' ' ' < "$T/notes" 2>/dev/null; }

alived_start lb "$NS_lb" "$T/lb.conf" -C
expect "start: quorum met with weight 6" "$VS: 3 real servers, 3 alive (weight 6), quorum 4 met"

unlisten 9003
expect "weight 3 server down" "[10.0.3.2]:9003 in $VS: DOWN (TCP_CHECK: connect: Connection refused)"
sleep 1.5
log_has "$VS: quorum lost" && fail "quorum lost at weight 3 despite hysteresis 1" ||
	pass "weight 3: quorum kept (hysteresis)"

unlisten 9001
expect "weight 2: quorum lost" "$VS: quorum lost (alive weight 2, quorum 4 hysteresis 1)"
expect "sorry server in service" "$VS: sorry server [10.0.3.9]:9000 in service"

listen 9001
expect "weight 1 server back" "[10.0.3.2]:9001 in $VS: UP (TCP_CHECK: ok)"
sleep 1.5
log_has "$VS: quorum met" && fail "quorum met at weight 3 despite hysteresis 1" ||
	pass "weight 3: quorum still lost (hysteresis)"

listen 9003
expect "weight 6: quorum met" "$VS: quorum met (alive weight 6, quorum 4 hysteresis 1)"
expect "sorry server out of service" "$VS: sorry server [10.0.3.9]:9000 out of service"
sleep 0.5
# rs9001-down and quorum-down are started by the same transition and run
# side by side, so only the set of the middle two is fixed.
n=$(notes)
case "$n" in
"rs9003-down rs9001-down quorum-down quorum-up " | "rs9003-down quorum-down rs9001-down quorum-up ")
	pass "scripts: $n" ;;
*) fail "scripts: '$n'" ;;
esac

# omega: on stop, quorum_down and notify_down of the alive servers
stop_pid "$PID_lb"
sleep 0.5
for w in quorum-down rs9001-down rs9002-down rs9003-down; do
	n=$(grep -cx "$w" "$T/notes")
	want=1; [ "$w" != rs9002-down ] && want=2
	[ "$n" = $want ] && pass "omega: $w ran ($n in all)" || fail "omega: $w ran $n times, want $want"
done
grep -q 'AddressSanitizer\|runtime error' "$LOG" && fail "sanitizer report in the log"
done_testing
