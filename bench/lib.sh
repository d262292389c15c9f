# Shared helpers for the VRRP benchmarks (bench/failover, bench/scale,
# bench/flood). Source it first:
#   . "$(dirname "$0")/lib.sh"
# Every run gets a private directory $B, namespaces named with the run's
# pid ($NSP...), and a cleanup that kills what runs in those namespaces and
# deletes them on any exit. Traffic stays inside the namespaces created
# here. Needs root, iproute2, bash >= 5 ($EPOCHREALTIME) and gcc or cc.
set -u
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(dirname "$BENCH_DIR")
# A finished run leaves nothing behind; BENCH_KEEP=1 keeps $B (logs).
B=$(mktemp -d /tmp/alived-bench.XXXXXX)
NSP="b$$"
_cleanups=()
_bg_pids=()

cleanup_add() { _cleanups+=("$*"); }
_bench_cleanup() {
	local rc=$? i
	for i in "${_bg_pids[@]}"; do kill -TERM "$i" 2>/dev/null; done
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[$i]}" >/dev/null 2>&1 || true
	done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "logs kept in $B" >&2; else rm -rf "$B"; fi
	exit $rc
}
trap _bench_cleanup EXIT
trap 'exit 130' INT TERM

# Progress goes to fd 3 (stderr), so that the shell's job notices
# ("Killed") can be sent elsewhere.
exec 3>&2
say() { echo "[$(date +%H:%M:%S)] $*" >&3; }
die() { echo "${0##*/}: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, raw sockets)"
[ -n "${EPOCHREALTIME:-}" ] || die "needs bash 5 or later"

# The alived binary: $ALIVED, else the usual build outputs.
find_alived() {
	local c
	for c in "${ALIVED:-}" "$TOP/build/alived" "$TOP/sbin/alived" "$TOP/alived"; do
		[ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return 0; }
	done
	return 1
}
# keepalived for comparison, unless KEEPALIVED is set empty or missing.
find_keepalived() {
	local k=${KEEPALIVED-/usr/sbin/keepalived}
	[ -n "$k" ] && [ -x "$k" ] && { echo "$k"; return 0; }
	return 1
}
ALIVED_BIN=$(find_alived) || ALIVED_BIN=
KEEPALIVED_BIN=$(find_keepalived) || KEEPALIVED_BIN=

# Compiles bench/vrrp_send.c into $B; sets $VRRP_SEND.
build_vrrp_send() {
	VRRP_SEND=$B/vrrp_send
	"${CC:-gcc}" -std=gnu11 -O2 -Wall -o "$VRRP_SEND" "$BENCH_DIR/vrrp_send.c" ||
		die "cannot build vrrp_send"
}

# ns_add NAME: namespace $NSP$NAME with lo up; its name is in $NS_<NAME>.
# Cleanup kills every process in it and deletes it.
ns_add() {
	local n="$NSP$1"
	ip netns add "$n" || return 1
	cleanup_add "ip netns pids $n | xargs -r kill -KILL; sleep 0.1; ip netns del $n"
	ip -n "$n" link set lo up
	eval "NS_$1=$n"
}
# lan_setup SWITCH NAME1:CIDR1 NAME2:CIDR2 ...: namespace SWITCH holds a
# bridge br0; each NAME gets a namespace with eth0 on the bridge.
lan_setup() {
	local sw=$1 spec name addr ns peer; shift
	ns_add "$sw" || return 1
	eval "sw=\$NS_$sw"
	ip -n "$sw" link add br0 type bridge && ip -n "$sw" link set br0 up || return 1
	# no multicast snooping: every port sees every advert, as on a hub
	ip -n "$sw" link set br0 type bridge mcast_snooping 0 2>/dev/null
	for spec in "$@"; do
		name=${spec%%:*}; addr=${spec#*:}
		ns_add "$name" || return 1
		eval "ns=\$NS_$name"
		peer="v${RANDOM}x$$"
		peer=${peer:0:15}
		ip link add "$peer" type veth peer name eth0 netns "$ns" || return 1
		ip link set "$peer" netns "$sw" && ip -n "$sw" link set "$peer" master br0 &&
			ip -n "$sw" link set "$peer" up && ip -n "$ns" link set eth0 up || return 1
		case "$addr" in
		*:*) ip -n "$ns" -6 addr add "$addr" dev eth0 nodad ;;
		*) ip -n "$ns" addr add "$addr" dev eth0 ;;
		esac
	done
}

# daemon_start IMPL NAME NS CONF [ARGS...]: runs alived or keepalived (IMPL)
# in the foreground inside NS, VRRP only, with private pid files; log in
# $B/NAME.log (appended). The parent's pid is in $PID_<NAME>.
daemon_start() {
	local impl=$1 name=$2 ns=$3 conf=$4 bin pid; shift 4
	case "$impl" in
	alived) bin=$ALIVED_BIN ;;
	keepalived) bin=$KEEPALIVED_BIN ;;
	*) die "unknown implementation $impl" ;;
	esac
	rm -f "$B/$name.pid" "$B/$name.vrrp.pid" "$B/$name.check.pid"
	ip netns exec "$ns" "$bin" -n -l -D -P -f "$conf" -p "$B/$name.pid" \
		-r "$B/$name.vrrp.pid" -c "$B/$name.check.pid" "$@" >> "$B/$name.log" 2>&1 &
	pid=$!
	eval "PID_$name=$pid"
}

# vrrp_pid NAME: prints the pid of the VRRP child of daemon NAME (its -r
# pid file when that names a child, else its only child); waits up to 5 s.
vrrp_pid() {
	local name=$1 parent c p end
	eval "parent=\$PID_$name"
	end=$(( ${EPOCHSECONDS} + 5 ))
	while [ "$EPOCHSECONDS" -le $end ]; do
		c=$(ps -o pid= --ppid "$parent" | tr -d ' ')
		p=$(cat "$B/$name.vrrp.pid" 2>/dev/null)
		if [ -n "$p" ] && echo "$c" | grep -qx "$p"; then echo "$p"; return 0; fi
		if [ -n "$c" ] && [ "$(echo "$c" | wc -l)" = 1 ]; then echo "$c"; return 0; fi
		sleep 0.05
	done
	return 1
}

# stop_pid PID [SIG]: signals a process we started and waits (bounded).
stop_pid() {
	local pid=$1 sig=${2:-TERM} i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -"$sig" "$pid" 2>/dev/null
	for ((i = 0; i < 250; i++)); do
		kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
		sleep 0.02
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

# has_addr NS ADDR: the address is on an interface of NS.
has_addr() { ip -n "$1" addr show | grep -q "inet6\? $2/"; }

# wait_cond SECONDS CMD...: polls CMD every $WAIT_STEP s (default 0.01)
# until it succeeds.
wait_cond() {
	local end
	end=$(( ${EPOCHREALTIME/./} + ${1%.*} * 1000000 )); shift
	while [ "${EPOCHREALTIME/./}" -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep "${WAIT_STEP:-0.01}"
	done
	return 1
}

# monitor_start NS FILE: timestamps every address change in NS into FILE.
monitor_start() {
	ip -ts -n "$1" monitor address > "$2" 2>&1 &
	_bg_pids+=($!)
	sleep 0.05
}

# addr_event_after FILE ADDR add|del T0: prints the epoch time (s, with
# microseconds) of the first change of ADDR of that kind in FILE later
# than T0 (an $EPOCHREALTIME value); fails when there is none yet.
addr_event_after() {
	awk -v a="$2" -v kind="$3" -v t0="$4" '
	index($0, "inet " a "/") || index($0, "inet6 " a "/") {
		if ((kind == "del") != ($2 == "Deleted"))
			next
		ts = substr($1, 2, length($1) - 2)	# [YYYY-MM-DDTHH:MM:SS.ffffff]
		split(ts, d, /[-T:]/)
		s = mktime(d[1] " " d[2] " " d[3] " " d[4] " " d[5] " 0") + d[6]
		if (s > t0) { printf "%.6f\n", s; found = 1; exit }
	}
	END { exit !found }' "$1"
}

# wait_addr_event FILE ADDR add|del T0 TIMEOUT_S: waits for that event and
# prints milliseconds from T0 to it (3 decimals).
wait_addr_event() {
	local f=$1 a=$2 k=$3 t0=$4 limit=$5 end t
	end=$(( ${EPOCHREALTIME/./} + limit * 1000000 ))
	while [ "${EPOCHREALTIME/./}" -lt $end ]; do
		if t=$(addr_event_after "$f" "$a" "$k" "$t0"); then
			awk -v t="$t" -v t0="$t0" 'BEGIN { printf "%.3f\n", (t - t0) * 1000 }'
			return 0
		fi
		sleep 0.005
	done
	return 1
}

# stats FILE: "median p95 min max n" of the numbers in FILE (one a line),
# nearest-rank percentiles; "- - - - 0" when empty.
stats() {
	sort -g "$1" | awk '{ v[NR] = $1 }
	END {
		if (!NR) { print "- - - - 0"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		r = int(0.95 * NR + 0.999999); if (r < 1) r = 1
		printf "%.1f %.1f %.1f %.1f %d\n", m, v[r], v[1], v[NR], NR
	}'
}

# proc_cpu_ticks PID: utime + stime of PID in clock ticks.
proc_cpu_ticks() {
	# the command name (field 2) may hold spaces: cut after the last ')'
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}
# proc_rss_kb PID: VmRSS in kB.
proc_rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
