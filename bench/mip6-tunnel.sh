#!/bin/sh
# Mobile IPv6 tunnel forwarding from a live run of topologies/mip6.lua
# (ro=no, wan_delay=0ms), mn1 away at cell1, each figure next to its target:
# roam-traffic from cn, as fast as it can (a fixed count: 30,000 small,
# 10,000 large packets), UDP to port 9500, counted by roam-traffic recv on
# mn1 (its "received": distinct sequence numbers), per second of the
# sender's wall time:
#  (a) tunnel: to mn1's home address: cn -> core -> ha (userspace
#      IPv6-in-IPv6: TUN, encapsulation, raw socket) -> core -> ar1 -> cell1
#      -> mn1 (userspace decapsulation);
#  (b) kernel: to mn1's care-of address over the same links: core sends it
#      to ha when it comes from cn and to ar1 when it comes back from ha (a
#      /128 route and a policy rule), ha forwards it back to core.
# Sizes: 68-byte IPv6 packets (UDP payload 20, the smallest roam-traffic
# sends: its header) and the largest that crosses
# the tunnel unfragmented: 1460-byte inner packets (payload 1412; 1500 with
# the outer header), the same payload on both paths. Three rounds per size,
# tunnel and kernel alternating, the best of each (the machine is shared).
# Target: the tunnel at least half the kernel's packet rate. Run as root.
cd "$(dirname "$0")/.."
ROAM=bin/roam
[ "$(id -u)" = 0 ] || { echo "mip6-tunnel: needs root"; exit 0; }
out=$(mktemp -d /tmp/roam-bench-mip6.XXXXXX)
name=bench-mip6-$$
trap '$ROAM down "$name" >/dev/null 2>&1; rm -rf "$out"' EXIT
trap 'exit 1' INT TERM
if ! $ROAM up topologies/mip6.lua --set ro=no --set wan_delay=0ms --name "$name" \
	--out "$out/run" -d >"$out/up.log" 2>&1; then
	echo "mip6-tunnel: roam up failed: $(tail -n 3 "$out/up.log")"; exit 0
fi
ctl() { $ROAM ctl "$name" "$@" 2>/dev/null; }
$ROAM move "$name" mn1 cell1 >/dev/null
i=0
until ctl mn1 status | grep -q '^state registered'; do
	i=$((i + 1)); [ $i -gt 50 ] && { echo "mip6-tunnel: mn1 did not register at cell1"; exit 0; }
	sleep 0.2
done
HOA=$(ctl mn1 status | awk '$1 == "home_addr" { print $2 }')
COA=$(ctl mn1 status | awk '$1 == "care_of" { print $2 }')
[ -n "$HOA" ] && [ -n "$COA" ] || { echo "mip6-tunnel: no home or care-of address in mn1's status"; exit 0; }

# the kernel's path through the same links (see above); core: eth0 cn,
# eth1 ha (fd00:0:0:10::2), eth2 ar1 (fd00:0:0:11::2)
x() { $ROAM exec "$name" "$@" >/dev/null 2>&1 || echo "mip6-tunnel: $* failed"; }
x core ip -6 route add "$COA"/128 via fd00:0:0:10::2 dev eth1
x core ip -6 route add "$COA"/128 via fd00:0:0:11::2 dev eth2 table 100
x core ip -6 rule add iif eth1 to "$COA"/128 table 100
x ha ip -6 route add "$COA"/128 via fd00:0:0:10::1 dev eth0

now() { date +%s.%N; }
# measure SIZE DST COUNT: "pkt/s received sent"
measure() {
	st="$out/recv.json"; rm -f "$st"
	$ROAM exec "$name" mn1 -- "$PWD/bin/roam-traffic" recv --port 9500 --stats "$st" \
		--duration 3 >/dev/null 2>&1 &
	rpid=$!
	sleep 0.3
	t0=$(now)
	sent=$($ROAM exec "$name" cn -- "$PWD/bin/roam-traffic" send --to "$2" --port 9500 \
		--rate 1000000 --size "$1" --count "$3" 2>/dev/null |
		sed -n 's/.*"sent"[: ]*\([0-9]*\).*/\1/p')
	t1=$(now)
	wait $rpid
	got=$(sed -n 's/.*"received"[: ]*\([0-9]*\).*/\1/p' "$st" 2>/dev/null | head -n 1)
	awk -v a="$t0" -v b="$t1" -v r="${got:-0}" -v s="${sent:-0}" \
		'BEGIN { printf "%.0f %d %d\n", r / (b - a), r, s }'
}
ctl ha counters >"$out/ha0.txt"
for ip in 68 1460; do
	size=$((ip - 48)); n=$((ip == 68 ? 30000 : 10000))
	for r in 1 2 3; do
		echo "$(measure $size "$HOA" $n) $(measure $size "$COA" $n)"
	done | awk -v s=$ip '
		{ if ($1 > tun) { tun = $1; tr = $2; ts = $3 } if ($4 > ker) { ker = $4; kr = $5; ks = $6 } }
		END { printf "forwarding %4d-byte IPv6 packets (best of 3): ha IPv6-in-IPv6 tunnel %7.0f pkt/s (%d of %d received); kernel %7.0f pkt/s (%d of %d); ratio %.2f (target >= 0.50) %s\n",
			s, tun, tr, ts, ker, kr, ks, ker ? tun / ker : 0, (ker && tun / ker >= 0.5) ? "met" : "NOT met" }'
done
ctl ha counters >"$out/ha1.txt"
awk 'NR == FNR { a[$1] = $2; next } $1 == "tun_encap" { printf "ha tun_encap during the runs: %d\n", $2 - a[$1] }' \
	"$out/ha0.txt" "$out/ha1.txt"
