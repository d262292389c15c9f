#!/bin/bash
# SSL_GET in network namespaces: a python TLS server that requires a client
# certificate and logs the SNI name it gets, `openssl s_server -www`, a
# server whose certificate the configured CA did not sign, and a plain HTTP
# server on a TLS check. Then a reload (HUP) without the client certificate
# takes the first server down, and a reload with it brings it back.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd python3 openssl md5sum
lan_setup lb:10.0.1.1/24 tls:10.0.1.2/24 || { fail "topology"; done_testing; }
LOG=$T/lb.log
cd "$T" || exit 1

# ---- certificates: a CA, a server and a client certificate, a stranger ----
key() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "$@" 2>/dev/null; }
key -x509 -days 2 -keyout ca.key -out ca.pem -subj /CN=alived-test-ca
key -keyout srv.key -out srv.csr -subj /CN=www.example.test
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out srv.pem \
	2>/dev/null
key -keyout cli.key -out cli.csr -subj /CN=alived-client
openssl x509 -req -in cli.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out cli.pem \
	2>/dev/null
key -x509 -days 2 -keyout other.key -out other.pem -subj /CN=stranger
[ -s cli.pem ] && [ -s srv.pem ] && [ -s other.pem ] || { fail "certificates"; done_testing; }

cat > web.py <<'EOF'
import socket, ssl, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
# web.py ADDR PORT BODY [CERT KEY [CLIENT_CA] [SNI_LOG]]
addr, port, body = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
class S(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    def handle_error(self, req, a):
        pass
srv = S((addr, port), H)
if len(sys.argv) > 4:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[4], sys.argv[5])
    if len(sys.argv) > 6 and sys.argv[6] != "-":
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(sys.argv[6])
    if len(sys.argv) > 7:
        def sni(sock, name, c):
            with open(sys.argv[7], "a") as f:
                f.write("%s\n" % name)
        ctx.sni_callback = sni
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
    get = srv.get_request
    def get_request():
        s, a = get()
        s.settimeout(3)
        try:
            s.do_handshake()
        except Exception:
            s.close()
            raise OSError("handshake failed")
        return s, a
    srv.get_request = get_request
srv.serve_forever()
EOF
bg() { ip netns exec "$NS_tls" "$@" & cleanup_add "kill -KILL $!"; }
listening() { ip netns exec "$NS_tls" ss -ltn | grep -q "10.0.1.2:$1 "; }
bg python3 web.py 10.0.1.2 8443 "secret page" srv.pem srv.key ca.pem "$T/sni.log"
bg openssl s_server -quiet -www -accept 10.0.1.2:8444 -cert srv.pem -key srv.key
bg python3 web.py 10.0.1.2 8445 "stranger" other.pem other.key
bg python3 web.py 10.0.1.2 8080 "plain http"
for p in 8443 8444 8445 8080; do wait_for 5 listening $p || fail "server on port $p not listening"; done
digest=$(printf 'secret page' | md5sum | cut -d' ' -f1)

conf() {	# conf WITH_CLIENT_CERT(0|1)
	cat > lb.conf <<EOF
SSL {
    ca $T/ca.pem
EOF
	[ "$1" = 1 ] && printf '    certificate %s\n    key %s\n' "$T/cli.pem" "$T/cli.key" >> lb.conf
	cat >> lb.conf <<EOF
}
virtual_server 10.0.1.100 443 {
    delay_loop 1
    protocol TCP
    real_server 10.0.1.2 8443 {
        SSL_GET {
            url {
                path /
                digest $digest
            }
            virtualhost www.example.test
            enable_sni
            connect_timeout 2
            retry 0
            warmup 0
            alpha
        }
    }
    real_server 10.0.1.2 8444 {
        SSL_GET {
            url {
                path /
                status_code 200
            }
            retry 0
            warmup 0
            alpha
        }
    }
    real_server 10.0.1.2 8445 {
        SSL_GET {
            url {
                path /
            }
            retry 0
            warmup 0
        }
    }
    real_server 10.0.1.2 8080 {
        SSL_GET {
            url {
                path /
            }
            retry 0
            warmup 0
        }
    }
}
EOF
}
log_has() { [ "$(grep -cF -- "$1" "$LOG")" -ge "${2:-1}" ]; }
log_re() { [ "$(grep -cE -- "$1" "$LOG")" -ge "${2:-1}" ]; }
VS="in VS [10.0.1.100]:443"
VSRE="in VS \\[10\\.0\\.1\\.100\\]:443"

conf 1
alived_start lb "$NS_lb" "$T/lb.conf" -C
wait_for 10 log_has "[10.0.1.2]:8443 $VS: UP (SSL_GET: ok)" &&
	pass "client certificate, SNI, digest: UP" || { fail "8443 not UP"; cat "$LOG"; }
grep -qx www.example.test "$T/sni.log" 2>/dev/null && pass "server got SNI www.example.test" ||
	fail "no SNI name seen: $(cat "$T/sni.log" 2>/dev/null)"
wait_for 10 log_has "[10.0.1.2]:8444 $VS: UP (SSL_GET: ok)" &&
	pass "openssl s_server -www: UP" || { fail "8444 not UP"; tail "$LOG"; }
wait_for 10 log_re "\[10.0.1.2\]:8445 $VSRE: DOWN \(SSL_GET: TLS handshake failed: .*certificate verify failed" &&
	pass "certificate not signed by the CA: DOWN" || { fail "8445 not DOWN"; tail "$LOG"; }
wait_for 10 log_re "\[10.0.1.2\]:8080 $VSRE: DOWN \(SSL_GET: TLS handshake failed: .*(wrong version number|packet length too long|record layer failure)" &&
	pass "plain HTTP server on a TLS check: DOWN" || { fail "8080 not DOWN"; tail "$LOG"; }

# ---- reload without the client certificate: the server refuses us ----
conf 0
kill -HUP "$PID_lb"
wait_for 10 log_re "\[10.0.1.2\]:8443 $VSRE: DOWN \(SSL_GET: .*(certificate required|handshake failure|alert|reset by peer)" &&
	pass "reloaded without client certificate: DOWN" || { fail "8443 not DOWN after reload"; tail "$LOG"; }
log_has "configuration reloaded" && pass "reload logged" || fail "no reload line"
n=$(grep -cF "[10.0.1.2]:8444 $VS: UP" "$LOG")
[ "$n" = 1 ] && pass "reload kept 8444's state (no second UP)" || fail "8444 UP $n times"
conf 1
kill -HUP "$PID_lb"
wait_for 10 log_has "[10.0.1.2]:8443 $VS: UP (SSL_GET: ok)" 2 &&
	pass "client certificate back: UP again" || { fail "8443 not UP again"; tail "$LOG"; }

stop_pid "$PID_lb"
grep -q 'AddressSanitizer\|runtime error' "$LOG" && fail "sanitizer report in the log"
done_testing
