#!/bin/bash
# HTTP_GET against a small HTTP server in its own namespace, with alived's
# checker (-C) in another: the real server starts down (alpha) and comes up,
# then goes down and up again for each failure: wrong status code, wrong
# digest, a server that accepts and never answers, the server stopped.
# Retries are delay_before_retry apart (log timestamps); notify_up and
# notify_down run once per transition.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd python3 md5sum
lan_setup lb:10.0.0.1/24 web:10.0.0.2/24 || { fail "topology"; done_testing; }
LOG=$T/lb.log

# ---- a tiny HTTP server whose answers a JSON control file sets ----
cat > "$T/web.py" <<'EOF'
import json, socket, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
addr, port, ctrl = sys.argv[1], int(sys.argv[2]), sys.argv[3]
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def do_GET(self):
        with open(ctrl) as f:
            st = json.load(f)
        if st.get("hang"):
            time.sleep(3600)
        body = st.get("paths", {}).get(self.path, st.get("body", "")).encode()
        self.send_response(st.get("status", 200))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
class S(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
S((addr, port), H).serve_forever()
EOF
web_start() {
	ip netns exec "$NS_web" python3 "$T/web.py" 10.0.0.2 8080 "$T/ctrl" &
	WEB=$!
	cleanup_add "kill -KILL $WEB"
	wait_for 5 ip netns exec "$NS_web" sh -c "ss -ltn | grep -q 10.0.0.2:8080"
}
ctrl() { printf '%s\n' "$1" > "$T/ctrl.new" && mv "$T/ctrl.new" "$T/ctrl"; }
good='{"status":200,"body":"hello\n","paths":{"/status":"fine\n"}}'
ctrl "$good"
web_start || fail "web server did not start"
digest=$(printf 'hello\n' | md5sum | cut -d' ' -f1)

cat > "$T/notify.sh" <<EOF
#!/bin/sh
echo "\$1" >> "$T/notify"
EOF
chmod 755 "$T/notify.sh"

cat > "$T/lb.conf" <<EOF
global_defs {
    router_id T20
}
virtual_server 10.0.0.100 80 {
    delay_loop 1
    lb_algo rr
    lb_kind NAT
    protocol TCP
    real_server 10.0.0.2 8080 {
        weight 1
        notify_up "$T/notify.sh UP"
        notify_down "$T/notify.sh DOWN"
        HTTP_GET {
            url {
                path /
                digest $digest
            }
            url {
                path /status
                status_code 200
            }
            connect_timeout 1
            retry 2
            delay_before_retry 1
            warmup 0
            alpha
        }
    }
}
EOF

log_has() { [ "$(grep -cF -- "$1" "$LOG")" -ge "${2:-1}" ]; }
# ms since midnight of the Nth (default last) log line holding STRING
ts_of() { grep -F -- "$1" "$LOG" | sed -n "${2:-\$}p" | awk '{split($2,a,":"); printf "%d\n", (a[1]*3600+a[2]*60+a[3])*1000}'; }
near() { local d=$(( $1 - $2 )); [ $d -ge $(( $3 - 200 )) ] && [ $d -le $(( $3 + 300 )) ]; }

RS="[10.0.0.2]:8080 in VS [10.0.0.100]:80"
ups=0
expect_up() {
	ups=$((ups + 1))
	if wait_for 12 log_has "$RS: UP (HTTP_GET: ok)" $ups; then pass "$1: UP again"; else
		fail "$1: not UP"; tail -20 "$LOG"; fi
}
expect_down() {
	if wait_for 15 log_has "$RS: DOWN (HTTP_GET: $2)"; then pass "$1: DOWN ($2)"; else
		fail "$1: no DOWN line with '$2'"; tail -20 "$LOG"; fi
}

alived_start lb "$NS_lb" "$T/lb.conf" -C
if wait_for 10 log_has "$RS: UP (HTTP_GET: ok)"; then
	pass "alpha: down at start, UP after both URLs passed"
	ups=1
else
	fail "never came up"; cat "$LOG"
fi
n=$(grep -cF "IPVS: this kernel has no IPVS" "$LOG")
[ "$n" = 1 ] && pass "IPVS absence said once" || fail "IPVS line seen $n times"

# ---- wrong status code, with retry timing ----
ctrl '{"status":500,"body":"hello\n"}'
expect_down "status 500" "HTTP status 500 on /, expected 200-299"
r1=$(ts_of "HTTP_GET failed (HTTP status 500 on /, expected 200-299); retry 1 of 2 in 1.000 s")
r2=$(ts_of "HTTP_GET failed (HTTP status 500 on /, expected 200-299); retry 2 of 2 in 1.000 s")
dn=$(ts_of "$RS: DOWN (HTTP_GET: HTTP status 500")
if [ -n "$r1" ] && [ -n "$r2" ] && near "$r2" "$r1" 1000 && near "$dn" "$r2" 1000; then
	pass "2 retries 1 s apart, then DOWN (+$((r2 - r1)) ms, +$((dn - r2)) ms)"
else
	fail "retry timing: '$r1' '$r2' '$dn'"; grep -F "$RS" "$LOG" | tail -5
fi
ctrl "$good"
expect_up "status 200"

# ---- wrong digest ----
ctrl '{"status":200,"body":"changed\n","paths":{"/status":"fine\n"}}'
bad=$(printf 'changed\n' | md5sum | cut -d' ' -f1)
expect_down "wrong digest" "digest mismatch on /: got $bad, expected $digest"
ctrl "$good"
expect_up "digest"

# ---- a server that accepts and never answers ----
ctrl '{"hang":true}'
expect_down "no answer" "no complete response within 1.000 s on /"
ctrl "$good"
expect_up "answers again"

# ---- server stopped ----
kill -KILL "$WEB"; wait "$WEB" 2>/dev/null
expect_down "server stopped" "connect: Connection refused"
web_start || fail "web server did not restart"
expect_up "server restarted"

# ---- notify scripts: one per transition, in order ----
sleep 0.5
got=$(tr '\n' ' ' < "$T/notify" 2>/dev/null)
[ "$got" = "UP DOWN UP DOWN UP DOWN UP DOWN UP " ] && pass "notify_up/notify_down: $got" ||
	fail "notify sequence: '$got'"
n=$(grep -c ': DOWN (' "$LOG"); [ "$n" = 4 ] && pass "each DOWN logged once" || fail "$n DOWN lines"

stop_pid "$PID_lb"
grep -q 'ERROR: AddressSanitizer\|runtime error' "$LOG" && fail "sanitizer report in the log"
done_testing
