#!/bin/sh
# The run registry survives SIGKILL: a record is live exactly while its
# orchestrator holds the lock on it, so after kill -9 the same name comes
# up again at once, 20 times over, and nothing is left behind (processes,
# namespaces, interfaces, records). A process inside a run (another pid
# namespace) sees the run live and never prunes it. The runs start where
# /proc/1 cannot be read, as in some containers and sandboxes: liveness
# must not depend on it.
. "$(dirname "$0")/lib.sh"
need_root
P="$ROAM_TOP/tests/integ/topo/pair.lua"
export ROAM_RUNDIR="$TMP/rundir"
# roam_up ARGS...: roam up in a mount namespace of its own where /proc/1 is hidden
roam_up() {
	unshare --mount --propagation private sh -c \
		'mount -t tmpfs -o size=4k roam-hide /proc/1 && ! readlink /proc/1/ns/pid >/dev/null 2>&1 && exec "$@"' \
		sh "$ROAM" up "$@"
}
root_links() { ip -o link show | awk -F': ' '{print $2}' | sort | tr '\n' ' '; }
state() { echo "$ROAM_RUNDIR/$1/state"; }
# the network namespaces of a run: its fabric's (the orchestrator's) and every node's
run_ns() {
	_op=$(sed -n 's/^pid //p' "$(state "$1")")
	{ readlink "/proc/$_op/ns/net"
	  for fd in $(sed -n 's/^node [^ ]* //p' "$(state "$1")"); do readlink "/proc/$_op/fd/$fd"; done
	} 2>/dev/null
}
before=$(root_links)
n=$(uniq_name reuse)
nss="" bad=0
for i in $(seq 20); do
	if ! roam_up "$P" --name "$n" --out "$OUT/$n.$i" -d >"$TMP/up.out" 2>&1; then
		fail reuse-$i "round $i: roam up of a killed run's name: $(cat "$TMP/up.out" | tr '\n' ' ')"; bad=1; break
	fi
	op=$(sed -n 's/^pid //p' "$(state "$n")")
	nss="$nss $(run_ns "$n")"
	kill -9 "$op"
done
[ $bad -eq 0 ] && pass reuse-20
roam_up "$P" --name "$n" --out "$OUT/$n.last" -d >"$TMP/up.out" 2>&1 && pass reuse-after-20 ||
	fail reuse-after-20 "$(cat "$TMP/up.out" | tr '\n' ' ')"
op=$(sed -n 's/^pid //p' "$(state "$n")")
nss="$nss $(run_ns "$n")"
# it is live: a process inside it (another pid namespace) sees it so, and does not prune it
in_node "$n" a "$ROAM" ls 2>&1 | grep -q "^$n " && pass live-from-inside ||
	fail live-from-inside "roam ls inside the run does not list it"
[ -e "$(state "$n")" ] && pass not-pruned-from-inside || fail not-pruned-from-inside "the record was pruned"
kill -9 "$op"
# every process of a run is in its fabric's or a node's network namespace:
# none left in any of them means none left (pids may be reused meanwhile)
i=0
while [ $i -lt 100 ]; do
	inuse=$(find /proc/[0-9]*/ns/net -maxdepth 0 -printf '%l\n' 2>/dev/null | sort -u)
	left=""
	for ns in $nss; do echo "$inuse" | grep -qx "$ns" && left="$left $ns"; done
	[ -z "$left" ] && break
	i=$((i + 1)); sleep 0.1
done
[ -z "$left" ] && pass nothing-left || fail nothing-left "processes remain in the namespaces $left"
[ "$(root_links)" = "$before" ] && pass no-interfaces-left || fail no-interfaces-left "root links changed"
"$ROAM" ls | grep -q "^$n " && fail ls-pruned "roam ls lists a killed run" || pass ls-pruned
[ -z "$(ls -A "$ROAM_RUNDIR")" ] && pass no-records-left || fail no-records-left "records remain: $(ls -A "$ROAM_RUNDIR")"
RUNS=""
finish
