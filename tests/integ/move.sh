#!/bin/sh
# Stations and cells: a move drops carrier for the handoff gap, then the
# station is up in the new cell with an address of it; positions out of
# range drop carrier too.
. "$(dirname "$0")/lib.sh"
need_root
C="$ROAM_TOP/tests/integ/topo/cells.lua"
carrier() { in_node "$n" s cat /sys/class/net/wlan0/carrier 2>/dev/null || echo 0; }

n=$(uniq_name move)
up "$n" "$C" >/dev/null 2>&1
check ping-before "the station reaches the server from c1" in_node "$n" s ping -c 1 -W 2 10.8.0.2
"$ROAM" position "$n" s 95 0 >/dev/null	# walk up to c2's access point, then hand off
"$ROAM" move "$n" s c2 >"$TMP/mv.out" 2>&1 && pass move-cmd || fail move-cmd "$(cat "$TMP/mv.out")"
c=$(carrier)
[ "$c" = 0 ] && pass carrier-down || fail carrier-down "carrier is $c right after the move"
sleep 0.5
c=$(carrier)
[ "$c" = 1 ] && pass carrier-up || fail carrier-up "carrier is $c 0.5 s after a move with a 300 ms gap"
in_node "$n" s ip -4 -o addr show dev wlan0 | grep -q '10\.8\.2\.' && pass readdressed ||
	fail readdressed "wlan0 has no address in c2's subnet: $(in_node "$n" s ip -4 -o addr show dev wlan0)"
check ping-after "the station reaches the server from c2" in_node "$n" s ping -c 1 -W 2 10.8.0.2
"$ROAM" move "$n" s c2 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && pass move-same-cell || fail move-same-cell "moving into the current cell: exit $rc, expected 2"
"$ROAM" move "$n" s nowhere >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && pass move-unknown-cell || fail move-unknown-cell "exit $rc, expected 2"
grep -q '"type":"l2_down"' "$OUT/$n/events.jsonl" && grep -q '"type":"l2_up"' "$OUT/$n/events.jsonl" &&
	pass events || fail events "no l2_down/l2_up in the event log"

# out of range and back (c2's access point is at x=100)
"$ROAM" position "$n" s 5000 0 >/dev/null
sleep 0.1
c=$(carrier)
[ "$c" = 0 ] && pass out-of-range || fail out-of-range "carrier $c 5 km from the access point"
"$ROAM" position "$n" s 98 0 >/dev/null
sleep 0.1
c=$(carrier)
[ "$c" = 1 ] && pass back-in-range || fail back-in-range "carrier $c 2 m from the access point"
down "$n"
finish
