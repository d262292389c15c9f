#!/bin/bash
# genhash against servers in a network namespace: the digest it prints is
# md5sum's of the served file, over HTTP (IPv4 and IPv6), TLS, and a
# chunked response; -V sets the Host header, -I sends it as SNI; errors
# give the documented exit status. When Debian's keepalived genhash is
# installed, both print the same line.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd python3 openssl md5sum
GENHASH=${GENHASH:-$(dirname "$ALIVED")/genhash}
[ -x "$GENHASH" ] || { fail "genhash not found at $GENHASH (set GENHASH)"; done_testing; }
lan_setup cli:10.0.4.1/24 web:10.0.4.2/24 || { fail "topology"; done_testing; }
ip -n "$NS_web" -6 addr add fd00:4::2/64 dev eth0 nodad
ip -n "$NS_cli" -6 addr add fd00:4::1/64 dev eth0 nodad

mkdir -p "$T/www/sub"
head -c 1048576 /dev/urandom > "$T/www/big.bin"
printf 'hello genhash\n' > "$T/www/sub/index.html"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-keyout "$T/k.pem" -out "$T/c.pem" -subj /CN=gh.example 2>/dev/null
cat > "$T/srv.py" <<'EOF'
import functools, socket, ssl, sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
# srv.py DIR ADDR PORT [CERT KEY SNI_LOG]; /echo-host answers "host: <Host>",
# /chunked answers the file sub/index.html chunked
class H(SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path in ("/echo-host", "/chunked"):
            if self.path == "/echo-host":
                body = ("host: %s\n" % self.headers.get("Host")).encode()
            else:
                body = open(self.directory + "/sub/index.html", "rb").read()
            self.protocol_version = "HTTP/1.1"
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            for i in range(0, len(body), 5):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(body[i:i + 5]), body[i:i + 5]))
            self.wfile.write(b"0\r\n\r\n")
            return
        super().do_GET()
    def log_message(self, *a):
        pass
class S(ThreadingHTTPServer):
    address_family = socket.AF_INET6 if ":" in sys.argv[2] else socket.AF_INET
    def handle_error(self, req, a):
        pass
srv = S((sys.argv[2], int(sys.argv[3])), functools.partial(H, directory=sys.argv[1]))
if len(sys.argv) > 4:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[4], sys.argv[5])
    def sni(sock, name, c):
        with open(sys.argv[6], "a") as f:
            f.write("%s\n" % name)
    ctx.sni_callback = sni
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
EOF
bg() { ip netns exec "$NS_web" python3 "$T/srv.py" "$T/www" "$@" & cleanup_add "kill -KILL $!"; }
bg 10.0.4.2 8080
bg fd00:4::2 8080
bg 10.0.4.2 8443 "$T/c.pem" "$T/k.pem" "$T/sni.log"
listening() { ip netns exec "$NS_web" ss -ltn | grep -q "$1 "; }
wait_for 5 listening 10.0.4.2:8080 && wait_for 5 listening '\[fd00:4::2\]:8080' &&
	wait_for 5 listening 10.0.4.2:8443 || fail "servers did not start"

gh() { ip netns exec "$NS_cli" "$GENHASH" "$@"; }
sum() { md5sum < "$1" | cut -d' ' -f1; }
check() {	# check WHAT WANT ARGS...
	local what=$1 want=$2 got; shift 2
	got=$(gh "$@" 2>"$T/err")
	[ "$got" = "$want" ] && pass "$what: $got" || { fail "$what: got '$got', want '$want'"; cat "$T/err"; }
}

check "1 MiB file over HTTP" "$(sum "$T/www/big.bin")" -s 10.0.4.2 -p 8080 -u /big.bin
check "long options" "$(sum "$T/www/sub/index.html")" --server 10.0.4.2 --port 8080 \
	--url /sub/index.html
check "IPv6" "$(sum "$T/www/sub/index.html")" -s fd00:4::2 -p 8080 -u /sub/
check "chunked response" "$(sum "$T/www/sub/index.html")" -s 10.0.4.2 -p 8080 -u /chunked -P 1.1
check "TLS" "$(sum "$T/www/big.bin")" -S -s 10.0.4.2 -p 8443 -u /big.bin
check "Host header from -V" "$(printf 'host: vh.example\n' | md5sum | cut -d' ' -f1)" \
	-s 10.0.4.2 -p 8080 -u /echo-host -V vh.example
check "Host header without -V" "$(printf 'host: 10.0.4.2:8080\n' | md5sum | cut -d' ' -f1)" \
	-s 10.0.4.2 -p 8080 -u /echo-host
check "TLS with SNI" "$(sum "$T/www/sub/index.html")" -S -I -V sni.example -s 10.0.4.2 -p 8443 \
	-u /sub/index.html
grep -qx sni.example "$T/sni.log" && pass "server got SNI sni.example" || fail "no SNI seen"

gh -v -s 10.0.4.2 -p 8080 -u /sub/index.html > "$T/out" 2> "$T/verbose"
grep -q "^GET /sub/index.html HTTP/1.0" "$T/verbose" && grep -q "^HTTP/1.0 200" "$T/verbose" &&
	grep -q "body 14 bytes" "$T/verbose" && [ "$(cat "$T/out")" = "$(sum "$T/www/sub/index.html")" ] &&
	pass "-v: request, response head and size on stderr, digest alone on stdout" ||
	{ fail "-v output"; cat "$T/verbose"; }

gh -s 10.0.4.2 -p 8081 -u / 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "Connection refused" "$T/err" && pass "refused: exit 2" || fail "refused: rc $rc"
gh -s localhost -p 8080 -u / 2>"$T/err"; rc=$?
[ $rc = 1 ] && grep -q "not an IPv4 or IPv6 address" "$T/err" && pass "host name: exit 1" ||
	fail "host name: rc $rc"
gh -s 10.0.4.2 -p 8080 2>/dev/null; rc=$?
[ $rc = 1 ] && pass "no -u: exit 1" || fail "no -u: rc $rc"
gh -S -s 10.0.4.2 -p 8080 -u / 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "TLS handshake" "$T/err" && pass "TLS to a plain server: exit 2" ||
	fail "TLS to plain: rc $rc"
"$GENHASH" --help | grep -q -- "--use-virtualhost" && pass "--help" || fail "--help"

# Debian's keepalived genhash, when installed: the same output
if [ -x /usr/bin/genhash ] && [ "$(readlink -f /usr/bin/genhash)" != "$(readlink -f "$GENHASH")" ]; then
	for u in /big.bin /sub/index.html /nothere; do
		a=$(gh -s 10.0.4.2 -p 8080 -u $u 2>/dev/null)
		b=$(ip netns exec "$NS_cli" /usr/bin/genhash -s 10.0.4.2 -p 8080 -u $u 2>/dev/null)
		[ "$a" = "$b" ] && pass "same line as keepalived's genhash for $u" ||
			fail "keepalived's genhash printed '$b', ours '$a' for $u"
	done
fi
done_testing
