#!/bin/sh
# make demo: three runs, each printing what happened and where its captures are.
#  1. two-cells-move: a station moves between two radio cells while a flow runs
#  2. mip4-handoff:   Mobile IPv4, home -> foreign agent 1 -> foreign agent 2 -> home
#  3. mip6-ro:        Mobile IPv6 handoffs with return routability and route optimisation
# Each run's captures are checked against its rule set; the exit status is the
# worst of the three (0 all pass, 1 a check failed, 2 bad input, 3 environment).
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
	echo "roam demo: needs root (network namespaces): run 'make demo' as root, or through sudo" >&2
	exit 3
fi
stamp=$(date +%Y%m%d-%H%M%S)
worst=0

show() { # out
	echo "-- what happened ($1/events.jsonl):"
	grep -E '"type":"(move|l2_down|l2_up|check_failed)"' "$1/events.jsonl" 2>/dev/null |
		sed 's/,"ts":[0-9.]*//; s/^/   /' | head -n 20
	for f in "$1"/flow-*.json; do
		[ -f "$f" ] || continue
		python3 - "$f" 2>/dev/null <<'PY' || sed 's/^/   /' "$f"
import json, sys
for f in json.load(open(sys.argv[1]))["flows"]:
    i = f.get("interruption") or {}
    d = f.get("delay") or {}
    print("-- flow %d: %d received, %d lost, %d duplicates; longest interruption %.1f ms; one-way delay p50 %.2f ms"
          % (f["id"], f["received"], f["lost"], f["duplicates"], 1000 * i.get("gap", 0), 1000 * d.get("p50", 0)))
PY
	done
	echo "-- captures (read them with tcpdump -nr FILE, or roam chart $1 --out chart.svg):"
	for p in "$1"/*.pcap; do
		[ -f "$p" ] || continue
		printf '   %-58s %6s frames\n' "$p" "$(tcpdump -nr "$p" 2>/dev/null | wc -l)"
	done
}

run() { # label scenario extra-args...
	label=$1; scn=$2; shift 2
	out=captures/demo-$stamp-$label
	echo
	echo "================ $label: bin/roam run $scn"
	bin/roam run "$scn" --seed 1 --out "$out" --name "demo-$label-$$" "$@" >"$out.log" 2>&1
	rc=$?
	grep -vE '^\[ *[0-9.]+\] t=' "$out.log" | grep -E 'expected|handoff|flow|rules:|PASS|FAIL|scenario|run demo' |
		grep -vE '^(PASS) ' | head -n 40
	show "$out"
	bin/roam chart "$out" --out "$out/chart.svg" >/dev/null 2>&1 && echo "-- sequence chart: $out/chart.svg"
	[ $rc -gt $worst ] && worst=$rc
}

run two-cells lua/scenarios/two-cells-move.lua
if command -v radvd >/dev/null; then
	run mip4 lua/scenarios/mip4-handoff.lua
	run mip6-ro lua/scenarios/mip6-ro.lua
else
	echo "roam demo: radvd is missing, the Mobile IPv6 run is left out" >&2
	run mip4 lua/scenarios/mip4-handoff.lua
fi
echo
[ $worst -eq 0 ] && echo "roam demo: every run passed its checks" || echo "roam demo: a run did not pass (exit $worst); see the logs above"
exit $worst
