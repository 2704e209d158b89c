#!/bin/sh
# mip6-active: the Mobile IPv6 active conformance cases (lua/scenarios/mip6-active-*.lua,
# docs/mip6-active.md): crafted packets against roam's home agent and
# correspondent, with `roam run`; each must exit 0 (every check passed),
# and no daemon may have exited abnormally (events.jsonl: every proc_exit
# has status 0, signal 0).
. "$(dirname "$0")/lib.sh"
need_root
command -v perl >/dev/null || { skip "$T" "needs perl (the scenarios' control-socket client)"; exit 0; }
command -v radvd >/dev/null || { skip "$T" "needs radvd on the access routers"; exit 0; }

one() { # CASE SCENARIO [ARGS...]
	c=$1; s=$2; shift 2
	o="$TMP/$c"
	timeout 120 "$ROAM" run "$ROAM_TOP/lua/scenarios/$s.lua" --out "$o" --name "$(uniq_name "$c")" \
		"$@" >"$TMP/$c.log" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fail "$c" "roam run $s exited $rc: $(grep -E 'check failed|error|roam:' "$TMP/$c.log" | head -n 4 | tr '\n' ' ')"
		return
	fi
	bad=$(grep '"type":"proc_exit"' "$o/events.jsonl" | grep -v '"status":0,"signal":0' | head -n 2)
	if [ -n "$bad" ]; then
		fail "$c" "a daemon exited abnormally: $bad"
		return
	fi
	pass "$c"
}

one seq mip6-active-seq
one dereg mip6-active-dereg
one auth mip6-active-auth
one ha_nonce mip6-active-ha-nonce
one mh mip6-active-mh
finish
