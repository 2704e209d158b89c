#!/bin/sh
# rules.sh — rule files as input: every fixture in tests/rules. A bad-*.lua
# must be rejected with exit 2 and the message of its "-- expect:" line
# (file:line first); good-*.lua must load; err-*.lua hold a rule that raises
# a Lua error on a frame: that rule's verdict is `error` in every report
# format (text, JSON, JUnit, TAP), the rules after it still run, exit 1.
GOLDEN_NAME=rules
. "$(dirname "$0")/golden.lib"
out=$(mktemp -d /tmp/roam-rules.XXXXXX)
trap 'rm -rf "$out"' EXIT
PCAP=captures/golden/ip-good.pcap

for f in tests/rules/*.lua; do
	b=$(basename "$f" .lua)
	want=$(sed -n '1s/^-- expect: //p' "$f")
	$CHECK "$PCAP" "$f" --report text:"$out/$b.txt" --report json:"$out/$b.json" \
		--report junit:"$out/$b.xml" --report tap:"$out/$b.tap" >/dev/null 2>"$out/$b.err"
	rc=$?
	case $b in
	bad-*)
		if [ $rc -ne 2 ]; then echo "FAIL golden.rules.$b: expected exit 2 vs seen $rc"
		elif ! head -1 "$out/$b.err" | grep -qF "$want"; then
			echo "FAIL golden.rules.$b: expected \"$want\" vs seen \"$(head -1 "$out/$b.err")\""
		elif ! head -1 "$out/$b.err" | grep -q "^roam check: tests/rules/$b.lua:[0-9]*: "; then
			echo "FAIL golden.rules.$b: the message does not start with file:line: $(head -1 "$out/$b.err")"
		else echo "PASS golden.rules.$b"; fi ;;
	good-*)
		if [ $rc -le 1 ]; then echo "PASS golden.rules.$b"
		else echo "FAIL golden.rules.$b: exit $rc: $(head -c 300 "$out/$b.err")"; fi ;;
	err-*)
		bad=""
		[ $rc -eq 1 ] || bad="$bad exit: expected 1 vs seen $rc;"
		grep -q '^ERR  x.boom' "$out/$b.txt" || bad="$bad text: no ERR line for x.boom;"
		grep -q 'rule error while reading .* frame [0-9]*: .*attempt to perform arithmetic' "$out/$b.txt" ||
			bad="$bad text: the note does not name the frame and the Lua message;"
		grep -q '^PASS x.after' "$out/$b.txt" || bad="$bad text: the rule after the error did not run;"
		grep -q '"id":"x.boom"[^}]*"verdict":"error"' "$out/$b.json" || bad="$bad json: x.boom is not error;"
		grep -q '"error":1' "$out/$b.json" || bad="$bad json: summary error count is not 1;"
		grep -q '<error' "$out/$b.xml" || bad="$bad junit: no <error> element;"
		grep -q "verdict: 'error'" "$out/$b.tap" || bad="$bad tap: no verdict: 'error';"
		if [ -z "$bad" ]; then echo "PASS golden.rules.$b"; else echo "FAIL golden.rules.$b:$bad"; fi ;;
	esac
done
