#!/bin/sh
# roam run: the demo scenario passes with its flow measured; a failing check
# exits 1, a scenario error 2 with file:line; the run folder checks offline.
. "$(dirname "$0")/lib.sh"
need_root
out="$OUT/demo"
"$ROAM" run "$ROAM_TOP/lua/scenarios/two-cells-move.lua" --seed 3 --out "$out" --name "$(uniq_name demo)" \
	--report "json:$TMP/report.json" >"$TMP/demo.out" 2>&1; rc=$?
[ $rc -eq 0 ] && pass demo || fail demo "exit $rc: $(tail -n 5 "$TMP/demo.out")"
if [ -f "$out/flow-1.json" ]; then
	python3 - "$out/flow-1.json" >"$TMP/flow.out" 2>&1 <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["flows"][0]
assert f["received"] >= 1900, f"received {f['received']} of 2000"
assert f["interruption"]["gap"] < 0.5, f"interruption {f['interruption']['gap']} s for a 50 ms handoff gap"
PY
	[ $? -eq 0 ] && pass demo-flow || fail demo-flow "$(cat "$TMP/flow.out")"
else
	fail demo-flow "no flow-1.json in $out"
fi
grep -q '"type":"l2_up"' "$out/events.jsonl" 2>/dev/null && pass demo-events || fail demo-events "no l2_up in the event log"
python3 -m json.tool "$TMP/report.json" >/dev/null 2>&1 && pass demo-report || fail demo-report "--report json: not valid JSON"
"$ROAM" check "$out" "$ROAM_TOP/lua/rules/ip.lua" "$ROAM_TOP/lua/rules/nd.lua" >"$TMP/check.out" 2>&1; rc=$?
[ $rc -eq 0 ] && pass demo-check || fail demo-check "roam check exit $rc: $(grep -E 'FAIL|ERROR' "$TMP/check.out" | head -3)"

"$ROAM" run "$ROAM_TOP/tests/integ/scn/fails.lua" --out "$OUT/fails" >"$TMP/f.out" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q "fails.lua:5" "$TMP/f.out" && pass failing-check || fail failing-check "exit $rc: $(tail -n 3 "$TMP/f.out")"
"$ROAM" run "$ROAM_TOP/tests/integ/scn/error.lua" --out "$OUT/error" >"$TMP/e.out" 2>&1; rc=$?
[ $rc -eq 2 ] && grep -q "error.lua:4" "$TMP/e.out" && pass scenario-error || fail scenario-error "exit $rc: $(tail -n 3 "$TMP/e.out")"
"$ROAM" run "$ROAM_TOP/tests/integ/scn/craft.lua" --out "$OUT/craft" >"$TMP/c.out" 2>&1; rc=$?
[ $rc -eq 0 ] && pass craft-send-expect || fail craft-send-expect "exit $rc: $(tail -n 4 "$TMP/c.out")"
printf 'scenario { topology = "nope.lua" }\n' >"$TMP/badtopo.lua"
"$ROAM" run "$TMP/badtopo.lua" >"$TMP/b.out" 2>&1; rc=$?
[ $rc -eq 2 ] && pass missing-topology || fail missing-topology "exit $rc: $(tail -n 3 "$TMP/b.out")"
finish
