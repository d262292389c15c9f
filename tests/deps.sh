#!/bin/sh
# Installs the Debian 12 packages alived needs to build and to run its tests
# and demo. Run as root. Set ALIVED_SKIP_DEPS=1 to skip (packages already there).
set -e
[ "${ALIVED_SKIP_DEPS:-0}" = 1 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "tests/deps.sh: run as root (apt-get install)" >&2
	exit 1
fi
BUILD="build-essential autoconf automake libtool pkg-config git ca-certificates
	libnl-3-dev libnl-route-3-dev libnl-genl-3-dev libdbus-1-dev libssl-dev
	libsnmp-dev libcmocka-dev clang libclang-rt-14-dev"
RUNTIME="iproute2 iputils-ping procps psmisc python3 openssl kmod tcpdump tshark curl
	snmpd snmp snmptrapd dbus systemd libglib2.0-bin keepalived ipvsadm smitools man-db util-linux"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the default (no) is fine.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
missing=""
for p in $BUILD $RUNTIME; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing"
	apt-get update -q
	# Debian's keepalived and snmpd packages try to start their services;
	# policy-rc.d keeps them from touching this machine's services.
	rcd=/usr/sbin/policy-rc.d
	made_rcd=0
	if [ ! -e $rcd ]; then printf '#!/bin/sh\nexit 101\n' > $rcd; chmod +x $rcd; made_rcd=1; fi
	apt-get install -y -q --no-install-recommends $missing
	[ $made_rcd = 1 ] && rm -f $rcd
fi
exit 0
