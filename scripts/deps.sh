#!/bin/sh
# Installs the Debian packages roam needs to build, run and test, and only
# those that are missing. Runs as root; prints what it installs.
set -eu
pkgs="gcc make pkg-config libnl-3-dev libnl-route-3-dev libpcap-dev
liblua5.4-dev lua5.4 libssl-dev iproute2 iputils-ping tcpdump nftables radvd procps"
[ "${1:-}" = "--test" ] && pkgs="$pkgs clang tshark python3 python3-scapy perl"	# scapy: tests/foreign/gen.py
# a machine whose package lists were never fetched knows no package names
if [ "$(id -u)" = 0 ] && ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
	apt-get update -q >/tmp/roam-apt.log 2>&1 || true
fi
# libFuzzer for the fuzz targets: its package name follows clang's version;
# taken when the archive has it (the fuzz tests skip without it)
if [ "${1:-}" = "--test" ]; then
	for p in libclang-rt-14-dev libclang-rt-dev; do
		if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then break; fi
		if apt-cache show "$p" >/dev/null 2>&1; then pkgs="$pkgs $p"; break; fi
	done
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "roam: missing packages:$missing" >&2
	echo "roam: run 'make' as root (or through sudo) to install them" >&2
	exit 3
fi
echo "roam: installing$missing"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends $missing >/tmp/roam-apt.log 2>&1; then
	apt-get update -q >/tmp/roam-apt.log 2>&1
	apt-get install -y -q --no-install-recommends $missing >>/tmp/roam-apt.log 2>&1 || {
		echo "roam: apt-get install failed, see /tmp/roam-apt.log" >&2
		tail -n 20 /tmp/roam-apt.log >&2
		exit 3
	}
fi
