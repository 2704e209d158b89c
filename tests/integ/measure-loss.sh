#!/bin/sh
# measure-loss: the checker counts a flow's packets as its receiver does. A
# short run of lua/scenarios/fidelity.lua (flows both ways while the mobile
# node hands off, the delays changing), Mobile IPv6 with route optimisation
# then Mobile IPv4 through foreign agents; for every flow, roam check's
# delivered and lost must equal roam-traffic's flow-N.json (received, lost),
# and the per-handoff losses must add up to the flow's (docs/checks.md).
. "$(dirname "$0")/lib.sh"
need_root
command -v python3 >/dev/null || { skip "$T" "needs python3 to read the JSON"; exit 0; }

compare() { # DIR REPORT
	python3 - "$1" "$2" <<'PY'
import json, sys
d, rep = sys.argv[1], json.load(open(sys.argv[2]))
bad = []
for f in rep["flows"]:
    own = json.load(open("%s/flow-%d.json" % (d, f["id"])))["flows"]
    own = [x for x in own if x["id"] == f["id"]]
    if not own:
        bad.append("flow %d: no flow-%d.json entry" % (f["id"], f["id"]))
        continue
    o = own[0]
    if (f["delivered"], f["lost"]) != (o["received"], o["lost"]):
        bad.append("flow %d: expected delivered %d lost %d (receiver) vs checker %d %d" %
                   (f["id"], o["received"], o["lost"], f["delivered"], f["lost"]))
    per = [x["lost"] for h in rep["handoffs"] for x in h["flows"] if x["id"] == f["id"]]
    if per and sum(per) != f["lost"]:
        bad.append("flow %d: per-handoff losses %s add up to %d vs the flow's %d" %
                   (f["id"], per, sum(per), f["lost"]))
    print("flow %d: %d delivered, %d lost, per handoff %s" % (f["id"], f["delivered"], f["lost"], per))
if len(rep["flows"]) < 2 or len(rep["handoffs"]) < 3:
    bad.append("expected 2 flows and 3 handoffs vs %d, %d" % (len(rep["flows"]), len(rep["handoffs"])))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}

run() { # TAG ARGS...
	tag=$1; shift
	d="$OUT/$tag"
	if ! "$ROAM" run "$ROAM_TOP/lua/scenarios/fidelity.lua" "$@" --out "$d" --name "$(uniq_name "$tag")" \
		>"$TMP/$tag.log" 2>&1; then
		fail "$tag" "roam run exited non-zero: $(grep -E 'error|roam:' "$TMP/$tag.log" | head -n 3 | tr '\n' ' ')"
		return
	fi
	if ! "$ROAM" check "$d" --report "json:$TMP/$tag.json" >/dev/null 2>&1 && [ ! -s "$TMP/$tag.json" ]; then
		fail "$tag" "roam check wrote no report"
		return
	fi
	check "$tag" "flow counts equal the receivers'" compare "$d" "$TMP/$tag.json"
}

if command -v radvd >/dev/null; then
	run mip6-ro --set kind=mip6-ro --set moves=5 --set spacing=1.5
else
	skip mip6-ro "needs radvd on the access routers"
fi
run mip4-fa --set kind=mip4-fa --set moves=4 --set spacing=1.5
finish
