#!/bin/sh
# tshark decodes every Mobile IPv4 registration message and agent
# advertisement/solicitation roam's daemons send, with no malformed field and
# no expert warning (a handoff run home -> FA1 -> FA2 -> home).
. "$(dirname "$0")/lib.sh"
need_root
command -v tshark >/dev/null || { skip "$T" "tshark is not installed"; exit 0; }
out="$OUT/mip4"
"$ROAM" run "$ROAM_TOP/lua/scenarios/mip4-handoff.lua" --out "$out" --name "t$$-m4t" >"$TMP/run.log" 2>&1 ||
	fail run "roam run mip4-handoff: $(tail -n 3 "$TMP/run.log" | tr '\n' ' ')"
total=0
for p in "$out"/*.pcap; do
	n=$(basename "$p" .pcap)
	msgs=$(tshark -r "$p" -Y 'mip || icmp.type == 9 || icmp.type == 10' 2>/dev/null | wc -l)
	total=$((total + msgs))
	bad=$(tshark -r "$p" -Y '(mip || icmp.type == 9 || icmp.type == 10) && (_ws.malformed || _ws.expert.severity >= warning)' \
		-T fields -e frame.number -e _ws.expert.message 2>/dev/null | head -n 3 | tr '\n' ' ')
	[ -z "$bad" ] && pass "$n" || fail "$n" "tshark flags frames: $bad"
done
[ "$total" -gt 20 ] && pass messages-seen || fail messages-seen "only $total registration/advertisement frames in the captures"
finish
