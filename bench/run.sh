#!/bin/sh
# make bench: every benchmark, each figure printed next to its reference.
# Figures are not asserted; docs/PERFORMANCE.md records them.
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
	echo "roam bench: needs root (network namespaces)" >&2
	exit 3
fi
for b in bench/*.sh; do
	[ -f "$b" ] || continue
	[ "$b" = bench/run.sh ] && continue	# this script: running it again would recurse forever
	echo "== $b"
	sh "$b"
done
for b in build/rel/bench/*; do
	[ -x "$b" ] || continue
	echo "== $b"
	"$b"
done
