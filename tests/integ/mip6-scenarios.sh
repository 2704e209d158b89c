#!/bin/sh
# mip6-scenarios: runs the Mobile IPv6 scenarios (lua/scenarios/mip6-*.lua
# but the active tests and attacks, which have their own test) end to end:
# each must exit 0, i.e. its checks hold and its captures pass every rule
# of lua/rules/mip6.lua. Also: in mip6-ro the route-optimisation rules
# applied (the path change is in the captures), in mip6-home the Binding
# Error rules applied, in mip6-cn-mobile route optimisation between the two
# mobile nodes; mip6-many runs for 10 s (--set secs=10). No capture of any
# of them holds an ICMPv6 Parameter Problem.
. "$(dirname "$0")/lib.sh"
need_root
command -v radvd >/dev/null || { skip "$T" "needs radvd on the access routers"; exit 0; }
command -v python3 >/dev/null || { skip "$T" "needs python3 to query control sockets"; exit 0; }

# run NAME: roam run of lua/scenarios/NAME.lua, output in $TMP/NAME.log
run() {
	_s=$1; shift
	"$ROAM" run "$ROAM_TOP/lua/scenarios/$_s.lua" --out "$OUT/$_s" --name "t$$-$_s" "$@" >"$TMP/$_s.log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then pass "$_s"; else
		fail "$_s" "exit $rc: $(grep -E '^(FAIL|ERR)|check failed|error' "$TMP/$_s.log" | head -n 4 | tr '\n' ' ')"
	fi
}
# applied NAME RULE: the rule passed (not n/a) in the run's report
applied() {
	if grep -q "^PASS $2 " "$TMP/$1.log"; then pass "$1.$2"; else
		fail "$1.$2" "expected PASS vs seen: $(grep " $2 " "$TMP/$1.log" | head -n 1)"
	fi
}

run mip6-handoff
applied mip6-handoff mip6.tun.ha
applied mip6-handoff mip6.rtun
no_stale_router mip6-handoff.stale-router "$OUT/mip6-handoff" cell1 cell2
run mip6-ro
applied mip6-ro mip6.ro.cn
applied mip6-ro mip6.ro.mn
applied mip6-ro mip6.bu.bad.auth
applied mip6-ro mip6.ba.bad
applied mip6-ro mip6.brr.answer
run mip6-home
applied mip6-home mip6.mn.na.home
applied mip6-home mip6.be.type
applied mip6-home mip6.be.hao
applied mip6-home mip6.bu.backoff.first
run mip6-cn-mobile
# route optimisation between the two mobile nodes, from the captures:
# authenticated BU and BA with a (mobile) correspondent, data both ways
applied mip6-cn-mobile mip6.bu.bad.auth
applied mip6-cn-mobile mip6.ba.bad
applied mip6-cn-mobile mip6.ro.cn
applied mip6-cn-mobile mip6.ro.mn
run mip6-many --set secs=10
applied mip6-many mip6.tun.ha
no_param_problem icmp-param-problem
finish
