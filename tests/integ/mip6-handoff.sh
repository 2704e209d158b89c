#!/bin/sh
# mip6-handoff: topologies/mip6.lua with one mobile node. At home; moved to
# cell1 (home registration with the RFC 4285 options, a ping from cn to the
# home address is tunnelled by ha and answered through the reverse tunnel);
# handoff to cell2; back home (deregistered, no binding left). Run twice:
# without route optimisation, then with it (return routability, the cn's
# binding, RH2 / HAO data, deregistration with the cn from home). tshark
# must decode every capture with no malformed field.
. "$(dirname "$0")/lib.sh"
need_root
command -v python3 >/dev/null || { skip "$T" "needs python3 to query control sockets"; exit 0; }
command -v radvd >/dev/null || { skip "$T" "needs radvd on the access routers"; exit 0; }

ctl() { # RUN NODE REQUEST: the control socket's answer
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode()); sys.stdout.write(s.makefile().read())' \
		"$OUT/$1/$2.ctl" "$3"
}
# wait_for RUN NODE REQUEST REGEX [SECONDS]
wait_for() {
	i=0; lim=$(( ${5:-15} * 10 ))
	while [ $i -lt $lim ]; do
		ctl "$1" "$2" "$3" 2>/dev/null | grep -Eq "$4" && return 0
		sleep 0.1; i=$((i + 1))
	done
	echo "$2 $3: no line matching /$4/ in:"; ctl "$1" "$2" "$3" 2>&1
	return 1
}
HOA=fd00:1:0:1::101
ping_mn() { in_node "$1" cn ping -c 3 -i 0.3 -W 2 $HOA >/dev/null 2>&1 ||
	    in_node "$1" cn ping -c 3 -i 0.3 -W 2 $HOA; }
counter() { ctl "$1" "$2" counters | awk -v k="$3" '$1 == k { print $2 }'; }
positive() { [ "$(counter "$1" "$2" "$3")" -gt 0 ]; }
no_binding() { ! ctl "$1" "$2" bindings | grep -q "^$HOA "; }
# every capture decodes, and the Mobility Header is there
tshark_clean() {
	bad=""
	for f in "$OUT/$1"/*.pcap; do
		n=$(tshark -r "$f" -Y '_ws.malformed || _ws.expert.severity >= warning' 2>/dev/null | wc -l)
		[ "$n" -eq 0 ] || bad="$bad $(basename "$f"):$n"
	done
	[ -z "$bad" ] || { echo "malformed or warnings in:$bad"
		tshark -r "$OUT/$1/home.pcap" -Y '_ws.malformed || _ws.expert.severity >= warning' 2>&1 | head -3; return 1; }
	tshark -r "$OUT/$1/cell1.pcap" -Y 'mip6.bu.seqnr || mip6.ba.status' 2>/dev/null | grep -q . ||
		{ echo "tshark sees no BU or BA on cell1"; return 1; }
}

scenario() { # TAG SETS...
	tag=$1; shift
	R=$(uniq_name "$tag")
	if ! up "$R" "$ROAM_TOP/topologies/mip6.lua" "$@" >"$TMP/up.log" 2>&1; then
		fail "$tag.up" "$(tail -n 3 "$TMP/up.log" | tr '\n' ' ')"
		return
	fi
	check "$tag.home" "the mobile node starts at home" wait_for "$R" mn1 status "^state home"
	check "$tag.home_ping" "cn reaches the mobile node at home" ping_mn "$R"
	"$ROAM" move "$R" mn1 cell1 >/dev/null
	check "$tag.register_cell1" "registered from cell1" wait_for "$R" mn1 status "^state registered"
	check "$tag.binding_cell1" "ha binds a care-of address in cell1" \
		wait_for "$R" ha bindings "^$HOA coa fd00:1:0:2:"
	check "$tag.ping_cell1" "cn reaches the mobile node away" ping_mn "$R"
	check "$tag.tunnelled" "ha encapsulated and decapsulated (reverse tunnel)" \
		sh -c "[ \"$(counter "$R" ha tun_encap)\" -gt 0 ] && [ \"$(counter "$R" ha tun_decap)\" -gt 0 ]"
	if [ "$tag" = ro ]; then
		check "$tag.rr" "return routability done, cn binding" \
			wait_for "$R" cn bindings "^$HOA coa fd00:1:0:2:.* ro "
		check "$tag.bul_cn" "the MN's BUL has the cn bound" wait_for "$R" mn1 bul "^cn .* state bound"
		check "$tag.ro_ping" "cn reaches the mobile node directly" ping_mn "$R"
		check "$tag.ro_data" "cn sent with RH2, received with HAO" \
			sh -c "[ \"$(counter "$R" cn ro_out)\" -gt 0 ] && [ \"$(counter "$R" cn ro_in)\" -gt 0 ]"
	fi
	"$ROAM" move "$R" mn1 cell2 >/dev/null
	check "$tag.binding_cell2" "handoff: ha binds a care-of address in cell2" \
		wait_for "$R" ha bindings "^$HOA coa fd00:1:0:3:"
	check "$tag.ping_cell2" "cn reaches the mobile node after the handoff" ping_mn "$R"
	[ "$tag" = ro ] && check "$tag.rr_cell2" "cn binding follows to cell2" \
		wait_for "$R" cn bindings "^$HOA coa fd00:1:0:3:"
	echo "# $tag $(ctl "$R" mn1 status | grep '^handoff')"
	"$ROAM" move "$R" mn1 home >/dev/null
	check "$tag.back_home" "deregistered at home" wait_for "$R" mn1 status "^state home"
	check "$tag.unbound" "ha keeps no binding" wait_for_fn no_binding "$R" ha
	[ "$tag" = ro ] && check "$tag.cn_unbound" "cn keeps no binding" wait_for_fn no_binding "$R" cn
	check "$tag.home_ping2" "cn reaches the mobile node back home" ping_mn "$R"
	check "$tag.ba_status" "ha sent BAs with status 0" positive "$R" ha ba_status_0
	down "$R"
	check "$tag.tshark" "captures decode cleanly" tshark_clean "$R"
}
wait_for_fn() { # FN ARGS...: FN true within 5 s
	i=0
	while [ $i -lt 50 ]; do "$@" && return 0; sleep 0.1; i=$((i + 1)); done
	"$@"
}

scenario tun --set ro=no
scenario ro --set ro=yes --set dad=optimistic
finish
