#!/bin/bash
# SMTP_CHECK, DNS_CHECK, UDP_CHECK and PING_CHECK in network namespaces,
# against small python responders whose behaviour a control file sets:
# each real server goes down (bad greeting, NXDOMAIN, wrong reply bytes,
# responder stopped, address removed) and comes back up.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd python3
lan_setup lb:10.0.5.1/24 srv:10.0.5.2/24 || { fail "topology"; done_testing; }
ip -n "$NS_srv" addr add 10.0.5.3/24 dev eth0
LOG=$T/lb.log

cat > "$T/resp.py" <<'EOF'
import socket, struct, sys, threading
# resp.py ADDR CTLDIR: SMTP on 2525, DNS on 5353/udp, UDP echo on 7777/udp.
addr, ctl = sys.argv[1], sys.argv[2]
def mode(name):
    try:
        return open("%s/%s" % (ctl, name)).read().strip()
    except OSError:
        return "good"
def smtp():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 2525)); s.listen(16)
    while True:
        c, _ = s.accept()
        try:
            c.settimeout(3)
            if mode("smtp") != "good":
                c.sendall(b"554 go away\r\n"); c.close(); continue
            c.sendall(b"220-smtp.test ESMTP\r\n220 ready\r\n")
            f = c.makefile("rb")
            line = f.readline()
            if line.upper().startswith(b"HELO "):
                with open("%s/helo.log" % ctl, "ab") as h:
                    h.write(line)
                c.sendall(b"250 hello\r\n")
            f.readline(); c.sendall(b"221 bye\r\n")
        except OSError:
            pass
        c.close()
def dns():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((addr, 5353))
    while True:
        q, peer = s.recvfrom(512)
        qd_end = 12
        while q[qd_end] != 0:
            qd_end += q[qd_end] + 1
        question = q[12:qd_end + 5]
        if mode("dns") != "good":
            s.sendto(q[:2] + b"\x81\x83" + b"\x00\x01\x00\x00\x00\x00\x00\x00" + question, peer)
            continue
        ans = b"\xc0\x0c" + b"\x00\x01\x00\x01" + struct.pack("!IH", 60, 4) + socket.inet_aton(addr)
        s.sendto(q[:2] + b"\x81\x80" + b"\x00\x01\x00\x01\x00\x00\x00\x00" + question + ans, peer)
def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((addr, 7777))
    while True:
        d, peer = s.recvfrom(512)
        s.sendto(b"PONG " + d if mode("udp") == "good" else b"PANG " + d, peer)
for f in (smtp, dns, udp):
    threading.Thread(target=f, daemon=True).start()
threading.Event().wait()
EOF
mkdir -p "$T/ctl"
resp_start() {
	ip netns exec "$NS_srv" python3 "$T/resp.py" 10.0.5.2 "$T/ctl" &
	RESP=$!
	cleanup_add "kill -KILL $RESP"
	wait_for 5 ip netns exec "$NS_srv" sh -c "ss -ltn | grep -q '10.0.5.2:2525 '"
}
resp_start || fail "responders"

chk() {	# chk PORT TYPE BODY...
	local port=$1 type=$2; shift 2
	printf '    real_server 10.0.5.2 %s {\n        %s {\n' "$port" "$type"
	printf '            %s\n' "$@" connect_timeout\ 1 retry\ 0 warmup\ 0 alpha
	printf '        }\n    }\n'
}
{
	echo "virtual_server 10.0.5.100 25 {"
	echo "    delay_loop 1"
	chk 2525 SMTP_CHECK "helo_name lb.example.test"
	chk 5353 DNS_CHECK "type A" "name www.example.test"
	chk 7777 UDP_CHECK "payload 50494e47" "require_reply 504f4e47"
	echo "}"
	echo "virtual_server 10.0.5.101 0 {"
	echo "    delay_loop 1"
	echo "    persistence_timeout 60"
	printf '    real_server 10.0.5.3 {\n        PING_CHECK {\n'
	printf '            connect_timeout 1\n            retry 0\n            warmup 0\n'
	printf '            alpha\n        }\n    }\n}\n'
} > "$T/lb.conf"

log_has() { [ "$(grep -cF -- "$1" "$LOG" 2>/dev/null)" -ge "${2:-1}" ]; }
expect() {
	if wait_for "${4:-10}" log_has "$2" "${3:-1}"; then pass "$1"; else
		fail "$1: no '$2'"; tail -15 "$LOG"; fi
}
VS="in VS [10.0.5.100]:25"
S="[10.0.5.2]:2525 $VS"
D="[10.0.5.2]:5353 $VS"
U="[10.0.5.2]:7777 $VS"
P="[10.0.5.3]:0 in VS [10.0.5.101]:0"

alived_start lb "$NS_lb" "$T/lb.conf" -C
if ! wait_for 5 log_has "started (pid"; then
	fail "alived did not start"; cat "$T/lb.log"; done_testing
fi
expect "SMTP: UP" "$S: UP (SMTP_CHECK: ok)"
grep -qx "HELO lb.example.test" <(tr -d '\r' < "$T/ctl/helo.log") && pass "HELO sent helo_name" ||
	fail "HELO line: $(cat "$T/ctl/helo.log")"
expect "DNS: UP" "$D: UP (DNS_CHECK: ok)"
expect "UDP: UP" "$U: UP (UDP_CHECK: ok)"
expect "PING: UP" "$P: UP (PING_CHECK: ok)"

echo bad > "$T/ctl/smtp"
expect "SMTP greeting 554: DOWN" "$S: DOWN (SMTP_CHECK: greeting 554 from [10.0.5.2]:2525, expected 220)"
echo bad > "$T/ctl/dns"
expect "DNS NXDOMAIN: DOWN" "$D: DOWN (DNS_CHECK: DNS reply NXDOMAIN)"
echo bad > "$T/ctl/udp"
expect "UDP wrong reply: DOWN" "$U: DOWN (UDP_CHECK: UDP reply differs from require_reply at byte 1)"
ip -n "$NS_srv" addr del 10.0.5.3/24 dev eth0
expect "PING address gone: DOWN" "$P: DOWN (PING_CHECK: no echo reply within 1.000 s)"

rm -f "$T/ctl/smtp" "$T/ctl/dns" "$T/ctl/udp"
ip -n "$NS_srv" addr add 10.0.5.3/24 dev eth0
expect "SMTP: UP again" "$S: UP (SMTP_CHECK: ok)" 2
expect "DNS: UP again" "$D: UP (DNS_CHECK: ok)" 2
expect "UDP: UP again" "$U: UP (UDP_CHECK: ok)" 2
expect "PING: UP again" "$P: UP (PING_CHECK: ok)" 2

kill -KILL "$RESP"; wait "$RESP" 2>/dev/null
expect "SMTP responder stopped: DOWN" "$S: DOWN (SMTP_CHECK: connect to [10.0.5.2]:2525: Connection refused)"
expect "DNS responder stopped: DOWN" "$D: DOWN (DNS_CHECK: DNS query: Connection refused)"
expect "UDP responder stopped: DOWN" "$U: DOWN (UDP_CHECK: UDP: Connection refused)"

stop_pid "$PID_lb"
grep -q 'AddressSanitizer\|runtime error' "$LOG" && fail "sanitizer report in the log"
done_testing
