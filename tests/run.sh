#!/bin/sh
# Runs every test and prints one closing line: N passed, N failed, N skipped.
# Each test prints lines "PASS name", "FAIL name" or "SKIP name: reason".
# Usage: tests/run.sh [unit|integ|golden|fuzz]...  (default: all)
cd "$(dirname "$0")/.."
ROAM_TOP=$(pwd); export ROAM_TOP
log=$(mktemp /tmp/roam-tests.XXXXXX)
trap 'rm -f "$log"' EXIT
groups=${*:-"unit golden integ fuzz"}
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1; export ASAN_OPTIONS
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1; export UBSAN_OPTIONS

runone() { # name command...
	name=$1; shift
	one=$(mktemp /tmp/roam-test.XXXXXX)
	"$@" >"$one" 2>&1 </dev/null; rc=$?
	grep -E '^(PASS|FAIL|SKIP) ' "$one" >>"$log"
	bad=0
	grep -q '^FAIL ' "$one" && bad=1
	if [ $rc -ne 0 ] && [ $bad -eq 0 ]; then
		echo "FAIL $name: exit status $rc" >>"$log"; bad=1
	elif ! grep -qE '^(PASS|FAIL|SKIP) ' "$one"; then
		echo "FAIL $name: printed no verdict" >>"$log"; bad=1
	fi
	if [ $bad -eq 1 ]; then
		echo "--- $name (exit $rc)"; tail -n 60 "$one"
	else
		grep -E '^SKIP ' "$one"
		grep -cE '^PASS ' "$one" | sed "s/^/$name: /; s/$/ passed/"
	fi
	rm -f "$one"
}

for g in $groups; do
	case $g in
	unit)
		for t in build/asan/tests/test_*; do
			[ -x "$t" ] || continue
			runone "$(basename "$t")" "$t"
		done ;;
	golden|integ|fuzz)
		for t in tests/$g/*.sh; do
			[ -f "$t" ] || continue
			[ "$(basename "$t")" = lib.sh ] && continue	# sourced by the others
			runone "$g.$(basename "$t" .sh)" sh "$t"
		done ;;
	esac
done
grep -E '^(PASS|FAIL|SKIP) ' "$log" | grep -E '^FAIL' || true
p=$(grep -c '^PASS ' "$log"); f=$(grep -c '^FAIL ' "$log"); s=$(grep -c '^SKIP ' "$log")
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
