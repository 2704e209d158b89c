#!/bin/sh
# Handoff phases predicted by lua/models/handoff.lua next to what the checker
# measures (docs/fidelity.md): lua/scenarios/fidelity.lua, 44 moves per run
# (the first a warm-up) across one-way delays of 5-50 ms on the home agent's
# link and the WAN:
#   mip4-fa, mip4-colocated      one run each (agent solicitation on link-up)
#   mip6-home                    RA intervals 30-70 ms and 50-150 ms
#   mip6-ro                      the same; every other move returns home
# Each run is checked (roam check --report junit) and the table printed by
# bench/fidelity_table.lua. About 10 minutes. FIDELITY_MOVES=N for fewer moves.
cd "$(dirname "$0")/.."
ROAM=bin/roam
[ -x "$ROAM" ] || { echo "fidelity: $ROAM is not built (make all)"; exit 0; }
command -v radvd >/dev/null || { echo "fidelity: radvd is missing (scripts/deps.sh)"; exit 0; }
moves=${FIDELITY_MOVES:-44}
out=${FIDELITY_OUT:-$(mktemp -d /tmp/roam-bench-fidelity.XXXXXX)}
keep=${FIDELITY_OUT:+1}
trap '[ -n "$keep" ] || rm -rf "$out"' EXIT
dirs=
run() { # label args...
	label=$1; shift
	d=$out/$label
	if ! $ROAM run lua/scenarios/fidelity.lua --set moves="$moves" "$@" --out "$d" \
		--name "fid-$label-$$" >"$d.log" 2>&1; then
		echo "fidelity: $label: roam run failed (see $d.log)"; tail -n 5 "$d.log"; return
	fi
	$ROAM check "$d" --report "junit:$d/check.xml" >/dev/null 2>&1
	dirs="$dirs $d"
}
run mip4-fa --set kind=mip4-fa
run mip4-colocated --set kind=mip4-colocated
run mip6-home-a --set kind=mip6-home --set ra_min=0.03 --set ra_max=0.07
run mip6-home-b --set kind=mip6-home --set ra_min=0.05 --set ra_max=0.15
run mip6-ro-a --set kind=mip6-ro --set ra_min=0.03 --set ra_max=0.07
run mip6-ro-b --set kind=mip6-ro --set ra_min=0.05 --set ra_max=0.15
# shellcheck disable=SC2086
lua5.4 bench/fidelity_table.lua $dirs
