#!/bin/sh
# Lifecycle: up, ls, exec, down; nothing outlives a run after down, SIGINT,
# SIGTERM, SIGKILL of the orchestrator, or a node program crashing; two runs
# at once; missing privileges; bad input.
. "$(dirname "$0")/lib.sh"
need_root
P="$ROAM_TOP/tests/integ/topo/pair.lua"

root_links() { ip -o link show | awk -F': ' '{print $2}' | sort | tr '\n' ' '; }
# a run's processes (the orchestrator and its pid namespace's init) and
# network namespaces (the fabric's and every node's, held by descriptors
# of the orchestrator), from its record
state() { echo "${ROAM_RUNDIR:-/run/roam}/$1/state"; }
orch_pid() { sed -n 's/^pid //p' "$(state "$1")"; }
run_pids() { sed -n 's/^init //p; s/^pid //p' "$(state "$1")"; }
run_ns() {
	_op=$(orch_pid "$1")
	{ readlink "/proc/$_op/ns/net"
	  for fd in $(sed -n 's/^node [^ ]* //p' "$(state "$1")"); do readlink "/proc/$_op/fd/$fd"; done
	} 2>/dev/null | sort -u
}
# true when none of the pids is alive and no process is in any of the namespaces
# a process that has exited but is not reaped yet (state Z) holds nothing
alive() { [ -r "/proc/$1/stat" ] && ! sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | grep -q '^[ZX]'; }
all_gone() { # "pids" "namespaces"
	for p in $1; do alive "$p" && return 1; done
	for n in $2; do
		for f in /proc/[0-9]*/ns/net; do
			[ "$(readlink "$f" 2>/dev/null)" = "$n" ] && return 1
		done
	done
	return 0
}
wait_gone() { i=0; while ! all_gone "$1" "$2"; do i=$((i + 1)); [ $i -gt 100 ] && return 1; sleep 0.05; done; }

before=$(root_links)

# up, ls, exec, exit status, down
n=$(uniq_name up)
if up "$n" "$P" >"$TMP/up.out" 2>&1; then pass up; else fail up "roam up -d failed: $(cat "$TMP/up.out")"; fi
check ls "roam ls lists the run" sh -c "'$ROAM' ls | grep -q '^$n '"
check ping "a pings b" in_node "$n" a ping -c 2 -W 2 -i 0.2 10.9.0.2
in_node "$n" a sh -c 'exit 7'; rc=$?
[ $rc -eq 7 ] && pass exec-status || fail exec-status "roam exec passed through $rc, expected 7"
in_node "$n" nosuch true 2>/dev/null; rc=$?
[ $rc -eq 2 ] && pass exec-unknown-node || fail exec-unknown-node "exit $rc, expected 2"
pids=$(run_pids "$n"); nss=$(run_ns "$n")
[ -n "$nss" ] && [ "$(echo "$nss" | wc -l)" -eq 3 ] && ! echo "$nss" | grep -q "$(readlink /proc/self/ns/net)" &&
	pass namespaces || fail namespaces "expected 3 distinct namespaces of the run (the fabric, a, b), saw: $nss"
down "$n"
if wait_gone "$pids" "$nss" && [ "$(root_links)" = "$before" ]; then pass down-clean
else fail down-clean "after roam down: processes or namespaces remain"; fi
"$ROAM" ls | grep -q "^$n " && fail down-ls "roam ls still lists $n" || pass down-ls

# SIGKILL of the orchestrator
n=$(uniq_name kill9)
up "$n" "$P" >/dev/null 2>&1
pids=$(run_pids "$n"); nss=$(run_ns "$n")
kill -9 "$(orch_pid "$n")"
if wait_gone "$pids" "$nss" && [ "$(root_links)" = "$before" ]; then pass kill9-clean
else fail kill9-clean "after kill -9 of the orchestrator: processes or namespaces remain"; fi
"$ROAM" ls | grep -q "^$n " && fail kill9-pruned "roam ls lists a dead run" || pass kill9-pruned

# SIGINT and SIGTERM of a foreground run
for sig in INT TERM; do
	n=$(uniq_name sig$sig)
	"$ROAM" up "$P" --name "$n" --out "$OUT/$n" >"$TMP/fg.out" 2>&1 &
	fg=$!
	i=0; while [ ! -S "${ROAM_RUNDIR:-/run/roam}/$n/ctl" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	sleep 0.2
	pids=$(run_pids "$n"); nss=$(run_ns "$n")
	kill -$sig $fg; wait $fg; rc=$?
	if [ $rc -eq 0 ] && wait_gone "$pids" "$nss" && [ "$(root_links)" = "$before" ]; then pass sig$sig-clean
	else fail sig$sig-clean "exit $rc after SIG$sig, or something remains: $(cat "$TMP/fg.out")"; fi
done

# a node's program crashing: reported, and nothing remains after down
n=$(uniq_name crash)
up "$n" "$ROAM_TOP/tests/integ/topo/crash.lua" >/dev/null 2>&1
sleep 0.8
pids=$(run_pids "$n"); nss=$(run_ns "$n")
grep -q '"proc_exit".*"signal":11' "$OUT/$n/events.jsonl" && pass crash-reported ||
	fail crash-reported "no proc_exit with signal 11 in the event log"
grep -q "killed by signal 11" "$OUT/$n/roam.log" && pass crash-message ||
	fail crash-message "the orchestrator's log does not name the crash"
down "$n"
wait_gone "$pids" "$nss" && pass crash-clean || fail crash-clean "processes or namespaces remain"

# two runs at once, same topology
n1=$(uniq_name par1); n2=$(uniq_name par2)
up "$n1" "$P" >/dev/null 2>&1 & j1=$!
up "$n2" "$P" >/dev/null 2>&1 & j2=$!
wait $j1; r1=$?; wait $j2; r2=$?
if [ $r1 -eq 0 ] && [ $r2 -eq 0 ] && in_node "$n1" a ping -c 1 -W 2 10.9.0.2 >/dev/null &&
	in_node "$n2" b ping -c 1 -W 2 10.9.0.1 >/dev/null; then pass parallel
else fail parallel "two runs of one topology collided ($r1, $r2)"; fi
down "$n1"; down "$n2"

# no privileges: exit 3, the missing piece named
if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$ROAM" up "$P" >"$TMP/np.out" 2>&1; rc=$?
	if [ $rc -eq 3 ] && grep -q "root" "$TMP/np.out" && grep -q CAP_NET_ADMIN "$TMP/np.out"; then pass no-privileges
	else fail no-privileges "exit $rc: $(cat "$TMP/np.out")"; fi
else
	skip no-privileges "setpriv (util-linux) is not installed"
fi

# bad input: exit 2 with file:line
printf 'return topology { name = "x", nodes = { node { "a" } }, links = { link { "a", "zz" } } }\n' >"$TMP/bad.lua"
"$ROAM" up "$TMP/bad.lua" --name "$(uniq_name bad)" >"$TMP/bad.out" 2>&1; rc=$?
if [ $rc -eq 2 ] && grep -q "bad.lua:1" "$TMP/bad.out"; then pass bad-topology
else fail bad-topology "exit $rc: $(cat "$TMP/bad.out")"; fi
"$ROAM" frobnicate >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && pass bad-usage || fail bad-usage "exit $rc, expected 2"
[ "$(root_links)" = "$before" ] && pass root-namespace-untouched ||
	fail root-namespace-untouched "root namespace links changed: $before -> $(root_links)"
finish
