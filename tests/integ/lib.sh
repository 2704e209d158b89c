# lib.sh — shared by the integration tests: verdict lines, root check,
# detached runs that are always taken down.
# Each test sources it, then calls pass/fail/skip with a case name.
: "${ROAM_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
ROAM="$ROAM_TOP/bin/roam"
T=$(basename "$0" .sh)
TMP=$(mktemp -d /tmp/roam-integ.XXXXXX)
OUT="$TMP/out"
RUNS=""
nfail=0

pass() { echo "PASS integ.$T.$1"; }
fail() { echo "FAIL integ.$T.$1: $2"; nfail=$((nfail + 1)); }
skip() { echo "SKIP integ.$T.$1: $2"; }
check() { # name description command...
	_cn=$1; _cd=$2; shift 2
	if "$@" >"$TMP/check.out" 2>&1; then pass "$_cn"; else fail "$_cn" "$_cd: $(tail -n 5 "$TMP/check.out" | tr '\n' ' ')"; fi
}

cleanup() {
	for r in $RUNS; do "$ROAM" down "$r" >/dev/null 2>&1; done
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

need_root() {
	if [ "$(id -u)" != 0 ]; then skip "$T" "needs root (network namespaces)"; exit 0; fi
	if [ ! -x "$ROAM" ]; then fail "$T" "bin/roam is not built"; exit 1; fi
}

# up NAME TOPOLOGY [ARGS...]: a detached run, taken down at exit
up() {
	_un=$1; shift
	RUNS="$RUNS $_un"
	"$ROAM" up "$@" --name "$_un" --out "$OUT/$_un" -d
}
# in NAME NODE CMD...: a command inside a node
in_node() { _ir=$1; _in=$2; shift 2; "$ROAM" exec "$_ir" "$_in" -- "$@"; }
down() { "$ROAM" down "$1" >/dev/null; RUNS=$(echo "$RUNS" | sed "s/ $1\b//"); }
uniq_name() { echo "t$$-$1"; }
finish() { [ "$nfail" -eq 0 ]; exit $?; }
