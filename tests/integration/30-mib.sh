#!/bin/bash
# mib/ALIVED-MIB.txt: passes smilint at level 4, loads in snmptranslate, and
# serves the same tree as KEEPALIVED-MIB for every part alived implements:
# each OID of those parts in shared/reference/KEEPALIVED-MIB.tree (an
# "snmptranslate -Tp" listing) must be in ALIVED-MIB with the same name,
# access, type, textual convention, enumeration, range, size and index; and
# every node ALIVED-MIB defines must have the name KEEPALIVED-MIB gives that
# OID.
: "${ALIVED:=/bin/true}"	# this test does not run the daemon
. "$(dirname "$0")/lib.sh"
require_cmd smilint snmptranslate

mib=$top/mib/ALIVED-MIB.txt
mibs=${ALIVED_MIBS:-$top/../shared/mibs}
[ -d "$mibs" ] || mibs=/work/shared/mibs
ref=${KEEPALIVED_TREE:-$mibs/../reference/KEEPALIVED-MIB.tree}
[ -f "$ref" ] || skip "reference tree $ref not found"

# Parts implemented, as OIDs relative to enterprises.9586.100.5.
parts="1 2.1 2.2 2.3 2.4 2.5 2.6 2.9 2.10.0 3.1 3.3 3.4 3.5.0"

# 1. smilint, level 4: no message at all (errors and warnings).
if SMIPATH=$mibs smilint -l 4 "$mib" > "$T/smilint" 2>&1 &&
	[ ! -s "$T/smilint" ]; then
	pass "smilint -l 4: no error, no warning"
else
	fail "smilint -l 4:"; cat "$T/smilint"
fi

# 2. snmptranslate loads it, alone and on top of the default modules.
if snmptranslate -M "$top/mib:$mibs" -m ALIVED-MIB -Tp -IR alivedMIB > "$T/alived.tree" \
	2> "$T/translate.err" && [ ! -s "$T/translate.err" ] && [ -s "$T/alived.tree" ]; then
	pass "snmptranslate loads ALIVED-MIB ($(grep -c '(' "$T/alived.tree") nodes)"
else
	fail "snmptranslate -m ALIVED-MIB:"; cat "$T/translate.err"
fi
if snmptranslate -M "+:$top/mib:$mibs" -m +ALIVED-MIB -On ALIVED-MIB::vrrpInstanceState \
	2> "$T/translate2.err" | grep -qx '.1.3.6.1.4.1.9586.100.5.2.3.1.4'; then
	pass "snmptranslate -m +ALIVED-MIB resolves vrrpInstanceState"
else
	fail "snmptranslate -m +ALIVED-MIB:"; grep -i alived "$T/translate2.err"
fi

# Flattens an "snmptranslate -Tp" listing into one line per node:
#   OID-relative-to-root|name|access|type|tc|values|range|size|index
# The root line itself is dropped (its name is the module's own).
flatten() {
	awk '
	function flush() {
		if (have)
			print oid "|" name "|" acc "|" typ "|" tc "|" vals "|" rng "|" sz "|" idx
		have = 0
	}
	/\+--/ {
		flush()
		p = index($0, "+--"); d = (p - 1) / 3
		rest = substr($0, p + 3)
		acc = ""; typ = ""
		if (substr(rest, 1, 1) == " ") {
			n = split(rest, f, " ")
			acc = f[1]; typ = f[2]; rest = f[n]
		}
		q = index(rest, "(")
		name = substr(rest, 1, q - 1); num = substr(rest, q + 1, length(rest) - q - 1)
		path[d] = num
		oid = ""
		for (i = 1; i <= d; i++) oid = oid (i > 1 ? "." : "") path[i]
		tc = ""; vals = ""; rng = ""; sz = ""; idx = ""
		if (d > 0) have = 1
		next
	}
	{
		s = $0; sub(/^[ |]*/, "", s)
		if (s ~ /^Textual Convention: /) tc = substr(s, 21)
		else if (s ~ /^Values: /) vals = substr(s, 9)
		else if (s ~ /^Range: /) rng = substr(s, 8)
		else if (s ~ /^Size: /) sz = substr(s, 7)
		else if (s ~ /^Index: /) idx = substr(s, 8)
	}
	END { flush() }' "$1"
}
flatten "$ref" > "$T/ref.flat"
flatten "$T/alived.tree" > "$T/ours.flat"

# Reference lines of the implemented parts.
in_parts() {
	local p
	while IFS= read -r line; do
		for p in $parts; do
			case "${line%%|*}." in "$p".*) echo "$line"; break ;; esac
		done
	done
}
in_parts < "$T/ref.flat" > "$T/ref.want"
# Each wanted line must be in ours, identical.
missing=$(grep -vxFf "$T/ours.flat" "$T/ref.want")
n=$(wc -l < "$T/ref.want")
if [ -z "$missing" ] && [ "$n" -ge 250 ]; then
	pass "all $n nodes of the implemented parts match KEEPALIVED-MIB"
else
	fail "$n nodes wanted; these differ or are missing (reference line, then ours):"
	[ -n "$missing" ] && while IFS= read -r line; do
		echo "  ref:  $line"
		echo "  ours: $(grep -m1 "^${line%%|*}|" "$T/ours.flat")"
	done <<< "$missing"
fi

# Every node of ours has the name KEEPALIVED-MIB gives its OID.
cut -d'|' -f1,2 "$T/ref.flat" > "$T/ref.names"
extra=$(cut -d'|' -f1,2 "$T/ours.flat" | grep -vxFf "$T/ref.names")
if [ -z "$extra" ]; then
	pass "every ALIVED-MIB node has KEEPALIVED-MIB's name for its OID"
else
	fail "ALIVED-MIB nodes unknown to KEEPALIVED-MIB or named differently:"; echo "$extra"
fi

# The self-check of this test: a changed type must be caught.
sed 's/^\(.*|vrrpInstanceState|-R--|\)EnumVal/\1Integer32/' "$T/ours.flat" > "$T/broken.flat"
if grep -vxFf "$T/broken.flat" "$T/ref.want" | grep -q '|vrrpInstanceState|'; then
	pass "the comparison notices a wrong type"
else
	fail "the comparison does not notice a wrong type"
fi
done_testing
