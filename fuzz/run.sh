#!/bin/sh
# fuzz/run.sh [SECONDS] [TARGET...] — build every decoder fuzz target with
# clang -fsanitize=fuzzer,address,undefined straight from the sources into
# build/fuzz/, run each for SECONDS (default 60) from its seed corpus
# fuzz/corpus/<target>/, then replay every regression input in
# fuzz/regress/<target>/. Prints PASS/FAIL/SKIP per target; exit 1 on a FAIL.
# New inputs go to build/fuzz/work/<target>/ (not committed); a crash is
# written to build/fuzz/crash-<target>-*: fix it and keep the input in
# fuzz/regress/<target>/ under a name that says what it was.
# Seeds come from the unit test vectors:
#   ROAM_FUZZ_SEEDS=fuzz/corpus build/asan/tests/test_decode_mh   (and the others)
cd "$(dirname "$0")/.." || exit 2
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-$(ls fuzz/*.c | sed 's|fuzz/||; s|\.c$||' | tr '\n' ' ')}
CC=${FUZZ_CC:-clang}
out=build/fuzz
mkdir -p "$out"

if ! command -v "$CC" >/dev/null 2>&1; then
	for t in $targets; do echo "SKIP fuzz.$t: $CC not found"; done
	exit 0
fi
probe=$out/probe
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe.c"
if ! "$CC" -fsanitize=fuzzer,address,undefined "$probe.c" -o "$probe" >"$probe.log" 2>&1; then
	for t in $targets; do echo "SKIP fuzz.$t: libFuzzer not available ($(head -n 1 "$probe.log"))"; done
	exit 0
fi

CFLAGS="-std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Iharness -Inodes/common"
# the decoders without the file reader and the CLI (no libpcap in the targets)
DEC_SRC=$(ls harness/decode/*.c | grep -v -e /pcap.c -e /cli.c)
LIBS=$(pkg-config --cflags --libs libnl-route-3.0 libnl-3.0 libcrypto 2>/dev/null)
fail=0
for t in $targets; do
	bin=$out/$t
	# a target names the sources it needs on a line "fuzz-src: FILE..."
	# (a node daemon's parsers, with the node library); by default the
	# harness's decoders
	own=$(sed -n 's/.*fuzz-src: *\([^*]*\).*/\1/p' "fuzz/$t.c")
	if [ -n "$own" ]; then
		SRC="$own $(ls nodes/common/*.c)"; XL="$LIBS -lm"
	else
		SRC=$DEC_SRC; XL=""
	fi
	if ! $CC $CFLAGS $SRC "fuzz/$t.c" -o "$bin" $XL >"$out/$t.build.log" 2>&1; then
		echo "FAIL fuzz.$t: build failed: $(grep -m1 error "$out/$t.build.log")"
		fail=1; continue
	fi
	mkdir -p "$out/work/$t" "fuzz/corpus/$t"
	log=$out/$t.log
	if ! "$bin" "$out/work/$t" "fuzz/corpus/$t" -max_total_time="$secs" -timeout=5 \
	     -rss_limit_mb=1024 -artifact_prefix="$out/crash-$t-" -print_final_stats=1 >"$log" 2>&1; then
		echo "FAIL fuzz.$t: crash, see $log and $out/crash-$t-*"
		fail=1; continue
	fi
	runs=$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
	nreg=0
	if [ -d "fuzz/regress/$t" ] && [ -n "$(ls "fuzz/regress/$t")" ]; then
		nreg=$(ls "fuzz/regress/$t" | wc -l)
		if ! "$bin" -timeout=5 "fuzz/regress/$t"/* >"$out/$t.regress.log" 2>&1; then
			echo "FAIL fuzz.$t: a regression input crashes, see $out/$t.regress.log"
			fail=1; continue
		fi
	fi
	echo "PASS fuzz.$t: ${runs:-?} runs in ${secs}s, $nreg regression inputs clean"
done
exit $fail
