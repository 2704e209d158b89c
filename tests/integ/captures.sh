#!/bin/sh
# Captures that survive faults: a full disk ends the run with exit 3 naming
# the file and the error (roam run and roam up -d), a SIGKILLed run leaves
# pcaps that end on a whole record, and frames are in timestamp order
# within a file.
. "$(dirname "$0")/lib.sh"
need_root
S="$ROAM_TOP/tests/integ/scn/flood.lua"
P="$ROAM_TOP/tests/integ/topo/pair.lua"

# pcap_whole FILE: tcpdump reads it to its end (no "truncated dump file")
pcap_whole() { tcpdump -nr "$1" >/dev/null 2>"$TMP/td.err" && ! grep -q truncated "$TMP/td.err"; }

# A small tmpfs in a private mount namespace: gone when the shell ends.
if ! unshare -m --propagation private sh -c "mount -t tmpfs -o size=64k tmpfs '$TMP'" 2>"$TMP/mnt.err"; then
	skip disk-full "cannot mount a tmpfs in a private mount namespace: $(cat "$TMP/mnt.err")"
else
	n=$(uniq_name full)
	RUNS="$RUNS $n"
	unshare -m --propagation private sh -c "
		mkdir -p '$TMP/small' && mount -t tmpfs -o size=256k tmpfs '$TMP/small' || exit 99
		'$ROAM' run '$S' --name '$n' --out '$TMP/small/run' >'$TMP/run.out' 2>&1; echo \$? >'$TMP/run.rc'
		for f in '$TMP/small/run'/*.pcap; do
			tcpdump -nr \"\$f\" >/dev/null 2>'$TMP/td.err' && ! grep -q truncated '$TMP/td.err' || echo \"\$f: \$(cat '$TMP/td.err')\"
		done >'$TMP/whole.out'
		# roam up -d on a disk with no room left at all
		dd if=/dev/zero of='$TMP/small/fill' bs=4k 2>/dev/null
		'$ROAM' up '$P' -d --name '$n-d' --out '$TMP/small/up' >'$TMP/up.out' 2>&1; echo \$? >'$TMP/up.rc'
		'$ROAM' down '$n-d' >/dev/null 2>&1
		umount '$TMP/small'"
	rc=$(cat "$TMP/run.rc" 2>/dev/null)
	grep -q "a-b.pcap.*No space left on device" "$TMP/run.out" && [ "$rc" = 3 ] && pass disk-full-run ||
		fail disk-full-run "roam run on a 256 KB tmpfs: exit $rc, expected 3 naming a-b.pcap and ENOSPC: $(tail -n 3 "$TMP/run.out" | tr '\n' ' ')"
	[ -f "$TMP/whole.out" ] && [ ! -s "$TMP/whole.out" ] && pass disk-full-whole-records ||
		fail disk-full-whole-records "a pcap on the full disk does not end on a whole record: $(cat "$TMP/whole.out" 2>/dev/null)"
	rc=$(cat "$TMP/up.rc" 2>/dev/null)
	grep -q "pcap.*No space left on device" "$TMP/up.out" && [ "$rc" = 3 ] && pass disk-full-up-d ||
		fail disk-full-up-d "roam up -d on a full tmpfs: exit $rc, expected 3 naming the pcap and ENOSPC: $(tail -n 3 "$TMP/up.out" | tr '\n' ' ')"
	"$ROAM" ls 2>/dev/null | grep -q "$n" && fail disk-full-nothing-left "a run is still listed: $("$ROAM" ls)" ||
		pass disk-full-nothing-left
fi

# SIGKILL of a running orchestrator: every pcap ends on a whole record.
n=$(uniq_name kill)
RUNS="$RUNS $n"
"$ROAM" run "$S" --set secs=6 --name "$n" --out "$OUT/$n" >"$TMP/kill.out" 2>&1 &
pid=$!
sleep 3
kill -9 "$pid"
wait "$pid" 2>/dev/null
bad=""; frames=0
for f in "$OUT/$n"/*.pcap; do
	pcap_whole "$f" || bad="$bad $f: $(cat "$TMP/td.err")"
	frames=$((frames + $(tcpdump -nr "$f" 2>/dev/null | wc -l)))
done
[ -z "$bad" ] && [ "$frames" -gt 100 ] && pass sigkill-whole-records ||
	fail sigkill-whole-records "after kill -9: $frames frames;$bad"

# Timestamps never go backwards within a file, though both ends send at once.
n=$(uniq_name order)
"$ROAM" run "$S" --set secs=2 --name "$n" --out "$OUT/$n" >"$TMP/order.out" 2>&1
back=$(tcpdump -nr "$OUT/$n/a-b.pcap" -tt --time-stamp-precision=nano 2>/dev/null |
	awk '{ if (NR > 1 && $1 < prev) n++; prev = $1 } END { print n + 0 " of " NR }')
case $back in
0\ of\ [0-9]) fail capture-order "too few frames in a-b.pcap ($back): $(tail -n 3 "$TMP/order.out")" ;;
0\ of*) pass capture-order ;;
*) fail capture-order "$back frames in a-b.pcap are stamped before the frame written ahead of them" ;;
esac
finish
