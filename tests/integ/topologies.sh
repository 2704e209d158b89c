#!/bin/sh
# Every shipped topology builds, and traffic crosses it end to end over
# IPv4 and IPv6; roam -n of each prints a topology that loads again the same.
. "$(dirname "$0")/lib.sh"
need_root
TOP="$ROAM_TOP/topologies"

# addr NAME NODE FAMILY: the address of the node's first interface (from roam -n
# would need parsing; ask the node itself)
addr() { in_node "$1" "$2" ip -o "-$3" addr show scope global | awk '{print $4}' | head -1 | cut -d/ -f1; }
reach() { # case run from to
	for fam in 4 6; do
		a=$(addr "$2" "$4" $fam)
		if [ -z "$a" ]; then fail "$1-v$fam" "node $4 has no global IPv$fam address"; continue; fi
		if in_node "$2" "$3" ping -$fam -c 2 -i 0.2 -W 2 "$a" >"$TMP/ping.out" 2>&1; then pass "$1-v$fam"
		else fail "$1-v$fam" "$3 cannot reach $4 at $a: $(tail -n 2 "$TMP/ping.out" | tr '\n' ' ')"; fi
	done
}

n=$(uniq_name star); up "$n" "$TOP/star.lua" --set n=5 >/dev/null 2>&1 || fail star-up "roam up star.lua failed"
reach star "$n" h1 h5; down "$n"
n=$(uniq_name line); up "$n" "$TOP/line.lua" --set n=4 >/dev/null 2>&1 || fail line-up "roam up line.lua failed"
reach line "$n" a b; down "$n"
n=$(uniq_name twocells); up "$n" "$TOP/two-cells.lua" >/dev/null 2>&1 || fail two-cells-up "roam up two-cells.lua failed"
reach two-cells "$n" sta srv; down "$n"
n=$(uniq_name cells); up "$n" "$TOP/cells.lua" --set stations=12 --set cells=3 >/dev/null 2>&1 || fail cells-up "roam up cells.lua failed"
reach cells-s1-s3 "$n" s1 s3; down "$n"

for f in "$TOP"/*.lua; do
	b=$(basename "$f" .lua)
	if "$ROAM" -n "$f" >"$TMP/$b.1.lua" 2>"$TMP/err" && "$ROAM" -n "$TMP/$b.1.lua" >"$TMP/$b.2.lua" 2>>"$TMP/err" &&
		cmp -s "$TMP/$b.1.lua" "$TMP/$b.2.lua"; then pass "print-$b"
	else fail "print-$b" "roam -n output does not load back identically: $(head -c 300 "$TMP/err")"; fi
done
finish
