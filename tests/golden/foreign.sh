#!/bin/sh
# foreign.sh — captures roam did not make (tests/foreign): each
# tests/foreign/expect/NAME.expect names a capture (a pcap or a folder of
# pcaps), the rule sets, optional `role ROLE=ADDR` lines, and `rule verdict`
# lines reviewed by hand against the RFC. `roam check` must give exactly
# those verdicts; with `strict`, every rule of the sets must be listed; and
# no rule may end in `error` on any capture. Then, when /usr/bin/python3 has
# scapy, tests/foreign/gen.py must write the committed pcaps again.
GOLDEN_NAME=foreign
. "$(dirname "$0")/golden.lib"
out=$(mktemp -d /tmp/roam-foreign.XXXXXX)
trap 'rm -rf "$out"' EXIT
F=tests/foreign

for e in "$F"/expect/*.expect; do
	name=$(basename "$e" .expect)
	cap=$(awk '$1 == "capture" { print $2 }' "$e")
	rules=$(awk '$1 == "rules" { $1 = ""; print }' "$e")
	roles=$(awk '$1 == "role" { printf " --role %s", $2 }' "$e")
	strict=$(awk '$1 == "strict" { print "yes" }' "$e")
	if [ ! -e "$F/$cap" ]; then echo "FAIL golden.foreign.$name: no capture $F/$cap"; continue; fi
	# shellcheck disable=SC2086
	$CHECK "$F/$cap" $rules $roles >"$out/$name.txt" 2>"$out/$name.err"
	rc=$?
	if [ $rc -ge 2 ]; then
		echo "FAIL golden.foreign.$name: roam check exit $rc: $(head -c 300 "$out/$name.err")"
		continue
	fi
	awk '$1 ~ /^(PASS|FAIL|N\/A|ERR)$/ { v = $1; if (v == "N/A") v = "na"; else if (v == "ERR") v = "error"; else v = tolower(v); print $2, v }' \
		"$out/$name.txt" >"$out/$name.seen"
	grep -vE '^(#|capture |rules |role |strict|$)' "$e" | awk '{ print $1, $2 }' >"$out/$name.want"
	bad=$(awk -v strict="$strict" '
		NR == FNR { want[$1] = $2; next }
		{ seen[$1] = $2
		  if ($2 == "error") printf " %s: a rule error;", $1
		  else if ($1 in want) { if (want[$1] != $2) printf " %s: expected %s vs seen %s;", $1, want[$1], $2 }
		  else if (strict == "yes") printf " %s: %s but not in the expect file;", $1, $2 }
		END { for (r in want) if (!(r in seen)) printf " %s: expected %s vs seen nothing (no such rule);", r, want[r] }
	' "$out/$name.want" "$out/$name.seen")
	if [ -z "$bad" ]; then echo "PASS golden.foreign.$name"; else echo "FAIL golden.foreign.$name:$bad"; fi
done

if /usr/bin/python3 -c 'import scapy.all' >/dev/null 2>&1; then
	if /usr/bin/python3 "$F/gen.py" "$out/regen" >"$out/gen.err" 2>&1; then
		d=$(cd "$out/regen" && find . -name '*.pcap' | sort | while read -r p; do
			cmp -s "$p" "$ROAM_TOP/$F/scapy/$p" || echo "$p"; done)
		[ -z "$d" ] && echo "PASS golden.foreign.regen" || echo "FAIL golden.foreign.regen: gen.py writes different pcaps:$(echo $d)"
	else
		echo "FAIL golden.foreign.regen: gen.py: $(tail -c 300 "$out/gen.err")"
	fi
else
	echo "SKIP golden.foreign.regen: /usr/bin/python3 has no scapy (the committed pcaps are used)"
fi
