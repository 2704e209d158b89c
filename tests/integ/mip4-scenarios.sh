#!/bin/sh
# mip4-scenarios: the Mobile IPv4 scenarios run with `roam run` and pass
# (exit 0, every rule of lua/rules/mip4.lua passing or not applicable):
# mip4-handoff (three handoffs, the latency split compared with the expected
# L2 gap + discovery + round trip), mip4-reverse in both modes (reverse
# tunnelling gets through the ingress filter, triangle routing does not),
# mip4-many (50 nodes, random waypoint); no ICMP Parameter Problem in any
# capture. Also checks that mip4-many carries
# an unchanged copy of lua/models/random_waypoint.lua.
. "$(dirname "$0")/lib.sh"
need_root
command -v python3 >/dev/null || { skip "$T" "needs python3 to read the JSON reports"; exit 0; }
S="$ROAM_TOP/lua/scenarios"

# run TAG SCENARIO [ARGS...]: roam run with a JSON report in $TMP/TAG.json
run() {
	tag=$1; scn=$2; shift 2
	"$ROAM" run "$S/$scn" --out "$OUT/$tag" --name "$(uniq_name "$tag")" \
		--report "json:$TMP/$tag.json" "$@" >"$TMP/$tag.out" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then pass "$tag"
	else fail "$tag" "exit $rc: $(grep -E 'check failed|FAIL|ERR|error' "$TMP/$tag.out" | head -n 4 | tr '\n' ' ')"; fi
}

# report TAG PYTHON: assertions on the JSON report r (rules, handoffs)
report() {
	python3 - "$TMP/$1.json" >"$TMP/$1.py.out" 2>&1 <<PY
import json, sys
r = json.load(open(sys.argv[1]))
bad = [x["id"] for x in r["rules"] if x["verdict"] not in ("pass", "na")]
assert not bad, f"rules not passing: {bad}"
$2
PY
	[ $? -eq 0 ] && pass "$1.report" || fail "$1.report" "$(tail -n 2 "$TMP/$1.py.out" | tr '\n' ' ')"
}

run handoff mip4-handoff.lua
report handoff '
h = r["handoffs"]
assert len(h) == 3, "%d handoffs, expected 3" % len(h)
for x in h:
    p, to = x["phases"], x["to"]
    reg = p["home_registration"] if "home_registration" in p else p["home_deregistration"]
    assert reg is not None, "no registration measured for " + to
    assert 0.045 < p["l2_gap"] < 0.1, "l2 gap %s" % p["l2_gap"]
    expected = p["l2_gap"] + 0.001 + 0.005      # L2 gap + solicited discovery + round trip
    parts = p["l2_gap"] + p["movement_detection"] + p["address_configuration"] + reg
    assert parts < expected + 0.05, "handoff to %s: %.1f ms vs expected about %.0f ms" % (to, parts * 1000, expected * 1000)
    print("%s: %.1f ms, expected about %.0f ms" % (to, parts * 1000, expected * 1000))
'
grep -q "expected handoff to cell1" "$TMP/handoff.out" && pass handoff.log || fail handoff.log "no expected figure in the log"

no_stale_router handoff.stale-router "$OUT/handoff" cell1 cell2
run reverse mip4-reverse.lua
report reverse 'assert any(x["id"] == "mip4.rt.leak" and x["verdict"] == "pass" for x in r["rules"]), "mip4.rt.leak did not pass"'
run triangle mip4-reverse.lua --set reverse_tunnel=no
grep -q "triangle routing: the filter drops" "$TMP/triangle.out" 2>/dev/null ||
	grep -q "ping mn1 -> cn through the ingress filter: no answer" "$TMP/triangle.out" &&
	pass triangle.blocked || fail triangle.blocked "the ingress filter did not stop triangle routing"

run many mip4-many.lua
report many 'assert len(r["handoffs"]) >= 50, "only %d handoffs" % len(r["handoffs"])'

a=$(sed -n '/^-- BEGIN random_waypoint/,/^-- END random_waypoint/p' "$ROAM_TOP/lua/models/random_waypoint.lua")
b=$(sed -n '/^-- BEGIN random_waypoint/,/^-- END random_waypoint/p' "$S/mip4-many.lua")
[ -n "$a" ] && [ "$a" = "$b" ] && pass model-copy || fail model-copy "mip4-many.lua's random_waypoint differs from lua/models/random_waypoint.lua"
no_param_problem icmp-param-problem
finish
