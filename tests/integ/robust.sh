#!/bin/sh
# Runs that fail loudly: hostile Lua (finalizers, loops that catch the
# watchdog, memory), signals that must end a run within a second, cut
# captures, node programs that end, two runs on one output folder, and the
# command line's bad input. Every case here ended in "passed", rc 0 or a
# hang before roam checked it.
. "$(dirname "$0")/lib.sh"
D="$ROAM_TOP/tests/integ/robust"
G="$ROAM_TOP/captures/golden/ip-good.pcap"
[ -x "$ROAM" ] || { fail "$T" "bin/roam is not built"; exit 1; }
export ROAM_RUNDIR="$TMP/rundir"	# runs of this test only

# expect NAME RC PATTERN TIMEOUT CMD...: exit RC within TIMEOUT s, output matching PATTERN
expect() {
	_n=$1 _rc=$2 _pat=$3 _to=$4; shift 4
	timeout -s KILL "$_to" "$@" >"$TMP/$_n.out" 2>&1; _got=$?
	if [ $_got -eq "$_rc" ] && grep -q -- "$_pat" "$TMP/$_n.out"; then pass "$_n"
	else fail "$_n" "exit $_got (expected $_rc, 137 = hung), output: $(head -c 400 "$TMP/$_n.out" | tr '\n' ' ')"; fi
}
# signal_within NAME SIG RC DELAY CMD...: CMD gets SIG after DELAY s and
# must exit RC within a second of it
signal_within() {
	_n=$1 _sig=$2 _rc=$3 _delay=$4; shift 4
	"$@" >"$TMP/$_n.out" 2>&1 &
	_p=$!
	sleep "$_delay"
	_t0=$(date +%s%N)
	kill -"$_sig" $_p
	( sleep 5; kill -KILL $_p 2>/dev/null ) & _w=$!
	wait $_p; _got=$?
	_ms=$(( ($(date +%s%N) - _t0) / 1000000 ))
	kill $_w 2>/dev/null
	if [ $_got -eq "$_rc" ] && [ $_ms -le 1000 ]; then pass "$_n"
	else fail "$_n" "exit $_got after $_ms ms (expected $_rc within 1000 ms): $(tail -n 3 "$TMP/$_n.out" | tr '\n' ' ')"; fi
}

# ---- Lua: topologies ----
expect topo-gc 2 "gc-topo.lua:3: setmetatable: a __gc finalizer is not allowed" 10 "$ROAM" -n "$D/gc-topo.lua"
expect topo-pcall-watchdog 2 "pcall-topo.lua:2: topology ran too long" 30 "$ROAM" -n "$D/pcall-topo.lua"
expect topo-error-table 2 "error-table.lua:3: error object is a table value" 10 "$ROAM" -n "$D/error-table.lua"
expect topo-error-nil 2 "error-nil.lua:3: error object is a nil value" 10 "$ROAM" -n "$D/error-nil.lua"

# ---- Lua: rules ----
export ROAM_CHECK_SECS=2
expect rule-load-loop 2 "watchdog" 20 "$ROAM" check "$G" "$D/rule-loadloop.lua"
expect rule-load-gc 2 "__gc finalizer is not allowed" 10 "$ROAM" check "$G" "$D/rule-gc.lua"
# a check() that runs away is that rule's error verdict (exit 1, the
# other rules still judged), not the end of the check
expect rule-check-loop 1 "rule error: watchdog: the check ran longer than 2" 20 "$ROAM" check "$G" "$D/rule-checkloop.lua"
expect rule-memory 1 "rule error: not enough memory" 60 "$ROAM" check "$G" "$D/rule-mem.lua"
unset ROAM_CHECK_SECS
signal_within check-sigterm TERM 4 1 "$ROAM" check "$G" "$D/rule-checkloop.lua"
signal_within check-sigint INT 4 1 "$ROAM" check "$G" "$D/rule-checkloop.lua"

# ---- cut captures are read up to their last whole record ----
head -c 1000 "$G" >"$TMP/cut.pcap"
: >"$TMP/empty.pcap"
expect check-cut 0 "warning: .*cut.pcap: cut inside record 9" 20 "$ROAM" check "$TMP/cut.pcap" ip.lua
expect decode-cut 0 "warning: .*cut.pcap: cut inside record 9" 20 "$ROAM" decode "$TMP/cut.pcap"
[ "$("$ROAM" decode "$TMP/cut.pcap" 2>/dev/null | wc -l)" -eq 8 ] && pass decode-cut-records ||
	fail decode-cut-records "expected the 8 whole records of the cut capture"
expect check-empty-pcap 0 "empty.pcap: 0 bytes, shorter than a pcap header" 20 "$ROAM" check "$TMP/empty.pcap" ip.lua
expect decode-empty-pcap 0 "empty.pcap: 0 bytes" 20 "$ROAM" decode "$TMP/empty.pcap"
mkdir -p "$TMP/cutrun" "$TMP/nopcap"
cp "$TMP/cut.pcap" "$TMP/cutrun/a-b.pcap"; cp "$TMP/empty.pcap" "$TMP/cutrun/c-d.pcap"
expect check-cut-folder 0 "c-d.pcap: 0 bytes" 20 "$ROAM" check "$TMP/cutrun" ip.lua
# UBSan: no NULL to qsort on a folder without captures
ASAN_ROAM="$ROAM_TOP/build/asan/bin/roam"
if [ -x "$ASAN_ROAM" ]; then
	UBSAN_OPTIONS=halt_on_error=1 expect check-no-pcaps-ubsan 2 "expected one <link>.pcap or more" 20 \
		"$ASAN_ROAM" check "$TMP/nopcap" ip.lua
else
	skip check-no-pcaps-ubsan "build/asan is not built (make asan)"
fi

# ---- the exit codes: the code's enum, roam(1) and roam-scenario(5) agree ----
codes=$(sed -n 's/^[[:space:]]*ROAM_EXIT_[A-Z]* = \([0-9]*\),.*/\1/p' "$ROAM_TOP/harness/orch.h" | sort -n | tr '\n' ' ')
for page in roam.1 roam-scenario.5; do
	documented=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH [^E]/p' "$ROAM_TOP/docs/$page" | sed -n 's/^\.B \([0-9]\)$/\1/p' | sort -n | tr '\n' ' ')
	[ -n "$codes" ] && [ "$codes" = "$documented" ] && pass exit-codes-$page ||
		fail exit-codes-$page "the code returns $codes, $page documents $documented"
done
"$ROAM" 2>&1 | grep -q "4 roam run interrupted" && pass exit-codes-usage || fail exit-codes-usage "usage does not list 4"

# ---- bad input on the command line: exit 2 ----
long=$(printf 'n%.0s' $(seq 64))
expect name-64 2 "expected 1-63 characters" 10 "$ROAM" up "$ROAM_TOP/tests/integ/topo/pair.lua" --name "$long"
expect seed-negative 2 "expected a whole number" 10 "$ROAM" up "$ROAM_TOP/tests/integ/topo/pair.lua" --seed -1
expect name-missing 2 "\-\-name: missing value" 10 "$ROAM" up "$ROAM_TOP/tests/integ/topo/pair.lua" --name
expect report-format-check 2 "expected FORMAT text|junit|tap|json" 10 "$ROAM" check "$G" ip.lua --report "xml:$TMP/r.xml"
expect report-format-run 2 "expected FORMAT" 10 "$ROAM" run "$ROAM_TOP/tests/integ/scn/idle.lua" --report "xml:$TMP/r.xml"
expect report-folder-run 2 "expected an existing folder" 10 "$ROAM" run "$ROAM_TOP/tests/integ/scn/idle.lua" \
	--report "json:$TMP/nosuch/r.json"
grep -q " up:" "$TMP/report-folder-run.out" && fail report-folder-early "the run was built before --report was refused" ||
	pass report-folder-early
expect scn-duration 2 "expected a time of at most" 10 "$ROAM" run "$D/scn-duration.lua"

need_root
cd "$D" || exit 1

# ---- a node's program that ends is a failed run ----
for c in "127:/nonexistent/prog:status 127" "3:exit 3:status 3" "9:kill -KILL \$\$:signal 9" "0:true:while the run expects it to serve"; do
	k=${c%%:*}; rest=${c#*:}; prog=${rest%%:*}; why=${rest#*:}
	expect node-ends-$k 1 "node a: .*$why" 30 "$ROAM" run "$ROAM_TOP/tests/integ/scn/idle.lua" --set "prog=$prog" \
		--out "$OUT/ends$k"
	grep -q "scenario passed" "$TMP/node-ends-$k.out" && fail node-ends-$k-verdict "the run says passed" ||
		pass node-ends-$k-verdict
done
expect node-serves 0 "scenario passed" 30 "$ROAM" run "$ROAM_TOP/tests/integ/scn/idle.lua" --out "$OUT/serves"
n=$(uniq_name dead)
up "$n" "$ROAM_TOP/tests/integ/topo/serve.lua" --set "prog=exit 3" >/dev/null 2>&1
sleep 0.5
"$ROAM" status "$n" 2>&1 | grep -q "^dead a: .*exited with status 3" && pass status-dead ||
	fail status-dead "roam status does not show the dead node: $("$ROAM" status "$n" 2>&1 | tr '\n' ' ')"
"$ROAM" ls | grep "^$n " | grep -q "DEAD a: exited with status 3" && pass ls-dead ||
	fail ls-dead "roam ls does not show the dead node: $("$ROAM" ls | tr '\n' ' ')"
"$ROAM" down "$n" >"$TMP/down.out" 2>&1; rc=$?; RUNS=$(echo "$RUNS" | sed "s/ $n\b//")
[ $rc -eq 1 ] && grep -q "a: exited with status 3" "$TMP/down.out" && pass down-dead ||
	fail down-dead "roam down: exit $rc (expected 1), $(cat "$TMP/down.out" | tr '\n' ' ')"

# ---- one output folder, one run ----
n1=$(uniq_name out1); n2=$(uniq_name out2)
RUNS="$RUNS $n1 $n2"
"$ROAM" up "$ROAM_TOP/tests/integ/topo/pair.lua" --name "$n1" --out "$OUT/shared" -d >"$TMP/o1.out" 2>&1 & j1=$!
"$ROAM" up "$ROAM_TOP/tests/integ/topo/pair.lua" --name "$n2" --out "$OUT/shared" -d >"$TMP/o2.out" 2>&1 & j2=$!
wait $j1; r1=$?; wait $j2; r2=$?
if [ $((r1 + r2)) -eq 2 ] && [ $r1 -eq 0 -o $r2 -eq 0 ] && grep -q "is in use by run t$$-out" "$TMP/o1.out" "$TMP/o2.out"; then
	pass out-claimed
else fail out-claimed "two runs on one --out: exits $r1 and $r2, expected 0 and 2 naming the holder: $(cat "$TMP/o1.out" "$TMP/o2.out" | tr '\n' ' ')"; fi
down "$n1" 2>/dev/null; down "$n2" 2>/dev/null
: >"$TMP/afile"
expect out-is-file 2 "expected a folder" 10 "$ROAM" up "$ROAM_TOP/tests/integ/topo/pair.lua" --name "$(uniq_name f)" --out "$TMP/afile"

# ---- Lua in a live run, and signals ----
expect scn-gc 2 "scn-gc.lua:3: setmetatable: a __gc finalizer is not allowed" 30 "$ROAM" run scn-gc.lua --out "$OUT/gc"
expect scn-watchdog 2 "scenario watchdog" 30 "$ROAM" run scn-dog.lua --out "$OUT/dog"
expect scn-nan 2 "expected finite coordinates" 30 "$ROAM" run scn-nan.lua --out "$OUT/nan"
expect scn-inf 2 "expected finite coordinates" 30 "$ROAM" run scn-inf.lua --out "$OUT/inf"
for sig in TERM INT; do
	n=$(uniq_name slow$sig)
	signal_within run-lua-sig$sig $sig 4 1.5 "$ROAM" run scn-slow.lua --name "$n" --out "$OUT/slow$sig"
	grep -q "interrupted" "$TMP/run-lua-sig$sig.out" && pass run-lua-sig$sig-said || fail run-lua-sig$sig-said "no \"interrupted\""
	[ -e "$ROAM_RUNDIR/$n" ] && fail run-lua-sig$sig-clean "the run's record remains" || pass run-lua-sig$sig-clean
done
signal_within run-idle-sigTERM TERM 4 1 "$ROAM" run "$ROAM_TOP/tests/integ/scn/idle.lua" --set duration=30 --out "$OUT/idle"
signal_within run-check-sigTERM TERM 4 2 "$ROAM" run scn-rules-loop.lua --out "$OUT/rules"
n=$(uniq_name rundown)
"$ROAM" run "$ROAM_TOP/tests/integ/scn/idle.lua" --set duration=30 --name "$n" --out "$OUT/rundown" >"$TMP/rundown.out" 2>&1 &
rp=$!
i=0; while [ ! -S "$ROAM_RUNDIR/$n/ctl" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
"$ROAM" down "$n" >/dev/null 2>&1
wait $rp; rc=$?
[ $rc -eq 4 ] && grep -q "interrupted" "$TMP/rundown.out" && pass run-down-interrupted ||
	fail run-down-interrupted "roam run ended by roam down: exit $rc, expected 4: $(tail -n 2 "$TMP/rundown.out" | tr '\n' ' ')"

# ---- roam move, roam position: bad values ----
n=$(uniq_name cli)
up "$n" "$ROAM_TOP/tests/integ/topo/cells.lua" >/dev/null 2>&1
expect position-nan 2 "expected" 10 "$ROAM" position "$n" s nan 0
expect position-inf 2 "expected" 10 "$ROAM" position "$n" s 0 inf
expect move-negative-gap 2 "expected a time between 0 and 60s" 10 "$ROAM" move "$n" s c2 -5s
expect move-huge-gap 2 "expected a time between 0 and 60s" 10 "$ROAM" move "$n" s c2 1e9s
grep -q "nan\|inf" "$OUT/$n/events.jsonl" && fail events-json "events.jsonl holds nan or inf" || pass events-json
down "$n"
finish
