#!/bin/bash
# alived -t: the seed configurations and Debian's valid samples pass; broken
# files fail with FILE:LINE: messages, one check per kind of mistake.
. "$(dirname "$0")/lib.sh"

for f in "$top"/tests/data/seed/*.conf "$top"/etc/samples/*.conf; do
	if "$ALIVED" -t -f "$f" > "$T/out" 2>&1; then
		pass "-t accepts $(basename "$f")"
	else
		fail "-t refuses $(basename "$f"):"; cat "$T/out"
	fi
done

# Debian's keepalived samples, when installed. The ones named in
# tests/data/debian-samples-broken are wrong themselves (see that file).
samples=/usr/share/doc/keepalived/samples
if [ -d $samples ]; then
	for f in $samples/keepalived.conf.*; do
		b=$(basename "$f")
		if grep -q "^$b " "$top/tests/data/debian-samples-broken"; then
			"$ALIVED" -t -f "$f" > "$T/out" 2>&1; rc=$?
			if [ $rc = 1 ] && grep -q "^$f:[0-9]*: error: " "$T/out"; then
				pass "-t reports the mistake in $b: $(grep -m1 ': error: ' "$T/out")"
			else
				fail "$b: expected exit 1 with FILE:LINE: error, got $rc:"; cat "$T/out"
			fi
		elif [ "$b" = keepalived.conf.conditional_conf ]; then
			# Its @high / @low lines need a configuration id (-i).
			for id in high low; do
				"$ALIVED" -t -i $id -f "$f" > "$T/out" 2>&1 &&
					pass "-t -i $id accepts Debian's $b" ||
					{ fail "-t -i $id refuses Debian's $b:"; cat "$T/out"; }
			done
		elif "$ALIVED" -t -f "$f" > "$T/out" 2>&1; then
			pass "-t accepts Debian's $b"
		else
			fail "-t refuses Debian's $b:"; cat "$T/out"
		fi
	done
else
	fail "Debian's keepalived samples are not installed ($samples)"
fi

# -d: the dump parses again to the same dump.
for f in "$top"/tests/data/seed/*.conf "$top"/etc/samples/*.conf; do
	"$ALIVED" -t -d -f "$f" > "$T/d1" 2>/dev/null
	"$ALIVED" -t -d -f "$T/d1" > "$T/d2" 2>/dev/null
	if [ -s "$T/d1" ] && cmp -s "$T/d1" "$T/d2"; then
		pass "dump round trip: $(basename "$f")"
	else
		fail "dump round trip differs: $(basename "$f")"; diff "$T/d1" "$T/d2" | head -20
	fi
done

# Broken files: each one mistake, and the error must name file and line.
n=0
while IFS='|' read -r line want text; do
	[ -z "$line" ] && continue
	case "$line" in \#*) continue ;; esac
	n=$((n + 1))
	f="$T/broken$n.conf"
	printf '%b\n' "$text" > "$f"
	"$ALIVED" -t -f "$f" > "$T/out" 2>&1; rc=$?
	if [ $rc = 1 ] && grep -qE "^$f:$line: error: .*($want)" "$T/out"; then
		pass "mistake $n reported: $(grep -m1 ': error: ' "$T/out" | sed "s|$T/||")"
	else
		fail "mistake $n (line $line, want '$want'), rc $rc:"; cat "$T/out"; printf '%b\n' "$text" | cat -n
	fi
done < "$top/tests/data/broken-configs.txt"
[ $n -ge 20 ] && pass "$n kinds of mistakes checked" || fail "only $n kinds of mistakes"

# A missing file: exit 3 and its name.
"$ALIVED" -t -f "$T/nonexistent.conf" > "$T/out" 2>&1; rc=$?
[ $rc = 3 ] && grep -q "nonexistent.conf" "$T/out" && pass "missing file: exit 3" ||
	{ fail "missing file: rc $rc"; cat "$T/out"; }

# An interface missing on this host is a warning, not an error.
printf 'vrrp_instance X {\n interface nosuchif0\n virtual_router_id 9\n priority 100\n virtual_ipaddress {\n  10.9.9.9\n }\n}\n' > "$T/if.conf"
"$ALIVED" -t -f "$T/if.conf" > "$T/out" 2>&1; rc=$?
[ $rc = 0 ] && grep -q "if.conf:2: warning: .*nosuchif0" "$T/out" && pass "missing interface is a warning" ||
	{ fail "missing interface: rc $rc"; cat "$T/out"; }
done_testing
