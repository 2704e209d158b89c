#!/bin/sh
# One LAN of many hosts (topologies/star.lua): how long after `roam up -d`
# returns hosts reach each other (10 pairs over IPv4 and 10 over IPv6, all
# at once, each ping's first try), and what the medium then costs idle.
# Goal: 2000 hosts ping each other within a second of up.
cd "$(dirname "$0")/.."
ROAM=bin/roam
out=$(mktemp -d /tmp/roam-bench.XXXXXX)
name=""
trap '[ -n "$name" ] && $ROAM down "$name" >/dev/null 2>&1; rm -rf "$out"' EXIT
now() { date +%s.%N; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
one() { # n
	n=$1; name=bench-lan-$$-$n
	echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	t0=$(now)
	if ! $ROAM up topologies/star.lua --set n="$n" --name "$name" --out "$out/$name" -d >"$out/up.log" 2>&1; then
		echo "star n=$n: roam up failed: $(cat "$out/up.log")"; return
	fi
	t1=$(now)
	i=0
	while [ $i -lt 10 ]; do	# pairs spread over the LAN
		a=$(( (i * 7919) % n + 1 )); b=$(( (i * 104729 + n / 2) % n + 1 ))
		$ROAM exec "$name" "h$a" -- ping -c 1 -W 5 "10.0.$(( b / 256 )).$(( b % 256 ))" >"$out/p4.$i" 2>&1 &
		$ROAM exec "$name" "h$a" -- ping -6 -c 1 -W 5 "fd00::$(printf %x "$b")" >"$out/p6.$i" 2>&1 &
		i=$((i + 1))
	done
	wait
	t2=$(now)
	ok=$(grep -l "1 received" "$out"/p4.* "$out"/p6.* 2>/dev/null | wc -l)
	# the slowest first try, address resolution included (ping's own time)
	slow=$(sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' "$out"/p4.* "$out"/p6.* | sort -g | tail -n 1)
	pid=$(awk '/^pid/ {print $2}' "/run/roam/$name/state" 2>/dev/null)
	c0=$(cpu_ticks "$pid"); sleep 5; c1=$(cpu_ticks "$pid")
	awk -v n="$n" -v a="$t0" -v b="$t1" -v c="$t2" -v ok="$ok" -v cpu="$((c1 - c0))" -v slow="${slow:-0}" 'BEGIN {
		printf "star n=%d: up %.2f s; %d of 20 first pings (10 IPv4, 10 IPv6 pairs, started at once) answered, the slowest in %.1f ms with its ARP/ND   (target: all, < 1 s)  %s\n",
			n, b - a, ok, slow, (ok == 20 && slow < 1000) ? "ok" : "MISSED"
		printf "star n=%d: all answered %.2f s after up returned, the start of 20 roam exec included\n", n, c - b
		printf "star n=%d: the orchestrator and medium idle after: %.1f%% of a core\n", n, cpu / 5
	}'
	grep -h "medium: overloaded" "$out/$name/roam.log" 2>/dev/null | head -1
	echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
	$ROAM down "$name" >/dev/null 2>&1; name=""
}
for n in ${LAN_SIZES:-2000 5000}; do one "$n"; done
