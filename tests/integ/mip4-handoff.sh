#!/bin/sh
# mip4-handoff: topologies/mip4.lua with one mobile node. At home; moved to
# cell1 (registers through fa1, a ping from cn to its home address is
# tunnelled by ha and delivered by fa1); handoff to cell2 (fa2); back home
# (deregistered, no binding left). Run twice: triangle routing with
# timestamps, then reverse tunnelling (RFC 3024) with nonces.
. "$(dirname "$0")/lib.sh"
need_root
command -v python3 >/dev/null || { skip "$T" "needs python3 to query control sockets"; exit 0; }

ctl() { # RUN NODE REQUEST: the control socket's answer
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode()); sys.stdout.write(s.makefile().read())' \
		"$OUT/$1/$2.ctl" "$3"
}
# wait_for RUN NODE REQUEST REGEX [SECONDS]
wait_for() {
	i=0; lim=$(( ${5:-15} * 5 ))
	while [ $i -lt $lim ]; do
		ctl "$1" "$2" "$3" 2>/dev/null | grep -Eq "$4" && return 0
		sleep 0.2; i=$((i + 1))
	done
	echo "$2 $3: no line matching /$4/ in:"; ctl "$1" "$2" "$3" 2>&1
	return 1
}
ping_mn() { in_node "$1" cn ping -c 3 -i 0.3 -W 2 10.1.0.101 >/dev/null 2>&1 ||
	    in_node "$1" cn ping -c 3 -i 0.3 -W 2 10.1.0.101; }
counter() { ctl "$1" "$2" counters | awk -v k="$3" '$1 == k { print $2 }'; }

scenario() { # TAG SETS...
	tag=$1; shift
	R=$(uniq_name "$tag")
	if ! up "$R" "$ROAM_TOP/topologies/mip4.lua" "$@" >"$TMP/up.log" 2>&1; then
		fail "$tag.up" "$(tail -n 3 "$TMP/up.log" | tr '\n' ' ')"
		return
	fi
	check "$tag.home" "the mobile node starts at home" wait_for "$R" mn1 status "^state home"
	check "$tag.home_ping" "cn reaches the mobile node at home" ping_mn "$R"
	"$ROAM" move "$R" mn1 cell1 >/dev/null
	check "$tag.register_fa1" "registered through fa1" wait_for "$R" mn1 status "^state registered"
	check "$tag.binding_fa1" "ha binds the care-of address of fa1" \
		wait_for "$R" ha bindings "^10\.1\.0\.101 coa 10\.0\.2\.2 "
	check "$tag.visitor_fa1" "fa1 lists the visitor" wait_for "$R" fa1 visitors "^10\.1\.0\.101 .* registered"
	check "$tag.ping_fa1" "cn reaches the mobile node through the tunnel" ping_mn "$R"
	check "$tag.tunnelled" "ha encapsulated and fa1 decapsulated" \
		sh -c "[ \"$(counter "$R" ha tun_encap)\" -gt 0 ] && [ \"$(counter "$R" fa1 tun_decap)\" -gt 0 ]"
	if [ "$tag" = rt ]; then
		check "$tag.reverse" "fa1 reverse-tunnelled the mobile node's replies" \
			sh -c "[ \"$(counter "$R" fa1 rt_encap)\" -gt 0 ] && [ \"$(counter "$R" ha tun_decap)\" -gt 0 ]"
	fi
	"$ROAM" move "$R" mn1 cell2 >/dev/null
	check "$tag.binding_fa2" "handoff: ha binds the care-of address of fa2" \
		wait_for "$R" ha bindings "^10\.1\.0\.101 coa 10\.0\.3\.2 "
	check "$tag.register_fa2" "registered through fa2" wait_for "$R" mn1 status "^agent 10\.3\.0\.1 "
	check "$tag.ping_fa2" "cn reaches the mobile node after the handoff" ping_mn "$R"
	"$ROAM" move "$R" mn1 home >/dev/null
	check "$tag.back_home" "deregistered at home" wait_for "$R" mn1 status "^state home"
	sleep 0.5
	if ctl "$R" ha bindings | grep -q '^10\.1\.0\.101'; then
		fail "$tag.unbound" "ha still has a binding: $(ctl "$R" ha bindings | tr '\n' ' ')"
	else
		pass "$tag.unbound"
	fi
	check "$tag.home_ping2" "cn reaches the mobile node back home" ping_mn "$R"
	down "$R"
}

scenario tri
scenario rt --set reverse_tunnel=yes --set replay=nonce
finish
