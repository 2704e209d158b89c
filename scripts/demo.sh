#!/bin/sh
# The default demo: a station moves between two radio cells while a flow
# runs; roam prints what happened and where the captures are.
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
	echo "roam demo: needs root (network namespaces): run 'make demo' as root, or through sudo" >&2
	exit 3
fi
out=captures/demo-$(date +%Y%m%d-%H%M%S)
echo "== roam run lua/scenarios/two-cells-move.lua (topology: topologies/two-cells.lua)"
bin/roam run lua/scenarios/two-cells-move.lua --seed 1 --out "$out" --name "demo-$$"
rc=$?
echo
echo "== what happened (event log $out/events.jsonl)"
grep -E '"type":"(move|l2_down|l2_up|check_failed)"' "$out/events.jsonl" 2>/dev/null |
	sed 's/^/  /'
for f in "$out"/flow-*.json; do
	[ -f "$f" ] || continue
	echo "== flow figures ($f)"
	sed 's/^/  /' "$f"
	echo
done
echo "== captures"
for p in "$out"/*.pcap; do
	[ -f "$p" ] || continue
	printf '  %-40s %s frames\n' "$p" "$(tcpdump -nr "$p" 2>/dev/null | wc -l)"
done
echo "  look at one:  tcpdump -nr $out/cell2.pcap | less"
exit $rc
