#!/bin/sh
# mip4-colocated: lua/scenarios/mip4-colocated.lua passes with `roam run`
# (exit 0: every check() held): a mobile node with a co-located care-of
# address, home -> cell1 -> home, cn's pings answered at each step; run in
# triangle mode and with reverse tunnelling done by the node itself.
. "$(dirname "$0")/lib.sh"
need_root
S="$ROAM_TOP/lua/scenarios/mip4-colocated.lua"

run() { # TAG [ARGS...]
	tag=$1; shift
	"$ROAM" run "$S" --out "$OUT/$tag" --name "$(uniq_name "$tag")" "$@" \
		>"$TMP/$tag.out" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then pass "$tag"
	else fail "$tag" "exit $rc: $(grep -E 'check failed|FAIL|ERR|error' "$TMP/$tag.out" | head -n 4 | tr '\n' ' ')"; fi
}

run colocated
run colocated-rt --set reverse_tunnel=yes
no_param_problem icmp-param-problem
finish
