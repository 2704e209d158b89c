#!/bin/sh
# Every decoder fuzz target for 15 seconds, then its regression inputs.
# PASS/FAIL per target; SKIP with the reason when clang or libFuzzer is missing.
cd "$(dirname "$0")/../.." || exit 2
exec sh fuzz/run.sh "${FUZZ_SECONDS:-15}"
