#!/bin/bash
# The guide's lvs-sample.conf (tests/data/seed), its addresses hosted in
# network namespaces: a TLS server at 192.168.201.100:443, HTTP servers at
# 192.168.200.2 and .3 port 1358, a host at the sorry address
# 192.168.200.200. alived runs the checker only (-C).
# 1. The seed as is: the servers' pages cannot have the seed's digests, so
#    every real server goes down (after nb_get_retry 3 retries), both
#    virtual servers lose their quorum and 10.10.10.2:1358's sorry server
#    goes into service.
# 2. The seed with the digests of .2 and of the TLS server set to what they
#    serve: those stay up, .3 goes down, quorum is kept, no sorry server.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd python3 openssl md5sum
lan_setup lb:192.168.200.1/24 rs2:192.168.200.2/24 rs3:192.168.200.3/24 \
	tls:192.168.201.100/24 sorry:192.168.200.200/24 || { fail "topology"; done_testing; }
ip -n "$NS_lb" addr add 192.168.201.1/24 dev eth0
LOG=$T/lb.log
seed=$top/tests/data/seed/lvs-sample.conf
DATA=/tmp/alived_check.data
cleanup_add "rm -f $DATA"

# ---- the servers ----
for d in testurl testurl2 testurl3; do mkdir -p "$T/www/$d"; done
for d in testurl testurl2 testurl3; do printf 'the test page\n' > "$T/www/$d/test.jsp"; done
mkdir -p "$T/tlsroot/mrtg"
printf 'front page\n' > "$T/tlsroot/index.html"
printf 'mrtg graphs\n' > "$T/tlsroot/mrtg/index.html"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-keyout "$T/k.pem" -out "$T/c.pem" -subj /CN=rs.example 2>/dev/null
cat > "$T/tls.py" <<'EOF'
import functools, ssl, sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
d, addr, port, cert, key = sys.argv[1:6]
srv = ThreadingHTTPServer((addr, int(port)), functools.partial(SimpleHTTPRequestHandler, directory=d))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.handle_error = lambda req, a: None
srv.serve_forever()
EOF
bg() { local ns=$1; shift; ip netns exec "$ns" "$@" >/dev/null 2>&1 & cleanup_add "kill -KILL $!"; }
bg "$NS_rs2" python3 -m http.server 1358 --bind 192.168.200.2 --directory "$T/www"
bg "$NS_rs3" python3 -m http.server 1358 --bind 192.168.200.3 --directory "$T/www"
bg "$NS_tls" python3 "$T/tls.py" "$T/tlsroot" 192.168.201.100 443 "$T/c.pem" "$T/k.pem"
up() { ip netns exec "$1" ss -ltn | grep -q "$2 "; }
wait_for 5 up "$NS_rs2" 192.168.200.2:1358 && wait_for 5 up "$NS_rs3" 192.168.200.3:1358 &&
	wait_for 5 up "$NS_tls" 192.168.201.100:443 || fail "servers did not start"
jsp=$(md5sum < "$T/www/testurl/test.jsp" | cut -d' ' -f1)

log_has() { [ "$(grep -cF -- "$1" "$LOG")" -ge "${2:-1}" ]; }
expect() {
	if wait_for "${3:-25}" log_has "$2"; then pass "$1"; else
		fail "$1: no '$2'"; tail -15 "$LOG"; fi
}
dump() {	# USR1: the checker writes its state to $DATA
	rm -f "$DATA"
	kill -USR1 "$PID_lb"
	wait_for 5 test -s "$DATA" && sleep 0.2
}
TLSRS="[192.168.201.100]:443 in VS [192.168.200.100]:443"
RS2="[192.168.200.2]:1358 in VS [10.10.10.2]:1358"
RS3="[192.168.200.3]:1358 in VS [10.10.10.2]:1358"

# ---- 1. the seed unchanged ----
alived_start lb "$NS_lb" "$seed" -C
expect "nb_get_retry accepted with a deprecation warning" \
	"lvs-sample.conf:55: warning: 'nb_get_retry' is deprecated, use 'retry'" 5
expect "TLS server: DOWN, digest" \
	"$TLSRS: DOWN (SSL_GET: digest mismatch on /: got $(md5sum < "$T/tlsroot/index.html" | cut -d' ' -f1), expected ff20ad2481f97b1754ef3e12ecd3a9cc)"
expect ".2: DOWN, digest" \
	"$RS2: DOWN (HTTP_GET: digest mismatch on /testurl/test.jsp: got $jsp, expected 640205b7b0fc66c1ea91c463fac6334d)"
expect ".3: DOWN, digest" \
	"$RS3: DOWN (HTTP_GET: digest mismatch on /testurl/test.jsp: got $jsp, expected 640205b7b0fc66c1ea91c463fac6334c)"
expect "10.10.10.2:1358 quorum lost" "VS [10.10.10.2]:1358: quorum lost (alive weight 0, quorum 1 hysteresis 0)" 5
expect "sorry server in service" "VS [10.10.10.2]:1358: sorry server [192.168.200.200]:1358 in service" 5
expect "192.168.200.100:443 quorum lost" "VS [192.168.200.100]:443: quorum lost" 5
n=$(grep -cF "retry 3 of 3 in 3.000 s" "$LOG")
[ "$n" -ge 3 ] && pass "each real server retried 3 times, 3 s apart" || fail "retry lines: $n"
dump
grep -q "sorry_server \[192.168.200.200\]:1358 in service" "$DATA" &&
	[ "$(grep -c 'state dead' "$DATA")" = 3 ] && pass "USR1 dump: 3 dead, sorry server in service" ||
	{ fail "USR1 dump"; cat "$DATA"; }
stop_pid "$PID_lb"

# ---- 2. digests of .2 and of the TLS server set to what they serve ----
sed -e "s/640205b7b0fc66c1ea91c463fac6334d/$jsp/" \
	-e "s/ff20ad2481f97b1754ef3e12ecd3a9cc/$(md5sum < "$T/tlsroot/index.html" | cut -d' ' -f1)/" \
	-e "s/9b3a0c85a887a256d6939da88aabd8cd/$(md5sum < "$T/tlsroot/mrtg/index.html" | cut -d' ' -f1)/" \
	"$seed" > "$T/lvs-fixed.conf"
: > "$LOG"
alived_start lb "$NS_lb" "$T/lvs-fixed.conf" -C
expect ".3 (digest still wrong): DOWN" "$RS3: DOWN (HTTP_GET: digest mismatch"
sleep 7	# one more delay_loop: every checker has run at least twice
log_has "$RS2: DOWN" && fail ".2 went down" || pass ".2 stays up"
log_has "$TLSRS: DOWN" && fail "TLS server went down" || pass "TLS server stays up"
log_has "quorum lost" && fail "a quorum was lost" || pass "both quorums kept"
log_has "sorry server" && fail "sorry server used" || pass "no sorry server"
dump
grep -A3 "real_server \[192.168.200.2\]:1358" "$DATA" | grep -q "HTTP_GET up, last result: ok" &&
	grep -A3 "real_server \[192.168.201.100\]:443" "$DATA" | grep -q "SSL_GET up, last result: ok" &&
	grep -q "quorum 1 met (alive weight 1, 1 of 2 real servers alive)" "$DATA" &&
	pass "USR1 dump: .2 and TLS checked ok, quorum met" || { fail "USR1 dump"; cat "$DATA"; }
stop_pid "$PID_lb"
grep -q 'AddressSanitizer\|runtime error' "$LOG" && fail "sanitizer report in the log"
done_testing
