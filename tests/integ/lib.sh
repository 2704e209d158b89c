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
# no_param_problem NAME: no ICMPv6 Parameter Problem (nor ICMPv4 type 12)
# in any capture under $OUT (the runs of a test of non-attack scenarios): a
# node that gets one was sent something it cannot parse (RFC 4443 §3.4);
# in roam's own exchanges that is a defect (issue 9: HoTIs to fe80::)
no_param_problem() {
	command -v tshark >/dev/null || { skip "$1" "needs tshark"; return; }
	_bad=""
	for _f in "$OUT"/*/*.pcap; do
		[ -f "$_f" ] || continue
		_n=$(tshark -r "$_f" -Y 'icmpv6.type == 4 || icmp.type == 12' 2>/dev/null | wc -l)
		[ "$_n" -eq 0 ] || _bad="$_bad ${_f#"$OUT"/}:$_n"
	done
	if [ -z "$_bad" ]; then pass "$1"; else fail "$1" "expected no ICMP Parameter Problem vs seen in:$_bad"; fi
}
# no_stale_router NAME DIR OLD NEW: after moving from cell OLD to cell NEW,
# the mobile node (the sender of BUs / registration requests on OLD) sends
# nothing on NEW to OLD's router or agent (the sender of RAs / agent
# advertisements there): carrier loss made it forget them (issue 8)
no_stale_router() {
	command -v tshark >/dev/null || { skip "$1" "needs tshark"; return; }
	_r=$(tshark -r "$2/$3.pcap" -Y 'icmpv6.type == 134 || icmp.type == 9' -T fields -e eth.src 2>/dev/null | head -n 1)
	_m=$(tshark -r "$2/$3.pcap" -Y 'mip6.bu.seqnr || mip.type == 1' -T fields -e eth.src 2>/dev/null | head -n 1)
	if [ -z "$_r" ] || [ -z "$_m" ]; then fail "$1" "expected a router and a mobile node on $3 vs router '$_r', node '$_m'"; return; fi
	_n=$(tshark -r "$2/$4.pcap" -Y "eth.src == $_m && eth.dst == $_r" 2>/dev/null | wc -l)
	if [ "$_n" -eq 0 ]; then pass "$1"; else fail "$1" "expected no frame from $_m to $3's router $_r on $4 vs $_n"; fi
}
