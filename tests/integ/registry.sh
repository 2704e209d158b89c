#!/bin/sh
# The run registry survives SIGKILL: a record is live exactly while its
# orchestrator holds the lock on it, so after kill -9 the same name comes
# up again at once, 20 times over, and nothing is left behind (processes,
# namespaces, interfaces, records). A process inside a run (another pid
# namespace) sees the run live and never prunes it.
. "$(dirname "$0")/lib.sh"
need_root
P="$ROAM_TOP/tests/integ/topo/pair.lua"
export ROAM_RUNDIR="$TMP/rundir"
root_links() { ip -o link show | awk -F': ' '{print $2}' | sort | tr '\n' ' '; }
state() { echo "$ROAM_RUNDIR/$1/state"; }
alive() { [ -r "/proc/$1/stat" ] && ! sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | grep -q '^[ZX]'; }
before=$(root_links)
n=$(uniq_name reuse)
pids="" nss="" bad=0
for i in $(seq 20); do
	if ! "$ROAM" up "$P" --name "$n" --out "$OUT/$n.$i" -d >"$TMP/up.out" 2>&1; then
		fail reuse-$i "round $i: roam up of a killed run's name: $(cat "$TMP/up.out" | tr '\n' ' ')"; bad=1; break
	fi
	op=$(sed -n 's/^pid //p' "$(state "$n")")
	pids="$pids $op $(sed -n 's/^init //p' "$(state "$n")")"
	nss="$nss $(readlink "/proc/$op/ns/net")"
	kill -9 "$op"
done
[ $bad -eq 0 ] && pass reuse-20
"$ROAM" up "$P" --name "$n" --out "$OUT/$n.last" -d >"$TMP/up.out" 2>&1 && pass reuse-after-20 ||
	fail reuse-after-20 "$(cat "$TMP/up.out" | tr '\n' ' ')"
op=$(sed -n 's/^pid //p' "$(state "$n")")
pids="$pids $op $(sed -n 's/^init //p' "$(state "$n")")"
nss="$nss $(readlink "/proc/$op/ns/net")"
# it is live: a process inside it (another pid namespace) sees it so, and does not prune it
in_node "$n" a "$ROAM" ls 2>&1 | grep -q "^$n " && pass live-from-inside ||
	fail live-from-inside "roam ls inside the run does not list it"
[ -e "$(state "$n")" ] && pass not-pruned-from-inside || fail not-pruned-from-inside "the record was pruned"
kill -9 "$op"
i=0
while [ $i -lt 100 ]; do
	left=""
	for p in $pids; do alive "$p" && left="$left $p"; done
	for ns in $nss; do
		for f in /proc/[0-9]*/ns/net; do [ "$(readlink "$f" 2>/dev/null)" = "$ns" ] && left="$left $ns"; done
	done
	[ -z "$left" ] && break
	i=$((i + 1)); sleep 0.1
done
[ -z "$left" ] && pass nothing-left || fail nothing-left "processes or namespaces remain: $left"
[ "$(root_links)" = "$before" ] && pass no-interfaces-left || fail no-interfaces-left "root links changed"
"$ROAM" ls | grep -q "^$n " && fail ls-pruned "roam ls lists a killed run" || pass ls-pruned
[ -z "$(ls -A "$ROAM_RUNDIR")" ] && pass no-records-left || fail no-records-left "records remain: $(ls -A "$ROAM_RUNDIR")"
RUNS=""
finish
