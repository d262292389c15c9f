# Shared helpers for integration tests. Source it first:
#   . "$(dirname "$0")/lib.sh"
# Each test gets a private temp dir $T, runs under a time limit, and cleans
# up everything it registered with cleanup_add (processes by pid,
# namespaces, files) on any exit. Namespace names carry the test's pid so
# parallel runs never collide. Traffic goes only to addresses inside the
# namespaces a test creates.
set -u
top=${ALIVED_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
ALIVED=${ALIVED:-$top/build/alived}
TEST_NAME=$(basename "$0" .sh)
# "ip -n" and "ip netns exec" through nsenter (see bin/ip).
export PATH="$top/tests/integration/bin:$PATH"
T=$(mktemp -d "/tmp/alived-$TEST_NAME.XXXXXX")
_cleanups=()
_failed=0
NS_PREFIX="al$$"

cleanup_add() { _cleanups+=("$*"); }
_run_cleanup() {
	local rc=$?
	local i
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[$i]}" >/dev/null 2>&1 || true
	done
	rm -rf "$T"
	exit $rc
}
trap _run_cleanup EXIT
trap 'exit 124' TERM INT

log() { echo "[$(date +%H:%M:%S.%3N)] $*"; }
pass() { log "ok: $*"; }
fail() { log "FAIL: $*"; _failed=1; }
# Ends the test: exit 1 if any check failed.
done_testing() { if [ $_failed = 0 ]; then log "all checks passed"; exit 0; fi; exit 1; }
skip() { log "SKIP: $*"; exit 77; }

require_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }
require_netns() {
	require_root
	ip netns add "${NS_PREFIX}probe" 2>/dev/null || skip "cannot create network namespaces"
	ip netns del "${NS_PREFIX}probe"
}
require_cmd() { for c in "$@"; do command -v "$c" >/dev/null || skip "needs $c"; done; }
[ -x "$ALIVED" ] || { echo "alived binary not found at $ALIVED (set ALIVED)"; exit 1; }

# wait_for SECONDS CMD...: polls CMD every 20 ms until it succeeds.
wait_for() {
	local limit=$1; shift
	local end=$(( $(date +%s%N) + limit * 1000000000 ))
	while [ "$(date +%s%N)" -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.02
	done
	return 1
}

# Kills a process we started, by pid, and waits for it (bounded).
stop_pid() {
	local pid=$1 sig=${2:-TERM}
	kill -0 "$pid" 2>/dev/null || return 0
	kill -"$sig" "$pid" 2>/dev/null
	wait_for 5 sh -c "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null
}

# Children of a pid (direct).
children_of() { ps -o pid= --ppid "$1" | tr -d ' '; }

# netns_add NAME: creates namespace ${NS_PREFIX}NAME with lo up; prints nothing.
# The full name is in $NS_<NAME>.
netns_add() {
	local n="${NS_PREFIX}$1"
	ip netns add "$n" || return 1
	cleanup_add "ip netns pids $n | xargs -r kill -KILL; ip netns del $n"
	ip -n "$n" link set lo up
	eval "NS_$1=$n"
}
# bridge_add NS BRIDGE: a bridge inside namespace NS (the "switch").
bridge_add() {
	ip -n "$1" link add "$2" type bridge && ip -n "$1" link set "$2" up
}
# veth_to_bridge NS_HOST IFNAME NS_SWITCH BRIDGE: a cable from a host to the switch.
veth_to_bridge() {
	local peer="v${RANDOM}"
	ip link add "$peer" type veth peer name "$2" netns "$1" || return 1
	ip link set "$peer" netns "$3" && ip -n "$3" link set "$peer" master "$4" &&
		ip -n "$3" link set "$peer" up && ip -n "$1" link set "$2" up
}

# lan_setup NAME1:ADDR1 NAME2:ADDR2 ...: a switch namespace with a bridge
# and one namespace per host, each with eth0 on the bridge and the address
# given (CIDR). Namespace names are in $NS_<NAME>.
lan_setup() {
	netns_add sw || return 1
	bridge_add "$NS_sw" br0 || return 1
	local spec name addr
	for spec in "$@"; do
		name=${spec%%:*}; addr=${spec#*:}
		netns_add "$name" || return 1
		local ns; eval "ns=\$NS_$name"
		veth_to_bridge "$ns" eth0 "$NS_sw" br0 || return 1
		case "$addr" in
		*:*) ip -n "$ns" -6 addr add "$addr" dev eth0 nodad ;;
		*) ip -n "$ns" addr add "$addr" dev eth0 ;;
		esac
	done
}

# alived_start NAME NS CONF [ARGS...]: runs alived in the foreground inside
# namespace NS with private pid files and a log at $T/NAME.log. The parent's
# pid is in $PID_<NAME>.
alived_start() {
	local name=$1 ns=$2 conf=$3; shift 3
	ip netns exec "$ns" "$ALIVED" -n -l -D -f "$conf" -p "$T/$name.pid" -r "$T/$name.vrrp.pid" \
		-c "$T/$name.check.pid" "$@" > "$T/$name.log" 2>&1 &
	local pid=$!
	eval "PID_$name=$pid"
	cleanup_add "kill_children_of $pid; kill -KILL $pid 2>/dev/null"
}
# Kills the children of a parent we started (by parent pid, never by name).
kill_children_of() { local c; for c in $(children_of "$1"); do kill -KILL "$c" 2>/dev/null; done; }

# has_addr NS ADDR: the address is on eth0 (or any interface) in NS.
has_addr() { ip -n "$1" addr show | grep -q "inet6\? $2/"; }
