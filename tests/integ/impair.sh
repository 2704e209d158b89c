#!/bin/sh
# Impairments through the medium: delay, loss within a statistical bound,
# rate, run-time changes, and replay determinism of the drop pattern.
. "$(dirname "$0")/lib.sh"
need_root
P="$ROAM_TOP/tests/integ/topo/pair.lua"

# average RTT in ms of N pings from a to b in run $1
rtt() { in_node "$1" a ping -q -c "$2" -i 0.05 -W 2 10.9.0.2 | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p'; }
within() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x != "" && x >= lo && x <= hi) }'; }

# delay: 20 ms each way -> about 40 ms round trip
n=$(uniq_name delay)
up "$n" "$P" --set delay=20ms >/dev/null 2>&1
r=$(rtt "$n" 10)
within "$r" 39.5 48 && pass delay || fail delay "RTT ${r} ms with 20 ms each way, expected 40-48 ms"

# run-time change: 5 ms each way, then back to none
"$ROAM" link "$n" a-b delay=5ms >/dev/null
r=$(rtt "$n" 10)
within "$r" 9.5 16 && pass link-set || fail link-set "RTT ${r} ms after roam link delay=5ms, expected 10-16 ms"
"$ROAM" link "$n" a-b forward delay=0ms >/dev/null
r=$(rtt "$n" 10)
within "$r" 4.5 10 && pass link-set-direction || fail link-set-direction "RTT ${r} ms with 5 ms one way only, expected 5-10 ms"
"$ROAM" link "$n" a-b delay=10parsecs >"$TMP/bad.out" 2>&1; rc=$?
[ $rc -eq 2 ] && pass link-set-bad-unit || fail link-set-bad-unit "exit $rc: $(cat "$TMP/bad.out")"
down "$n"

# loss: 20% on both directions of 400 pings -> P(reply) = 0.64, 144 lost on
# average, sd 9.6; accept 4 sd either side
n=$(uniq_name loss)
up "$n" "$P" --set loss=20% --set v6=0 --seed 5 >/dev/null 2>&1
got=$(in_node "$n" a ping -c 400 -i 0.002 -W 1 10.9.0.2 | grep -c 'icmp_seq=')
lost=$((400 - got))
[ "$lost" -ge 105 ] && [ "$lost" -le 183 ] && pass loss-rate ||
	fail loss-rate "$lost of 400 pings lost with 20% each way, expected 105-183"
down "$n"

# rate: 1 Mbit/s serialises a 1264-byte frame in 10.1 ms, twice per round trip
n=$(uniq_name rate)
up "$n" "$P" --set rate=1Mbit >/dev/null 2>&1
r=$(in_node "$n" a ping -q -c 5 -i 0.2 -s 1222 -W 2 10.9.0.2 | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
within "$r" 19.5 38 && pass rate || fail rate "RTT ${r} ms for 1250-byte pings at 1 Mbit/s, expected 20-38 ms (2 x 10.1 ms serialisation, plus scheduling)"
down "$n"

# replay: the same seed drops the same packets; another seed others
pattern() { # seed -> the icmp_seq numbers that came back
	n=$(uniq_name "seed$1-$2")
	up "$n" "$P" --set v6=0 --seed "$1" >/dev/null 2>&1
	in_node "$n" a ping -c 1 -W 2 10.9.0.2 >/dev/null	# ARP before the loss starts
	"$ROAM" link "$n" a-b loss=30% >/dev/null
	in_node "$n" a ping -c 150 -i 0.003 -W 1 10.9.0.2 | sed -n 's/.*icmp_seq=\([0-9]*\).*/\1/p' | tr '\n' ' '
	down "$n"
}
p1=$(pattern 11 a); p2=$(pattern 11 b); p3=$(pattern 12 c)
[ -n "$p1" ] && [ "$p1" = "$p2" ] && pass replay-same-seed ||
	fail replay-same-seed "seed 11 twice gave different drop patterns: [$p1] vs [$p2]"
[ "$p1" != "$p3" ] && pass replay-other-seed || fail replay-other-seed "seeds 11 and 12 dropped the same packets"

# captures: every frame read is in <out>/<link>.pcap, readable by tcpdump
n=$(uniq_name cap)
up "$n" "$P" --set v6=0 >/dev/null 2>&1
in_node "$n" a ping -c 5 -i 0.05 -W 2 10.9.0.2 >/dev/null
down "$n"
c=$(tcpdump -nr "$OUT/$n/a-b.pcap" icmp 2>/dev/null | wc -l)
[ "$c" -eq 10 ] && pass capture || fail capture "$c ICMP frames in a-b.pcap, expected 10 (5 requests, 5 replies)"
tcpdump -nr "$OUT/$n/a-b.pcap" --time-stamp-precision=nano 2>/dev/null | head -1 | grep -qE '^[0-9:]+\.[0-9]{9} ' &&
	pass capture-ns || fail capture-ns "timestamps are not nanosecond"
# the netem backend: only where the kernel has sch_netem
if [ -d /sys/module/sch_netem ] || modprobe -q sch_netem 2>/dev/null; then
	fail netem "this kernel has sch_netem, but roam's netem backend is not built: the medium is the link layer"
else
	"$ROAM" up "$P" --links netem --name "$(uniq_name netem)" >"$TMP/netem.out" 2>&1; rc=$?
	[ $rc -eq 3 ] && grep -q sch_netem "$TMP/netem.out" && skip netem "the kernel has no sch_netem (exit 3 names it)" ||
		fail netem "--links netem without sch_netem: exit $rc, expected 3 naming sch_netem: $(cat "$TMP/netem.out")"
fi
finish
