#!/bin/bash
# make install DESTDIR=... from a build dir, then checks the layout.
set -eu
bld=$1
dest=$(mktemp -d /tmp/alived-install.XXXXXX)
trap 'rm -rf "$dest"' EXIT
make -C "$bld" install DESTDIR="$dest" prefix=/usr sysconfdir=/etc >/dev/null
fail=0
for f in usr/sbin/alived etc/alived/alived.conf etc/default/alived \
	usr/share/man/man8/alived.8 usr/share/man/man5/alived.conf.5 \
	usr/lib/systemd/system/alived.service; do
	if [ -e "$dest/$f" ]; then echo "ok: /$f"; else echo "missing: /$f"; fail=1; fi
done
n=$(ls "$dest"/etc/alived/samples/*.conf 2>/dev/null | wc -l)
[ "$n" -ge 1 ] && echo "ok: $n samples" || { echo "missing: samples"; fail=1; }
# The installed binary runs and its samples pass its own config test.
"$dest/usr/sbin/alived" --version || fail=1
for s in "$dest"/etc/alived/samples/*.conf "$dest/etc/alived/alived.conf"; do
	"$dest/usr/sbin/alived" -t -f "$s" || { echo "config test failed: $s"; fail=1; }
done
grep -q 'ExecReload=/bin/kill -HUP' "$dest/usr/lib/systemd/system/alived.service" || fail=1
grep -q 'EnvironmentFile=-/etc/default/alived' "$dest/usr/lib/systemd/system/alived.service" || fail=1
man -l "$dest/usr/share/man/man5/alived.conf.5" > /dev/null 2>&1 || { echo "alived.conf.5 does not render"; fail=1; }
exit $fail
