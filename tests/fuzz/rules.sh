#!/bin/sh
# rules.sh — the rule fuzz: every golden pcap (captures/golden) and every
# foreign capture (tests/foreign) is mutated (bit flips, cuts by a snap
# length: tests/fuzz/mutate.py, seeded) and checked with every rule set in
# lua/rules. No rule may raise a Lua error (verdict `error`), and roam check
# must end with 0 or 1. One PASS line, or a FAIL line per erring rule with
# its message and the command that replays the case.
# RULE_FUZZ_ROUNDS (default 1) random mutations of each capture (seeds 1..N),
# after the structural one (seed 0, see mutate.py).
GOLDEN_NAME=rulefuzz
. "$(dirname "$0")/../golden/golden.lib"
out=$(mktemp -d /tmp/roam-rulefuzz.XXXXXX)
trap 'rm -rf "$out"' EXIT
rounds=${RULE_FUZZ_ROUNDS:-1}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
[ -n "$PY" ] || { echo "SKIP fuzz.rules: python3 is not installed"; exit 0; }
sets=$(ls lua/rules/*.lua | tr '\n' ' ')
caps=$(ls captures/golden/*.pcap; find tests/foreign -name '*.pcap' | sort)
n=0
s=0
while [ $s -le $rounds ]; do
	mkdir -p "$out/m$s" "$out/r$s"
	# shellcheck disable=SC2086
	"$PY" tests/fuzz/mutate.py --batch "$out/m$s" "$s" $caps || { echo "FAIL fuzz.rules: mutate.py failed"; exit 0; }
	for m in "$out/m$s"/*.pcap; do
		b=$(basename "$m" .pcap)
		# shellcheck disable=SC2086
		$CHECK "$m" $sets --report json:"$out/r$s/$b.json" >/dev/null 2>"$out/err"
		rc=$?
		n=$((n + 1))
		[ $rc -le 1 ] || echo "FAIL fuzz.rules: roam check exit $rc on $b (seed $s): $(head -c 300 "$out/err")"
	done
	s=$((s + 1))
done
# one line per erring rule: its first message and the case that shows it
"$PY" - "$out" "$sets" "$n" <<'PY'
import glob, json, os, sys
out, sets, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
first, count = {}, {}
for f in sorted(glob.glob(os.path.join(out, "r*", "*.json"))):
    seed = os.path.basename(os.path.dirname(f))[1:]
    case = os.path.basename(f)[:-5].rsplit(".", 1)[0]
    case = case[:-5] if case.endswith(".pcap") else case
    for x in json.load(open(f))["rules"]:
        if x["verdict"] == "error":
            count[x["id"]] = count.get(x["id"], 0) + 1
            first.setdefault(x["id"], (case, seed, (x.get("note") or "")[:300]))
for rid, (case, seed, note) in sorted(first.items()):
    src = case.replace("captures_golden_", "captures/golden/").replace("tests_foreign_", "tests/foreign/")
    print("FAIL fuzz.rules.%s: a Lua error on %d of %d mutated captures: %s (replay: "
          "/usr/bin/python3 tests/fuzz/mutate.py %s.pcap /tmp/m.pcap %s && roam check /tmp/m.pcap %s)"
          % (rid, count[rid], n, note, src, seed, sets))
if not first:
    print("PASS fuzz.rules (%d mutated captures through every rule set, no rule error)" % n)
PY
