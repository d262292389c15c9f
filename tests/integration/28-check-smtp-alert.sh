#!/bin/bash
# smtp_alert of the checker: a real server going down and up, and its
# virtual server losing and meeting its quorum, each send one mail to every
# notification_email address through a small SMTP sink (a multi-line
# greeting, the whole RFC 5321 exchange); a real server whose smtp_alert
# is off sends none; a sink that refuses the sender is logged, not retried.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd python3
lan_setup lb:10.0.6.1/24 srv:10.0.6.2/24 mail:10.0.6.25/24 || { fail "topology"; done_testing; }
LOG=$T/lb.log
mkdir -p "$T/mail"

# sink.py ADDR DIR: one file per accepted message in DIR (envelope first);
# DIR/refuse makes it answer MAIL FROM with 550.
cat > "$T/sink.py" <<'EOF'
import os, socket, sys, threading
addr, out = sys.argv[1], sys.argv[2]
n = [0]
def session(c):
    f = c.makefile("rb")
    def say(s): c.sendall(s.encode() + b"\r\n")
    say("220-mail.test ESMTP sink"); say("220 ready")
    env = []
    while True:
        line = f.readline()
        if not line:
            return
        cmd = line.decode().rstrip("\r\n")
        up = cmd.upper()
        if up.startswith("HELO "):
            env.append(cmd); say("250 hello")
        elif up.startswith("MAIL FROM:"):
            if os.path.exists(os.path.join(out, "refuse")):
                say("550 not you"); continue
            env.append(cmd); say("250 ok")
        elif up.startswith("RCPT TO:"):
            env.append(cmd); say("250 ok")
        elif up == "DATA":
            say("354 go on")
            body = []
            while True:
                l = f.readline()
                if not l or l == b".\r\n":
                    break
                body.append(l.decode())
            n[0] += 1
            with open(os.path.join(out, "msg%03d" % n[0]), "w") as m:
                m.write("\n".join(env) + "\n--\n" + "".join(body))
            say("250 queued")
        elif up == "QUIT":
            say("221 bye"); c.close(); return
        else:
            say("502 what")
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, 25)); s.listen(16)
while True:
    c, _ = s.accept()
    threading.Thread(target=session, args=(c,), daemon=True).start()
EOF
ip netns exec "$NS_mail" python3 "$T/sink.py" 10.0.6.25 "$T/mail" &
cleanup_add "kill -KILL $!"
wait_for 5 ip netns exec "$NS_mail" sh -c "ss -ltn | grep -q '10.0.6.25:25 '" || fail "sink"

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
listen() {	# listen PORT; sets LPID
	ip netns exec "$NS_srv" python3 "$T/listen.py" 10.0.6.2 "$1" &
	LPID=$!
	cleanup_add "kill -KILL $LPID"
	wait_for 5 ip netns exec "$NS_srv" sh -c "ss -ltn | grep -q '10.0.6.2:$1 '"
}
listen 9000 || fail "listener"
L1=$LPID
listen 9001 || fail "listener"
L2=$LPID

cat > "$T/lb.conf" <<EOF
global_defs {
    router_id T28
    notification_email {
        ops@example.test
        oncall@example.test
    }
    notification_email_from lb@example.test
    smtp_server 10.0.6.25
    smtp_helo_name lb.example.test
    smtp_connect_timeout 5
}
virtual_server 10.0.6.100 9000 {
    delay_loop 1
    protocol TCP
    smtp_alert
    real_server 10.0.6.2 9000 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
            warmup 0
        }
    }
}
virtual_server 10.0.6.101 9001 {
    delay_loop 1
    protocol TCP
    real_server 10.0.6.2 9001 {
        TCP_CHECK {
            connect_timeout 1
            retry 0
            warmup 0
        }
    }
}
EOF
n_mail() { ls "$T/mail" | grep -c '^msg'; }
has_mail() { grep -lF -- "$1" "$T"/mail/msg* >/dev/null 2>&1; }
expect_mail() {
	if wait_for 10 has_mail "$1"; then pass "mail: $1"; else
		fail "no mail with '$1'"; tail -5 "$LOG"; cat "$T"/mail/msg* 2>/dev/null; fi
}

alived_start lb "$NS_lb" "$T/lb.conf" -C
wait_for 10 grep -qF "started" "$LOG" || fail "not started"
sleep 1.5
[ "$(n_mail)" = 0 ] && pass "no mail at start" || fail "$(n_mail) mails at start"

kill -KILL "$L1" "$L2"; wait "$L1" "$L2" 2>/dev/null
RS="[10.0.6.2]:tcp:9000 of [10.0.6.100]:tcp:9000"
expect_mail "Subject: [T28] Real server $RS: DOWN"
expect_mail "Subject: [T28] Virtual server [10.0.6.100]:tcp:9000: quorum lost"
f=$(grep -lF "Real server $RS: DOWN" "$T"/mail/msg* | head -1)
grep -qx "HELO lb.example.test" "$f" && grep -qx "MAIL FROM:<lb@example.test>" "$f" &&
	grep -qx "RCPT TO:<ops@example.test>" "$f" && grep -qx "RCPT TO:<oncall@example.test>" "$f" &&
	grep -q "^To: <ops@example.test>, <oncall@example.test>" "$f" &&
	grep -q "^Date: " "$f" && grep -q "connect: Connection refused\|Connection refused" "$f" &&
	pass "envelope, headers and reason" || { fail "message"; cat "$f"; }
wait_for 5 grep -qF "[10.0.6.2]:9001 in VS [10.0.6.101]:9001: DOWN" "$LOG" || fail "9001 not down"
sleep 1
has_mail "9001" && fail "a mail for a real server without smtp_alert" ||
	pass "smtp_alert off: no mail"
n=$(n_mail)
[ "$n" = 2 ] && pass "one mail per transition" || fail "$n mails"
grep -qF "smtp_alert '[T28] Real server $RS: DOWN': sent" "$LOG" && pass "sending logged" ||
	fail "no 'sent' line"

listen 9000 || fail "listener restart"
expect_mail "Subject: [T28] Real server $RS: UP"
expect_mail "Subject: [T28] Virtual server [10.0.6.100]:tcp:9000: quorum met"

# ---- a refusing server: logged once per mail, the checker goes on ----
touch "$T/mail/refuse"
kill -KILL "$LPID"; wait "$LPID" 2>/dev/null
if wait_for 10 grep -qF "not sent: the server answered 550 (expected 250)" "$LOG"; then
	pass "refused mail logged"; else fail "no refusal line"; tail -5 "$LOG"; fi
[ "$(n_mail)" = 4 ] && pass "nothing more accepted" || fail "$(n_mail) mails"

stop_pid "$PID_lb"
grep -q 'ERROR: AddressSanitizer\|runtime error' "$LOG" && fail "sanitizer report in the log"
done_testing
