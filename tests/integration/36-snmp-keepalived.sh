#!/bin/bash
# Same configuration, same OIDs: Debian's keepalived (-x, against its own
# private snmpd) and alived (-x, against another) run one configuration in
# two namespaces; every OID keepalived serves under enterprises.9586.100.5
# (global, vrrp tables), under VRRP-MIB and under VRRPV3-MIB must be served
# by alived too, with the same syntax, and each column must have the same
# name in KEEPALIVED-MIB and ALIVED-MIB. Indexes are compared as they are:
# on a fresh start alived's stable indexes are keepalived's positions.
# The check subtree is compared too when this kernel has IPVS (without it
# keepalived's checker stops at once, so it serves nothing there).
. "$(dirname "$0")/lib.sh"
require_netns
require_cmd snmpd snmpwalk snmptranslate
KA=${KEEPALIVED:-/usr/sbin/keepalived}
[ -x "$KA" ] || skip "keepalived not installed"
"$ALIVED" -v | grep -q 'Build options:.*SNMP' || skip "alived built without SNMP"
kmib=/usr/share/snmp/mibs
[ -f "$kmib/KEEPALIVED-MIB.txt" ] || skip "KEEPALIVED-MIB not installed"
mibs=${ALIVED_MIBS:-$top/../shared/mibs}
[ -d "$mibs" ] || mibs=/work/shared/mibs

for n in k a; do
	netns_add "$n" || { fail "namespace"; done_testing; }
	eval "ns=\$NS_$n"
	ip -n "$ns" link add eth0 type veth peer name eth1 && ip -n "$ns" link set eth0 up &&
		ip -n "$ns" link set eth1 up && ip -n "$ns" addr add 192.168.81.1/24 dev eth0 &&
		ip -n "$ns" -6 addr add fe80::81:1/64 dev eth0 nodad || fail "links of $n"
	cat > "$T/$n.snmpd.conf" <<EOF
master agentx
agentXSocket unix:$T/$n.ax
agentaddress udp:127.0.0.1:16161
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
EOF
	MIBS= MIBDIRS= ip netns exec "$ns" snmpd -f -Lf "$T/$n.snmpd.log" -C -c "$T/$n.snmpd.conf" \
		-p "$T/$n.snmpd.pid" &
	cleanup_add "stop_pid $!"
done

cat > "$T/vrrp.conf" <<'EOF'
global_defs {
    router_id cmp1
    enable_traps
}
vrrp_script chk_a {
    script "/bin/true"
    interval 2
    weight -5
    rise 2
    fall 2
}
vrrp_sync_group G1 {
    group { S1 S2 }
    notify_master "/bin/true gm"
}
vrrp_instance S1 {
    state MASTER
    interface eth0
    virtual_router_id 81
    priority 150
    advert_int 1
    virtual_ipaddress {
        192.168.81.100/24
        192.168.81.101/32
    }
    virtual_ipaddress_excluded { 192.168.81.150/32 }
}
vrrp_instance S2 {
    state BACKUP
    interface eth0
    virtual_router_id 82
    version 3
    priority 100
    advert_int 1
    virtual_ipaddress { 192.168.81.200/24 }
}
vrrp_instance T1 {
    state BACKUP
    interface eth0
    virtual_router_id 83
    priority 120
    advert_int 1
    nopreempt
    track_interface {
        eth1 weight 5
        lo
    }
    track_script { chk_a }
    authentication {
        auth_type PASS
        auth_pass abc
    }
    notify_master "/bin/true m"
    virtual_ipaddress { 192.168.81.83/24 }
}
vrrp_instance V6 {
    state BACKUP
    interface eth0
    virtual_router_id 84
    version 3
    priority 100
    advert_int 1
    virtual_ipaddress { fe80::81:84/64 }
}
EOF
cat > "$T/check.conf" <<'EOF'
global_defs {
    router_id cmp1
}
virtual_server_group VSG1 {
    192.168.81.102 443
}
virtual_server 192.168.81.100 80 {
    delay_loop 2
    lb_algo rr
    lb_kind DR
    protocol TCP
    quorum 1
    sorry_server 192.168.81.9 80
    real_server 192.168.81.1 80 {
        weight 2
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
virtual_server fwmark 3 {
    delay_loop 2
    lb_algo wlc
    lb_kind NAT
    real_server 192.168.81.1 81 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
virtual_server group VSG1 {
    delay_loop 2
    lb_algo rr
    lb_kind TUN
    real_server 192.168.81.1 443 {
        TCP_CHECK {
            connect_timeout 1
        }
    }
}
EOF

# walk NS FILE ROOT...: "OID TYPE" lines (the ASN.1 type of the value).
walk() {
	local ns=$1 out=$2 r; shift 2
	: > "$out"
	for r in "$@"; do
		MIBS= MIBDIRS= ip netns exec "$ns" snmpwalk -v2c -c public -On -t 3 -r 1 \
			127.0.0.1:16161 "$r" 2>&1 | awk '
			/^\./ {
				v = $3
				if (v == "STRING:" || v == "Hex-STRING:" || v ~ /^"/) v = "OCTETSTR"
				else sub(/:$/, "", v)
				print $1, v
			}' >> "$out"
	done
	sort -o "$out" "$out"
}
ROOTS=".1.3.6.1.4.1.9586.100.5.1 .1.3.6.1.4.1.9586.100.5.2 .1.3.6.1.2.1.68 .1.3.6.1.2.1.207"

# keepalived writes the InetAddress index of vrrpv3AssociatedIpAddrTable
# without its length; RFC 6527 does not declare it IMPLIED, so its length
# comes first (RFC 2578 section 7.7), as alived writes it. Compared as the
# RFC says.
rfc_index() {
	awk '{
		p = ".1.3.6.1.2.1.207.1.1.2.1.2."
		if (index($1, p) == 1) {
			n = split(substr($1, length(p) + 1), s, ".")
			if (n == 7 || n == 19) {	# ifIndex.VrId.type.address
				o = p s[1] "." s[2] "." s[3] "." (n - 3)
				for (i = 4; i <= n; i++) o = o "." s[i]
				$1 = o
			}
		}
		print
	}' "$1" | sort -o "$1"
}

# compare WHAT KEEPALIVED-WALK ALIVED-WALK: every OID of the first in the second, same type.
compare() {
	local what=$1 kw=$2 aw=$3 missing diff n
	n=$(wc -l < "$kw")
	join -a1 -e NONE -o 0,1.2,2.2 "$kw" "$aw" > "$T/joined"
	missing=$(awk '$3 == "NONE"' "$T/joined")
	diff=$(awk '$3 != "NONE" && $2 != $3' "$T/joined")
	[ "$n" -gt 0 ] || { fail "$what: keepalived served nothing"; return; }
	if [ -z "$missing" ]; then pass "$what: all $n OIDs keepalived serves are served by alived"
	else fail "$what: not served by alived:"; echo "$missing" | head -40; fi
	if [ -z "$diff" ]; then pass "$what: same syntax for each"
	else fail "$what: syntax differs (OID keepalived alived):"; echo "$diff" | head -40; fi
	# Column names: KEEPALIVED-MIB's and ALIVED-MIB's for each column served.
	local bad="" col kn an
	for col in $(awk '$1 ~ /^\.1\.3\.6\.1\.4\.1\.9586\./ { print $1 }' "$kw" |
			sed -E 's/^(\.1\.3\.6\.1\.4\.1\.9586\.100\.5\.[0-9]+\.[0-9]+\.1\.[0-9]+)\..*/\1/' |
			grep -E '^\.1\.3\.6\.1\.4\.1\.9586\.100\.5\.[23]\.' | sort -u); do
		kn=$(snmptranslate -M "$kmib:$mibs" -m KEEPALIVED-MIB -Os "$col" 2>/dev/null)
		an=$(snmptranslate -M "$top/mib:$mibs" -m ALIVED-MIB -Os "$col" 2>/dev/null)
		[ -n "$kn" ] && [ "$kn" = "$an" ] || bad="$bad $col($kn/$an)"
	done
	[ -z "$bad" ] && pass "$what: each table column has KEEPALIVED-MIB's name in ALIVED-MIB" ||
		fail "$what: column names differ:$bad"
}

# --- VRRP ---
ip netns exec "$NS_k" "$KA" -n -l -D -x -P -A "unix:$T/k.ax" -f "$T/vrrp.conf" \
	-p "$T/k.pid" -r "$T/k.vrrp.pid" -c "$T/k.check.pid" > "$T/k.log" 2>&1 &
KPID=$!
cleanup_add "kill_children_of $KPID; kill -KILL $KPID"
alived_start a "$NS_a" "$T/vrrp.conf" -x -P -A "unix:$T/a.ax"
sleep 6
walk "$NS_k" "$T/k.walk" $ROOTS
rfc_index "$T/k.walk"
walk "$NS_a" "$T/a.walk" $ROOTS
log "keepalived: $(wc -l < "$T/k.walk") OIDs, alived: $(wc -l < "$T/a.walk") OIDs"
compare "VRRP (ALIVED-MIB global+vrrp, VRRP-MIB, VRRPV3-MIB)" "$T/k.walk" "$T/a.walk"
stop_pid "$KPID"; stop_pid "$PID_a"

# --- checker (needs IPVS for keepalived) ---
ip netns exec "$NS_k" "$KA" -n -l -D -x -C -A "unix:$T/k.ax" -f "$T/check.conf" \
	-p "$T/k.pid" -r "$T/k.vrrp.pid" -c "$T/k.check.pid" > "$T/k2.log" 2>&1 &
KPID=$!
cleanup_add "kill_children_of $KPID; kill -KILL $KPID"
alived_start a2 "$NS_a" "$T/check.conf" -x -C -A "unix:$T/a.ax"
sleep 5
if grep -q "Can't initialize ipvs" "$T/k2.log"; then
	log "check subtree not compared: keepalived's checker needs IPVS, which this kernel lacks"
else
	walk "$NS_k" "$T/k2.walk" .1.3.6.1.4.1.9586.100.5.3
	walk "$NS_a" "$T/a2.walk" .1.3.6.1.4.1.9586.100.5.3
	compare "check subtree" "$T/k2.walk" "$T/a2.walk"
fi
stop_pid "$KPID"; stop_pid "$PID_a2"
done_testing
