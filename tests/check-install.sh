#!/bin/bash
# make install DESTDIR=... from a build dir, then checks the layout.
set -eu
bld=$1
dest=$(mktemp -d /tmp/alived-install.XXXXXX)
trap 'rm -rf "$dest"' EXIT
# The build dir was configured with the defaults (prefix /usr/local).
make -C "$bld" install DESTDIR="$dest" >/dev/null
p=usr/local
fail=0
for f in $p/sbin/alived $p/etc/alived/alived.conf $p/etc/default/alived \
	$p/share/man/man8/alived.8 $p/share/man/man5/alived.conf.5 \
	$p/lib/systemd/system/alived.service; do
	if [ -e "$dest/$f" ]; then echo "ok: /$f"; else echo "missing: /$f"; fail=1; fi
done
n=$(ls "$dest"/$p/etc/alived/samples/*.conf 2>/dev/null | wc -l)
[ "$n" -ge 1 ] && echo "ok: $n samples" || { echo "missing: samples"; fail=1; }
# The installed binary runs and its samples pass its own config test.
"$dest/$p/sbin/alived" --version || fail=1
for s in "$dest"/$p/etc/alived/samples/*.conf "$dest/$p/etc/alived/alived.conf"; do
	"$dest/$p/sbin/alived" -t -f "$s" || { echo "config test failed: $s"; fail=1; }
done
grep -q 'ExecReload=/bin/kill -HUP' "$dest/$p/lib/systemd/system/alived.service" || fail=1
grep -q 'EnvironmentFile=-/usr/local/etc/default/alived' "$dest/$p/lib/systemd/system/alived.service" || fail=1
man -l "$dest/$p/share/man/man5/alived.conf.5" > /dev/null 2>&1 || { echo "alived.conf.5 does not render"; fail=1; }
exit $fail
