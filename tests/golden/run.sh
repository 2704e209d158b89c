#!/bin/sh
# run.sh — the golden regression of the conformance engine: every line of
# captures/golden/TESTLIST is checked and its verdicts compared, one
# PASS/FAIL line each. Also checks that the generator still writes the same
# pcaps (a changed generator must update captures/golden).
GOLDEN_NAME=run
. "$(dirname "$0")/golden.lib"
out=$(mktemp -d /tmp/roam-golden.XXXXXX)
trap 'rm -rf "$out"' EXIT
G=captures/golden

grep -v '^#' $G/TESTLIST | while read -r name pcap rules expected; do
	[ -n "$name" ] || continue
	set -- $(echo "$rules" | tr ',' ' ')
	$CHECK "$G/$pcap" "$@" >"$out/$name.txt" 2>"$out/$name.err"
	rc=$?
	if [ $rc -ge 2 ]; then
		echo "FAIL golden.$name: roam check exit $rc: $(head -c 300 "$out/$name.err")"
		continue
	fi
	bad=""
	for ev in $(echo "$expected" | tr ',' ' '); do
		id=${ev%%=*}; want=${ev#*=}
		got=$(awk -v id="$id" '$2 == id && $1 ~ /^(PASS|FAIL|N\/A|ERR)$/ {
			v = $1; if (v == "N/A") v = "na"; else if (v == "ERR") v = "error"; else v = tolower(v);
			print v; exit }' "$out/$name.txt")
		[ "$got" = "$want" ] || bad="$bad $id: expected $want vs seen ${got:-nothing};"
	done
	want_rc=0
	echo "$expected" | grep -qE '=(fail|error)' && want_rc=1	# a rule error fails the check too
	[ $rc -eq $want_rc ] || bad="$bad exit status: expected $want_rc vs seen $rc;"
	if [ -z "$bad" ]; then echo "PASS golden.$name"; else echo "FAIL golden.$name:$bad"; fi
done

mkdir -p "$out/regen"
if "$GEN" golden "$out/regen" 2>/dev/null; then
	diff=""
	for f in "$out"/regen/*.pcap; do
		cmp -s "$f" "$G/$(basename "$f")" || diff="$diff $(basename "$f")"
	done
	if [ -z "$diff" ]; then echo "PASS golden.generator"; else echo "FAIL golden.generator: pcaps differ from captures/golden:$diff"; fi
fi
