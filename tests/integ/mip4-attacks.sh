#!/bin/sh
# mip4-attacks: the Mobile IPv4 attack scenarios (lua/scenarios/mip4-attack-*.lua,
# docs/mip4-attacks.md) against roam's daemons with `roam run`: each must
# exit 0 (every check passed: the attack failed), and no daemon may have
# exited abnormally (events.jsonl: every proc_exit has status 0, signal 0).
# The replay attack runs with both replay styles (timestamps, nonces).
. "$(dirname "$0")/lib.sh"
need_root
command -v perl >/dev/null || { skip "$T" "needs perl (the scenarios' control-socket client)"; exit 0; }

attack() { # CASE SCENARIO [ARGS...]
	c=$1; s=$2; shift 2
	o="$TMP/$c"
	timeout 90 "$ROAM" run "$ROAM_TOP/lua/scenarios/$s.lua" --out "$o" --name "$(uniq_name "$c")" \
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

attack replay mip4-attack-replay
attack replay_nonce mip4-attack-replay --set replay=nonce
attack forge mip4-attack-forge
attack rogue_fa mip4-attack-rogue-fa
attack flood mip4-attack-flood
attack malformed mip4-attack-malformed
finish
