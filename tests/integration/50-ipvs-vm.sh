#!/bin/bash
# IPVS programmed by alived, on a real IPVS kernel: this machine's kernel has
# none, so the scenario runs inside the small qemu virtual machine of
# shared/ipvs-vm (Debian's kernel, the host's files; README there). This file
# is both parts: run on the host it boots the machine and runs itself inside
# (as root, IPVS loaded), where the real servers live in network namespaces
# and alived -C runs in the machine's own namespace, the director.
#
# After each step the table is read with `ipvsadm -Ln` and compared, whole,
# with what it must be:
#  1. the seed lvs-sample.conf (its digests set to what the servers serve,
#     timers shortened) plus an inhibit_on_failure service, an IPv6 one, a
#     fwmark one and a virtual_server_group; a service added by hand before
#     alived starts is never touched;
#  2. a real server stopped leaves the table, comes back when it recovers;
#     with inhibit_on_failure it stays with weight 0;
#  3. both real servers of 10.10.10.2:1358 down: quorum lost, the sorry
#     server replaces them; back when they recover;
#  4. traffic through the VIP (NAT), then the service and real server
#     statistics alived reads (USR2 dump) equal `ipvsadm -Ln --stats --exact`
#     and `--rate`;
#  5. reload changing one weight: exactly one line of the table changes,
#     alived logs exactly one IPVS change, the counters are not reset;
#  6. stop: everything alived made is gone; the hand-made service stays, and
#     so does a service of alived's into which a real server was added by
#     hand (with that real server only); the sync daemons are stopped;
#  7. with -I the table stays after stop.
# Also: global_defs lvs_sync_daemon (no VRRP instance given) starts the
# kernel's master and backup sync daemons.
# Skips (77) with a message when the virtual machine cannot run here.
set -u
top=${ALIVED_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}

if [ "${1:-}" != --inside ]; then
	# ---- host side ----
	ALIVED=${ALIVED:-$top/build/alived}
	VM=${IPVS_VM_RUN:-$top/../shared/ipvs-vm/run.sh}
	self=$(readlink -f "$0")
	[ -x "$ALIVED" ] || { echo "alived binary not found at $ALIVED (set ALIVED)"; exit 1; }
	if [ ! -x "$VM" ]; then
		echo "SKIP: no IPVS virtual machine runner at $VM (set IPVS_VM_RUN)"; exit 77
	fi
	if ! why=$("$VM" --check 2>&1); then
		echo "SKIP: the IPVS virtual machine cannot run here (neither KVM nor TCG): $why"
		exit 77
	fi
	echo "$why"
	W=$(mktemp -d /tmp/alived-50-ipvs-vm.XXXXXX)
	trap 'rm -rf "$W"' EXIT
	"$VM" -t "${IPVS_VM_TIMEOUT:-400}" -w "$W" "$self" --inside "$(readlink -f "$ALIVED")" \
		"$top"
	rc=$?
	case $rc in
	0) ;;
	77) exit 77 ;;
	125) echo "SKIP: the IPVS virtual machine did not boot (run.sh exit 125)"; exit 77 ;;
	124) echo "FAIL: the IPVS virtual machine timed out" ;;
	*) echo "FAIL: exit $rc" ;;
	esac
	if [ $rc != 0 ] && [ -n "${IPVS_VM_KEEP:-}" ]; then
		mkdir -p "$IPVS_VM_KEEP" && cp -a "$W"/. "$IPVS_VM_KEEP"/ &&
			echo "the machine's work directory is kept in $IPVS_VM_KEEP"
	fi
	if [ $rc != 0 ] && [ -s "$W/alived.log" ]; then
		echo "---- alived log (last 60 lines) ----"; tail -60 "$W/alived.log"
	fi
	exit $rc
fi

# ---- inside the virtual machine (root, real IPVS) ----
shift
export ALIVED=$1 ALIVED_SRCDIR=$2
. "$ALIVED_SRCDIR/tests/integration/lib.sh"
OUT=$PWD			# the host's work directory: logs land there
LOG=$OUT/alived.log
require_cmd ipvsadm python3 openssl md5sum curl
[ -d /proc/net/ip_vs ] || [ -e /proc/net/ip_vs ] || modprobe ip_vs 2>/dev/null
[ -e /proc/net/ip_vs ] || { fail "no IPVS in the virtual machine"; done_testing; }

# ---- topology: director = this namespace, br0 its LAN; a client outside ----
ip link add br0 type bridge && ip link set br0 up
ip addr add 192.168.200.1/24 dev br0
ip addr add 192.168.201.1/24 dev br0
ip -6 addr add 2001:db8:200::1/64 dev br0 nodad
ip link add vip0 type dummy && ip link set vip0 up
for a in 10.10.10.2 10.10.10.3 192.168.200.100; do ip addr add $a/32 dev vip0; done
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
host_add() {	# host_add NAME ADDR/LEN [ADDR6/LEN]: a namespace on br0
	netns_add "$1" || return 1
	local ns; eval "ns=\$NS_$1"
	ip link add "v$1" type veth peer name eth0 netns "$ns" || return 1
	ip link set "v$1" master br0 up && ip -n "$ns" link set eth0 up &&
		ip -n "$ns" addr add "$2" dev eth0 || return 1
	ip -n "$ns" route add default via "${2%.*}.1"
	if [ -n "${3:-}" ]; then
		ip -n "$ns" -6 addr add "$3" dev eth0 nodad
		ip -n "$ns" -6 route add default via 2001:db8:200::1
	fi
}
host_add rs2 192.168.200.2/24 2001:db8:200::2/64 && host_add rs3 192.168.200.3/24 &&
	host_add sorry 192.168.200.200/24 && host_add tls 192.168.201.100/24 ||
	{ fail "topology"; done_testing; }
netns_add cl && ip link add vcl type veth peer name eth0 netns "$NS_cl" &&
	ip addr add 172.16.0.1/24 dev vcl && ip link set vcl up &&
	ip -n "$NS_cl" addr add 172.16.0.2/24 dev eth0 && ip -n "$NS_cl" link set eth0 up &&
	ip -n "$NS_cl" route add default via 172.16.0.1 || { fail "client"; done_testing; }

# ---- servers: HTTP on 1358 (busybox, or python3), TLS on 443 (python3) ----
for d in testurl testurl2 testurl3; do
	mkdir -p "$T/www/$d"; echo 'the test page' > "$T/www/$d/test.jsp"
done
mkdir -p "$T/tlsroot/mrtg"
echo 'front page' > "$T/tlsroot/index.html"; echo 'mrtg graphs' > "$T/tlsroot/mrtg/index.html"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-keyout "$T/k.pem" -out "$T/c.pem" -subj /CN=rs.example 2>/dev/null
cat > "$T/tls.py" <<'EOF'
import functools, ssl, sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
d, addr, port, cert, key = sys.argv[1:6]
handler = functools.partial(SimpleHTTPRequestHandler, directory=d)
srv = ThreadingHTTPServer((addr, int(port)), handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.handle_error = lambda req, a: None
srv.serve_forever()
EOF
# The real servers that stop and start again run busybox httpd (python
# starts too slowly under emulation); the TLS one is python's.
BB=/run/ipvs-vm/busybox
declare -A SRV
http_start() {	# http_start NAME BIND: a web server on port 1358 in namespace NAME
	local ns; eval "ns=\$NS_$1"
	if [ -x "$BB" ]; then
		ip netns exec "$ns" "$BB" httpd -f -p "$2:1358" -h "$T/www" >/dev/null 2>&1 &
	else
		ip netns exec "$ns" python3 -m http.server 1358 --bind "${2//[][]/}" \
			--directory "$T/www" >/dev/null 2>&1 &
	fi
	SRV[$1]=$!
	cleanup_add "kill -KILL $!"
}
http_stop() { kill -KILL "${SRV[$1]}" 2>/dev/null; wait "${SRV[$1]}" 2>/dev/null; }
listening() { local ns; eval "ns=\$NS_$1"; ip netns exec "$ns" ss -ltn | grep -q ":$2 "; }
http_start rs2 "[::]"
http_start rs3 192.168.200.3
http_start sorry 192.168.200.200
ip netns exec "$NS_tls" python3 "$T/tls.py" "$T/tlsroot" 192.168.201.100 443 "$T/c.pem" \
	"$T/k.pem" >/dev/null 2>&1 &
cleanup_add "kill -KILL $!"
wait_for 30 listening rs2 1358 && wait_for 30 listening rs3 1358 &&
	wait_for 30 listening tls 443 || fail "servers did not start"
md5() { md5sum < "$1" | cut -d' ' -f1; }
jsp=$(md5 "$T/www/testurl/test.jsp")

# ---- configuration: the seed, digests fixed, timers short, more services ----
seed=$ALIVED_SRCDIR/tests/data/seed/lvs-sample.conf
CONF=$T/lvs.conf
sed -e "s/640205b7b0fc66c1ea91c463fac6334[cd]/$jsp/" \
	-e "s/ff20ad2481f97b1754ef3e12ecd3a9cc/$(md5 "$T/tlsroot/index.html")/" \
	-e "s/9b3a0c85a887a256d6939da88aabd8cd/$(md5 "$T/tlsroot/mrtg/index.html")/" \
	-e 's/delay_loop 6/delay_loop 1/' \
	-e 's/nb_get_retry 3/nb_get_retry 0/' -e 's/delay_before_retry 3/delay_before_retry 1/' \
	"$seed" > "$CONF"
cat >> "$CONF" <<'EOF'
virtual_server 10.10.10.3 1358 {
    delay_loop 1
    lb_algo wlc
    lb_kind NAT
    protocol TCP
    real_server 192.168.200.2 1358 {
        weight 2
        inhibit_on_failure
        TCP_CHECK { connect_timeout 3 }
    }
    real_server 192.168.200.3 1358 {
        weight 2
        inhibit_on_failure
        TCP_CHECK { connect_timeout 3 }
    }
}
virtual_server 2001:db8:10::2 1358 {
    delay_loop 1
    lb_algo sh
    lb_kind NAT
    protocol TCP
    real_server 2001:db8:200::2 1358 {
        TCP_CHECK { connect_timeout 3 }
    }
}
virtual_server fwmark 7 {
    delay_loop 1
    lb_algo wlc
    lb_kind DR
    persistence_timeout 20
    persistence_granularity 255.255.255.0
    real_server 192.168.200.2 1358 {
        weight 5
        TCP_CHECK { connect_timeout 3 }
    }
}
virtual_server_group G1 {
    10.10.20.1-2 8080
}
virtual_server group G1 {
    delay_loop 1
    lb_algo lc
    lb_kind NAT
    protocol TCP
    real_server 192.168.200.3 1358 {
        uthreshold 100
        lthreshold 10
        TCP_CHECK { connect_timeout 3 }
    }
}
EOF
sed -i 's/^   router_id LVS_DEVEL$/&\n   lvs_sync_daemon br0 id 9/' "$CONF"
grep -q 'lvs_sync_daemon br0 id 9' "$CONF" || fail "lvs_sync_daemon not added to the seed"
"$ALIVED" -t -f "$CONF" > "$T/conftest.txt" 2>&1 ||
	{ fail "configuration refused"; cat "$T/conftest.txt"; done_testing; }

# ---- reading the table ----
# One sorted line per destination (and per service): "SERVICE FLAGS | -> DEST FWD WEIGHT".
table() {
	ipvsadm -Ln | awk '
		NR <= 3 { next }
		/^  ->/ { print svc " | -> " $2 " " $3 " " $4; next }
		{ svc = $1; for (i = 2; i <= NF; i++) svc = svc " " $i; print svc }' | sort
}
HAND='TCP 10.99.0.1:80 wlc
TCP 10.99.0.1:80 wlc | -> 192.168.200.2:80 Masq 1'
BASE="$HAND
FWM 7 wlc persistent 20 mask 255.255.255.0
FWM 7 wlc persistent 20 mask 255.255.255.0 | -> 192.168.200.2:1358 Route 5
TCP 10.10.10.2:1358 rr persistent 50
TCP 10.10.10.2:1358 rr persistent 50 | -> 192.168.200.2:1358 Masq 1
TCP 10.10.10.2:1358 rr persistent 50 | -> 192.168.200.3:1358 Masq 1
TCP 10.10.10.3:1358 wlc
TCP 10.10.10.3:1358 wlc | -> 192.168.200.2:1358 Masq 2
TCP 10.10.10.3:1358 wlc | -> 192.168.200.3:1358 Masq 2
TCP 10.10.20.1:8080 lc
TCP 10.10.20.1:8080 lc | -> 192.168.200.3:1358 Masq 1
TCP 10.10.20.2:8080 lc
TCP 10.10.20.2:8080 lc | -> 192.168.200.3:1358 Masq 1
TCP 192.168.200.100:443 rr persistent 50
TCP 192.168.200.100:443 rr persistent 50 | -> 192.168.201.100:443 Masq 1
TCP [2001:db8:10::2]:1358 sh
TCP [2001:db8:10::2]:1358 sh | -> [2001:db8:200::2]:1358 Masq 1"
want() { printf '%s\n' "$1" | sort; }
is_table() { [ "$(table)" = "$(want "$1")" ]; }
expect_table() {	# expect_table WHAT TABLE [SECONDS]
	if wait_for "${3:-20}" is_table "$2"; then
		pass "$1"
	else
		fail "$1"; echo "--- wanted"; want "$2"; echo "--- ipvsadm -Ln"; ipvsadm -Ln
	fi
}
lines() { grep -c -- "$1" "$LOG"; }
log_has() { [ "$(lines "$1")" -ge "${2:-1}" ]; }
start_alived() {
	"$ALIVED" -C -n -l -D -f "$CONF" -p "$T/p.pid" -r "$T/r.pid" -c "$T/c.pid" "$@" \
		>> "$LOG" 2>&1 &
	PID=$!
	cleanup_add "kill_children_of $PID; kill -KILL $PID 2>/dev/null"
}

# ---- 1. start ----
ipvsadm -A -t 10.99.0.1:80 -s wlc && ipvsadm -a -t 10.99.0.1:80 -r 192.168.200.2:80 -m
: > "$LOG"
start_alived
expect_table "start: the seed's services, inhibit, IPv6, fwmark and group services" "$BASE" 30
ipvsadm -Ln > "$OUT/table-1-start.txt"
log_has "IPVS: kernel IPVS 1.2.1" && pass "IPVS version logged" || fail "no IPVS version line"
daemons() { ipvsadm -Ln --daemon | sed 's/ *$//' | sort; }
SYNCD='backup sync daemon (mcast=br0, syncid=9)
master sync daemon (mcast=br0, syncid=9)'
syncd_ok() { [ "$(daemons | sed 's/, maxlen=.*)$/)/')" = "$SYNCD" ]; }
wait_for 10 syncd_ok && pass "lvs_sync_daemon: master and backup sync daemons on br0, syncid 9" ||
	{ fail "sync daemons"; ipvsadm -Ln --daemon; }

# ---- 2. a real server stops, and comes back ----
http_stop rs3
RS3DOWN="$HAND
FWM 7 wlc persistent 20 mask 255.255.255.0
FWM 7 wlc persistent 20 mask 255.255.255.0 | -> 192.168.200.2:1358 Route 5
TCP 10.10.10.2:1358 rr persistent 50
TCP 10.10.10.2:1358 rr persistent 50 | -> 192.168.200.2:1358 Masq 1
TCP 10.10.10.3:1358 wlc
TCP 10.10.10.3:1358 wlc | -> 192.168.200.2:1358 Masq 2
TCP 10.10.10.3:1358 wlc | -> 192.168.200.3:1358 Masq 0
TCP 10.10.20.1:8080 lc
TCP 10.10.20.2:8080 lc
TCP 192.168.200.100:443 rr persistent 50
TCP 192.168.200.100:443 rr persistent 50 | -> 192.168.201.100:443 Masq 1
TCP [2001:db8:10::2]:1358 sh
TCP [2001:db8:10::2]:1358 sh | -> [2001:db8:200::2]:1358 Masq 1"
expect_table "rs3 down: removed; weight 0 where inhibit_on_failure" "$RS3DOWN"
ipvsadm -Ln > "$OUT/table-2-rs3-down.txt"
http_start rs3 192.168.200.3
expect_table "rs3 back: the table as at start" "$BASE" 60

# ---- 3. quorum lost: the sorry server ----
http_stop rs2
http_stop rs3
QLOST="$HAND
FWM 7 wlc persistent 20 mask 255.255.255.0
TCP 10.10.10.2:1358 rr persistent 50
TCP 10.10.10.2:1358 rr persistent 50 | -> 192.168.200.200:1358 Masq 1
TCP 10.10.10.3:1358 wlc
TCP 10.10.10.3:1358 wlc | -> 192.168.200.2:1358 Masq 0
TCP 10.10.10.3:1358 wlc | -> 192.168.200.3:1358 Masq 0
TCP 10.10.20.1:8080 lc
TCP 10.10.20.2:8080 lc
TCP 192.168.200.100:443 rr persistent 50
TCP 192.168.200.100:443 rr persistent 50 | -> 192.168.201.100:443 Masq 1
TCP [2001:db8:10::2]:1358 sh"
expect_table "quorum lost: the sorry server replaces the real servers" "$QLOST"
log_has "VS \[10.10.10.2\]:1358: quorum lost" && pass "quorum lost logged" || fail "no quorum line"
ipvsadm -Ln > "$OUT/table-3-quorum-lost.txt"
http_start rs2 "[::]"
http_start rs3 192.168.200.3
expect_table "quorum back: sorry server out, real servers in" "$BASE" 60

# ---- 4. statistics: alived's reading equals ipvsadm's ----
ok=0
for i in 1 2 3 4 5 6; do
	timeout 20 ip netns exec "$NS_cl" curl -sS -o /dev/null http://10.10.10.2:1358/testurl/test.jsp &&
		ok=$((ok + 1))
done
[ $ok = 6 ] && pass "6 requests through the VIP (NAT)" || fail "$ok of 6 requests through the VIP"
sleep 3		# the kernel's estimator copies the counters every 2 s
# ipvsadm's numbers as "LABEL conns N inpkts N ... outbps N", one line per entry
ipvsadm_stats() {	# (no /dev/fd in the machine: files, not <(...))
	ipvsadm -Ln --stats --exact | awk 'NR > 3' > "$T/st1"
	ipvsadm -Ln --rate --exact | awk 'NR > 3' > "$T/st2"
	paste -d' ' "$T/st1" "$T/st2" | awk '
		function out(label) {
			printf "ipvs_stats %s conns %s inpkts %s outpkts %s inbytes %s", label,
				$3, $4, $5, $6
			printf " outbytes %s cps %s inpps %s outpps %s inbps %s outbps %s\n",
				$7, $10, $11, $12, $13, $14 }
		$1 == "->" { out(svc " -> " $2); next }
		{ svc = $1 " " $2; out(svc) }' |
		grep -v '10.99.0.1\|10.10.20.[12]:8080' | sort
}
STATS=/tmp/alived_check.stats
alived_stats() {
	rm -f "$STATS"
	kill -USR2 "$(cat "$T/c.pid")"
	wait_for 5 test -s "$STATS"	# written whole, then renamed
	grep '^ipvs_stats' "$STATS" | grep -v '^ipvs_stats group ' | sort
}
# The kernel's estimator copies the counters and recomputes the rates every
# 2 s; after the traffic the rates only fall. A reading counts exactly when
# ipvsadm saw the same before and after it; when every try straddles a tick
# (the machine is slow), the counters must still be equal and each rate
# between ipvsadm's two readings.
within() {	# within A B B2: A's counters = B's = B2's, A's rates between B's and B2's
	awk 'function parse(line, v,   i, n, f) {
		i = index(line, " conns "); n = split(substr(line, i + 1), f, " ")
		for (j = 2; j <= n; j += 2) v[j / 2] = f[j] + 0
		return substr(line, 1, i - 1) }
	     FILENAME == ARGV[1] {
		k = parse($0, v); for (j = 1; j <= 10; j++) A[k, j] = v[j]; keys[k] = 1; next }
	     FILENAME == ARGV[2] {
		k = parse($0, v); for (j = 1; j <= 10; j++) B[k, j] = v[j]; nb++; next }
	     { k = parse($0, v); for (j = 1; j <= 10; j++) C[k, j] = v[j] }
	     END {
		for (k in keys) {
			na++
			if (!((k, 1) in B) || !((k, 1) in C)) { print "missing: " k; bad = 1; continue }
			for (j = 1; j <= 10; j++) {
				lo = B[k, j]; hi = C[k, j]; if (lo > hi) { t = lo; lo = hi; hi = t }
				if (j <= 5 && (A[k, j] != B[k, j] || B[k, j] != C[k, j])) {
					print k ": counter " j ": " A[k, j] " vs " B[k, j] "/" C[k, j]; bad = 1 }
				if (j > 5 && (A[k, j] < lo || A[k, j] > hi)) {
					print k ": rate " j ": " A[k, j] " not in [" lo ", " hi "]"; bad = 1 }
			}
		}
		if (na != nb) { print "entries: " na " vs " nb; bad = 1 }
		exit bad }' "$1" "$2" "$3"
}
same=0 tries=0
for i in 1 2; do
	tries=$i
	ipvsadm_stats > "$OUT/stats-ipvsadm.txt"
	alived_stats > "$OUT/stats-alived.txt"
	ipvsadm_stats > "$OUT/stats-ipvsadm-after.txt"
	cmp -s "$OUT/stats-ipvsadm.txt" "$OUT/stats-ipvsadm-after.txt" || continue
	cmp -s "$OUT/stats-alived.txt" "$OUT/stats-ipvsadm.txt" && same=1 || same=2
	break
done
a=$(cat "$OUT/stats-alived.txt")
if ! grep -q 'ipvs_stats TCP 10.10.10.2:1358 conns 6 ' <<< "$a"; then
	fail "statistics: no line for TCP 10.10.10.2:1358 with 6 connections"; echo "$a"
elif [ $same = 1 ]; then
	pass "statistics read by alived = ipvsadm --stats --exact and --rate" \
		"($(wc -l <<< "$a") entries, exact, try $tries)"
elif [ $same = 0 ] && why=$(within "$OUT/stats-alived.txt" "$OUT/stats-ipvsadm.txt" \
		"$OUT/stats-ipvsadm-after.txt"); then
	pass "statistics read by alived: counters = ipvsadm --stats --exact, rates within" \
		"ipvsadm's readings around them ($(wc -l <<< "$a") entries; every try" \
		"straddled an estimator tick)"
else
	fail "statistics differ ${why:-}"
	diff "$OUT/stats-alived.txt" "$OUT/stats-ipvsadm.txt"
fi
grep -q '^ipvs_stats group G1 conns 0 inpkts 0 ' "$STATS" &&
	grep -q '^ipvs_stats group G1 -> 192.168.200.3:1358 conns 0 ' "$STATS" &&
	pass "statistics of a virtual_server_group (its 2 services summed)" ||
	fail "no statistics line for group G1"
pkts_before=$(awk '/^ipvs_stats TCP 10.10.10.2:1358 conns/ { print $7 }' <<< "$a")

# ---- 5. reload changing one weight ----
before=$(table)
n_ipvs=$(lines 'IPVS: ')
awk '/real_server 192.168.200.2 1358/ { n++ }
     n == 1 && /weight 1/ { sub(/weight 1/, "weight 3"); n++ }
     { print }' "$CONF" > "$CONF.new" && mv "$CONF.new" "$CONF"
RELOADED=$(printf '%s\n' "$BASE" |
	sed 's/\(10.10.10.2:1358 rr persistent 50 | -> 192.168.200.2:1358 Masq\) 1/\1 3/')
n_reload=$(lines 'configuration reloaded')
kill -HUP "$PID"
wait_for 20 log_has 'configuration reloaded' $((n_reload + 1)) || fail "no reload"
expect_table "reload: the weight of 192.168.200.2 in 10.10.10.2:1358 is 3" "$RELOADED"
sleep 2		# any other change would show by now
after=$(table)
echo "$before" > "$T/before"; echo "$after" > "$T/after"
d=$(diff "$T/before" "$T/after" | grep '^[<>]')
[ "$(wc -l <<< "$d")" = 2 ] && pass "reload: exactly one entry changed: $(echo $d)" ||
	{ fail "reload changed more than one entry"; echo "$d"; }
new=$(( $(lines 'IPVS: ') - n_ipvs ))
edit='IPVS: TCP 10.10.10.2:1358: real server 192.168.200.2:1358 changed'
edit="$edit (Masq, weight 1 -> Masq, weight 3)"
[ $new = 1 ] && log_has "$edit" && pass "reload: one IPVS request, the weight change" ||
	{ fail "reload: $new IPVS log lines"; grep 'IPVS: ' "$LOG" | tail -$new; }
pkts_after=$(ipvsadm -Ln --stats --exact |
	awk '$1 == "TCP" && $2 == "10.10.10.2:1358" { print $4 }')
[ -n "$pkts_before" ] && [ "${pkts_after:-0}" -ge "$pkts_before" ] &&
	pass "reload: service counters kept ($pkts_after >= $pkts_before packets)" ||
	fail "reload: service counters reset ($pkts_before -> $pkts_after)"
ipvsadm -Ln > "$OUT/table-5-reloaded.txt"

# ---- 6. stop ----
# a real server added by hand into a service alived made: left alone
ipvsadm -a -t 10.10.10.3:1358 -r 192.168.200.9:1358 -m -w 7
sleep 2
is_table "$RELOADED
TCP 10.10.10.3:1358 wlc | -> 192.168.200.9:1358 Masq 7" &&
	pass "a real server added by hand is left alone" ||
	{ fail "hand-added real server touched"; ipvsadm -Ln; }
stop_pid "$PID"
expect_table "stop: what alived made is gone; the hand-made service and real server stay" "$HAND
TCP 10.10.10.3:1358 wlc
TCP 10.10.10.3:1358 wlc | -> 192.168.200.9:1358 Masq 7" 5
log_has 'IPVS: TCP 10.10.10.2:1358: service removed' &&
	log_has 'IPVS: TCP 10.10.10.3:1358: service kept: it holds real servers alived did not add (1)' &&
	pass "stop: removals logged" || fail "stop: no removal lines"
[ -z "$(daemons)" ] && pass "stop: sync daemons stopped" || { fail "sync daemons left"; daemons; }
ipvsadm -D -t 10.10.10.3:1358

# ---- 7. -I keeps the table ----
start_alived -I
expect_table "-I: started" "$RELOADED" 30
stop_pid "$PID"
sleep 1
is_table "$RELOADED" && pass "-I: the table stays after stop" ||
	{ fail "-I: table changed on stop"; ipvsadm -Ln; }
ipvsadm -C

grep -q 'AddressSanitizer\|runtime error' "$LOG" && fail "sanitizer report in the log"
done_testing
