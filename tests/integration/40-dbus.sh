#!/bin/bash
# D-Bus service. Two routers, each with its own private dbus-daemon (its own
# config and socket, the project's policy file dbus/org.alived.conf):
# busctl tree / introspect (== dbus/org.alived.Vrrp1.xml) / get-property,
# keepalived's interface, StateChanged + PropertiesChanged seen by a monitor
# when SetPriority and SetMaintenance move mastership, unprivileged callers
# (setpriv nobody) denied by the policy and, with a permissive policy, by
# the daemon itself; a bus restart loses nothing.
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd dbus-daemon busctl gdbus setpriv
lan_setup a:192.168.9.1/24 b:192.168.9.2/24 || { fail "topology"; done_testing; }

policy=$top/dbus/org.alived.conf
VIP=192.168.9.100
INST=/org/alived/Vrrp1/Instance/VI_5f1		# "VI_1", escaped
KINST=/org/keepalived/Vrrp1/Instance/eth0/51/IPv4
IF=org.alived.Vrrp1.Instance
chmod 711 "$T"					# nobody must reach the bus sockets

# bus_start NAME [EXTRA_CONF]: a private system-like bus at $T/NAME/bus.sock.
bus_start() {
	local n=$1 extra=${2:-} out pid
	mkdir -p "$T/$n" && chmod 755 "$T/$n"
	cat > "$T/$n/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$T/$n/bus.sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus"
           send_interface="org.freedesktop.DBus.Introspectable"/>
  </policy>
  <policy user="root">
    <allow send_destination="org.freedesktop.DBus"
           send_interface="org.freedesktop.DBus.Monitoring"/>
  </policy>
  <include>$policy</include>
  ${extra:+<include>$extra</include>}
</busconfig>
EOF
	rm -f "$T/$n/bus.sock"
	out=$(dbus-daemon --config-file="$T/$n/bus.conf" --print-address --fork --print-pid) ||
		return 1
	pid=$(echo "$out" | sed -n 2p)
	eval "BUSPID_$n=$pid"
	cleanup_add "kill $pid"
}
bus_stop() { local p; eval "p=\$BUSPID_$1"; stop_pid "$p"; }
addr_of() { echo "unix:path=$T/$1/bus.sock"; }
bc() { local n=$1; shift; busctl --no-pager --address="$(addr_of "$n")" "$@"; }
# gc NAME [as nobody] ARGS: gdbus call on the bus (prints the error name on failure)
gc() {
	local n=$1; shift
	DBUS_SYSTEM_BUS_ADDRESS=$(addr_of "$n") gdbus call --system --dest org.alived.Vrrp1 "$@" 2>&1
}
nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
prop() { bc "$1" get-property org.alived.Vrrp1 "$INST" $IF "$2" 2>&1; }
state_is() { [ "$(prop "$1" State)" = "s \"$2\"" ]; }
lacks_addr() { ! has_addr "$1" "$2"; }

conf() {	# conf NAME STATE PRIO
	cat > "$T/$1.conf" <<EOF
global_defs {
    router_id r$1
    enable_dbus
}
vrrp_instance VI_1 {
    state $2
    interface eth0
    virtual_router_id 51
    priority $3
    advert_int 1
    virtual_ipaddress {
        $VIP/24
    }
}
EOF
}

bus_start a || { fail "dbus-daemon a"; done_testing; }
bus_start b || { fail "dbus-daemon b"; done_testing; }
conf a MASTER 100
conf b BACKUP 90
DBUS_SYSTEM_BUS_ADDRESS=$(addr_of a) alived_start a "$NS_a" "$T/a.conf"
DBUS_SYSTEM_BUS_ADDRESS=$(addr_of b) alived_start b "$NS_b" "$T/b.conf"

if wait_for 6 has_addr "$NS_a" $VIP && wait_for 5 state_is a MASTER && wait_for 5 state_is b BACKUP
then
	pass "a is MASTER and b BACKUP, on their buses"
else
	fail "initial states: a $(prop a State), b $(prop b State)"; tail -20 "$T/a.log"
fi

# ---- tree, introspection, properties -----------------------------------------
tree=$(bc a tree org.alived.Vrrp1 2>&1)
echo "$tree" | grep -q "$INST" && pass "busctl tree shows $INST" || fail "tree: $tree"
ktree=$(bc a tree org.keepalived.Vrrp1 2>&1)
echo "$ktree" | grep -q "$KINST" && echo "$ktree" | grep -q /org/keepalived/Vrrp1/Vrrp &&
	pass "keepalived's tree: $KINST and /org/keepalived/Vrrp1/Vrrp" || fail "ktree: $ktree"

# The interface block the daemon answers == the one in dbus/org.alived.Vrrp1.xml.
block() { awk -v n="$1" 'index($0, "<interface name=\"" n "\">") {p=1} p {print} p && /<\/interface>/ {exit}'; }
for ifn in org.alived.Vrrp1.Instance org.alived.Vrrp1.Manager; do
	path=$INST; [ $ifn = org.alived.Vrrp1.Manager ] && path=/org/alived/Vrrp1
	live=$(bc a introspect --xml-interface org.alived.Vrrp1 $path | block $ifn)
	file=$(block $ifn < "$top/dbus/org.alived.Vrrp1.xml")
	if [ -n "$live" ] && [ "$live" = "$file" ]; then pass "introspection of $ifn matches the XML"
	else fail "introspection of $ifn differs"; diff <(echo "$live") <(echo "$file") | head; fi
done
bc a introspect org.alived.Vrrp1 /org/alived/Vrrp1 | grep -q 'org.freedesktop.DBus.ObjectManager' &&
	pass "ObjectManager at /org/alived/Vrrp1" || fail "no ObjectManager"
[ "$(bc a get-property org.alived.Vrrp1 /org/alived/Vrrp1 org.alived.Vrrp1.Manager RouterId)" = 's "ra"' ] &&
	pass "RouterId" || fail "RouterId"
for p in "Name:s \"VI_1\"" "Interface:s \"eth0\"" "VirtualRouterId:y 51" "BasePriority:y 100" \
	 "Preempt:b true" "AdvertInterval:u 1000" "Family:s \"IPv4\"" \
	 "VirtualAddresses:as 1 \"$VIP/24\""; do
	got=$(prop a "${p%%:*}")
	[ "$got" = "${p#*:}" ] && pass "${p%%:*} = $got" || fail "${p%%:*}: '$got', want '${p#*:}'"
done
[ "$(bc a get-property org.keepalived.Vrrp1 $KINST org.keepalived.Vrrp1.Instance State)" = '(us) 2 "Master"' ] &&
	pass "keepalived's State (us) 2 \"Master\"" || fail "keepalived's State"
[ "$(bc b get-property org.keepalived.Vrrp1 $KINST org.keepalived.Vrrp1.Instance Name)" = 's "VI_1"' ] &&
	pass "keepalived's Name" || fail "keepalived's Name"
bc a call org.alived.Vrrp1 /org/alived/Vrrp1 org.alived.Vrrp1.Manager DumpData | grep -q 'VI_1: MASTER' &&
	pass "DumpData" || fail "DumpData"
bc a call org.keepalived.Vrrp1 $KINST org.keepalived.Vrrp1.Instance SendGarp &&
	pass "keepalived's SendGarp on the master" || fail "keepalived's SendGarp"

# ---- unprivileged: reads allowed, changes denied by the policy -----------------
[ "$(nobody busctl --address="$(addr_of a)" get-property org.alived.Vrrp1 "$INST" $IF State)" = 's "MASTER"' ] &&
	pass "nobody reads State" || fail "nobody cannot read State"
nobody busctl --address="$(addr_of a)" introspect org.alived.Vrrp1 "$INST" >/dev/null &&
	pass "nobody introspects" || fail "nobody cannot introspect"
nobody busctl --address="$(addr_of a)" call org.alived.Vrrp1 /org/alived/Vrrp1 \
	org.alived.Vrrp1.Manager DumpStats >/dev/null && pass "nobody calls DumpStats" ||
	fail "nobody cannot call DumpStats"
out=$(nobody env DBUS_SYSTEM_BUS_ADDRESS="$(addr_of a)" gdbus call --system --dest org.alived.Vrrp1 \
	--object-path $INST --method $IF.SetPriority 200 2>&1)
echo "$out" | grep -q 'AccessDenied' && pass "nobody's SetPriority denied (policy)" ||
	fail "nobody's SetPriority: $out"
nobody busctl --address="$(addr_of a)" set-property org.alived.Vrrp1 "$INST" $IF BasePriority y 7 \
	2>/dev/null && fail "nobody's Set accepted" || pass "nobody's Set denied"
nobody busctl --address="$(addr_of a)" call org.keepalived.Vrrp1 $KINST \
	org.keepalived.Vrrp1.Instance SendGarp 2>/dev/null && fail "nobody's SendGarp accepted" ||
	pass "nobody's keepalived SendGarp denied"
[ "$(prop a BasePriority)" = "y 100" ] && pass "nothing changed" || fail "priority changed"

# ---- errors -------------------------------------------------------------------
out=$(gc a --object-path $INST --method $IF.SetPriority 0)
echo "$out" | grep -q 'org.alived.Error.InvalidArgument' && pass "SetPriority 0: InvalidArgument" ||
	fail "SetPriority 0: $out"
out=$(gc a --object-path /org/alived/Vrrp1/Instance/nope --method $IF.SendGarp)
echo "$out" | grep -q 'UnknownObject' && pass "unknown instance: UnknownObject" || fail "$out"
out=$(gc b --object-path $INST --method $IF.SendGarp)
echo "$out" | grep -q 'org.alived.Error.Failed' && pass "SendGarp on a backup: Failed" || fail "$out"

# ---- failover driven over D-Bus, watched by monitors --------------------------
bc a monitor --match "type='signal'" > "$T/mon-a.txt" 2>&1 & monpid_a=$!
cleanup_add "kill $monpid_a"
bc b monitor --match "type='signal'" > "$T/mon-b.txt" 2>&1 & monpid_b=$!
cleanup_add "kill $monpid_b"
# Timing: addresses (ip monitor) and StateChanged signals (JSON monitor), both wall clock.
for r in a b; do
	ns=NS_$r
	ip -n "${!ns}" -ts monitor address > "$T/addr-$r.txt" 2>&1 & p=$!; cleanup_add "kill $p"
	bc $r monitor --json=short --match "type='signal',member='StateChanged'" \
		> "$T/sig-$r.json" 2>&1 & p=$!; cleanup_add "kill $p"
done
sleep 0.5
t0=$(date +%s%N)
bc a call org.alived.Vrrp1 $INST $IF SetPriority y 50 && pass "SetPriority 50 on a" ||
	fail "SetPriority on a"
if wait_for 6 has_addr "$NS_b" $VIP && wait_for 3 lacks_addr "$NS_a" $VIP; then
	pass "SetPriority moved the address to b in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
else
	fail "no failover after SetPriority"; tail -20 "$T/a.log" "$T/b.log"
fi
wait_for 3 state_is b MASTER && wait_for 3 state_is a BACKUP &&
	pass "properties: b MASTER, a BACKUP" || fail "states after failover: $(prop a State) $(prop b State)"
[ "$(prop a BasePriority)" = "y 50" ] && [ "$(prop a EffectivePriority)" = "y 50" ] &&
	pass "a's priorities read 50" || fail "a's priorities"
sleep 0.3
grep -A6 'Member=StateChanged' "$T/mon-b.txt" | grep -q '"MASTER"' &&
	pass "monitor on b saw StateChanged MASTER" || fail "no StateChanged on b"
grep -A6 'Member=StateChanged' "$T/mon-a.txt" | grep -q '"BACKUP"' &&
	pass "monitor on a saw StateChanged BACKUP" || fail "no StateChanged on a"
grep -q 'Member=PropertiesChanged' "$T/mon-b.txt" && pass "monitor on b saw PropertiesChanged" ||
	fail "no PropertiesChanged on b"
grep -A5 'Member=VrrpStatusChange' "$T/mon-b.txt" | grep -q 'UINT32 2;' &&
	pass "keepalived's VrrpStatusChange(2) on b" || fail "no VrrpStatusChange on b"

# Maintenance: b leaves service, a takes over; back again, b preempts.
sleep 0.5
bc b call org.alived.Vrrp1 $INST $IF SetMaintenance b true && pass "SetMaintenance true on b" ||
	fail "SetMaintenance on b"
if wait_for 6 has_addr "$NS_a" $VIP && wait_for 3 lacks_addr "$NS_b" $VIP; then
	pass "maintenance moved the address back to a"
else
	fail "no failover on maintenance"; tail -20 "$T/b.log"
fi
[ "$(prop b Maintenance)" = "b true" ] && pass "b Maintenance reads true" || fail "b Maintenance"
bc b call org.alived.Vrrp1 $INST $IF SetMaintenance b false
if wait_for 8 has_addr "$NS_b" $VIP && wait_for 3 lacks_addr "$NS_a" $VIP; then
	pass "out of maintenance, b (90) preempts a (50)"
else
	fail "b did not come back"; tail -20 "$T/b.log"
fi
# Each MASTER transition: StateChanged vs the address appearing (median, ms).
sleep 0.3
lat=$(python3 - "$T" <<'EOF'
import json, sys, datetime, statistics
d = sys.argv[1]
deltas = []
for r in 'ab':
    adds = []
    for line in open('%s/addr-%s.txt' % (d, r)):
        if line.startswith('[') and '192.168.9.100/' in line and 'Deleted' not in line:
            adds.append(datetime.datetime.fromisoformat(line[1:line.index(']')]).timestamp())
    for line in open('%s/sig-%s.json' % (d, r)):
        try:
            m = json.loads(line)
        except ValueError:
            continue
        data = (m.get('payload') or {}).get('data') or ['']
        if m.get('member') == 'StateChanged' and data[0] == 'MASTER':
            t = m['timestamp-realtime'] / 1e6
            near = [abs(t - a) for a in adds if abs(t - a) < 1]
            if near:
                deltas.append(min(near) * 1000)
if deltas:
    print('%.1f %s' % (statistics.median(deltas), ' '.join('%.1f' % x for x in deltas)))
EOF
)
if [ -n "$lat" ]; then
	awk -v l="${lat%% *}" 'BEGIN { exit !(l <= 10) }' &&
		pass "StateChanged within ${lat%% *} ms of the address (median of: ${lat#* })" ||
		fail "StateChanged ${lat%% *} ms from the address (median > 10 ms of: ${lat#* })"
else
	fail "latency not measured (no matching events)"
fi

# ---- a frozen bus costs nothing but late signals -----------------------------------
kill -STOP "$BUSPID_b"
cleanup_add "kill -CONT $BUSPID_b"
bc a call org.alived.Vrrp1 $INST $IF SetPriority y 120
if wait_for 6 has_addr "$NS_a" $VIP && wait_for 3 lacks_addr "$NS_b" $VIP; then
	pass "bus b frozen: a (120) preempts b, b steps down"
else
	fail "no failover while bus b is frozen"; tail -5 "$T/b.log"
fi
bc a call org.alived.Vrrp1 $INST $IF SetPriority y 50
if wait_for 6 has_addr "$NS_b" $VIP && wait_for 3 lacks_addr "$NS_a" $VIP; then
	pass "bus b frozen: b takes over again (its timers run)"
else
	fail "b did not take over while its bus is frozen"; tail -5 "$T/b.log"
fi
kill -CONT "$BUSPID_b"
wait_for 5 state_is b MASTER && pass "bus b thawed: b reads MASTER" || fail "b after thaw: $(prop b State)"

# ---- the bus restarts: everything is served again --------------------------------
bus_stop a
bus_start a || fail "dbus-daemon a again"
if wait_for 8 state_is a BACKUP; then pass "after a bus restart a is served again (BACKUP)"
else fail "not back after the bus restart: $(prop a State)"; tail -5 "$T/a.log"; fi
[ "$(prop a BasePriority)" = "y 50" ] && pass "and still reads priority 50" || fail "priority after restart"
bc a tree org.keepalived.Vrrp1 2>&1 | grep -q "$KINST" && pass "keepalived's objects too" ||
	fail "keepalived's objects after restart"

# ---- the daemon's own uid check, with a policy that lets anyone call ---------------
cat > "$T/open.conf" <<EOF
<busconfig><policy context="default">
  <allow send_destination="org.alived.Vrrp1"/>
</policy></busconfig>
EOF
bus_stop a
bus_start a "$T/open.conf" || fail "dbus-daemon a (open policy)"
wait_for 8 state_is a BACKUP || fail "not back on the open bus"
out=$(nobody env DBUS_SYSTEM_BUS_ADDRESS="$(addr_of a)" gdbus call --system --dest org.alived.Vrrp1 \
	--object-path $INST --method $IF.SetPriority 200 2>&1)
echo "$out" | grep -q 'org.alived.Error.AccessDenied' &&
	pass "open policy: the daemon denies nobody's SetPriority itself" || fail "daemon check: $out"
[ "$(prop a BasePriority)" = "y 50" ] && pass "priority unchanged" || fail "priority changed by nobody"
lacks_addr "$NS_a" $VIP && pass "no failover happened" || fail "nobody moved the address"

# ---- stop: Stopping and VrrpStopped go out -------------------------------------------
bc b monitor --match "type='signal'" > "$T/mon-b2.txt" 2>&1 & m2=$!
cleanup_add "kill $m2"
sleep 0.3
stop_pid "$PID_b"
sleep 0.3
grep -q 'Member=Stopping' "$T/mon-b2.txt" && grep -q 'Member=VrrpStopped' "$T/mon-b2.txt" &&
	pass "Stopping and VrrpStopped on stop" || fail "no stop signals"
grep -A5 'Member=VrrpStatusChange' "$T/mon-b2.txt" | grep -q 'UINT32 98;' &&
	pass "keepalived's VrrpStatusChange(98) on stop" || log "note: no VrrpStatusChange(98) on stop"
stop_pid "$PID_a"
done_testing
