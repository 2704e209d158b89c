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

# craft RUN NODE KIND: from NODE (at home) to cn, a Mobility Header of an
# unknown type 42 (KIND mh42), or an echo request with a Home Address option
# for a home address nobody bound (KIND hao)
craft() {
	in_node "$1" "$2" python3 -c '
import socket, struct, sys
A = lambda a: socket.inet_pton(socket.AF_INET6, a)
src, dst, kind = A(sys.argv[1]), A(sys.argv[2]), sys.argv[3]
def ck(s, d, nh, b):
    x = s + d + struct.pack("!IxxxB", len(b), nh) + b + (b"\0" if len(b) % 2 else b"")
    t = sum(struct.unpack("!%dH" % (len(x) // 2), x))
    while t >> 16: t = (t & 0xffff) + (t >> 16)
    return (~t) & 0xffff
if kind == "mh42":
    b = bytearray([59, 1, 42, 0, 0, 0]) + bytes(10)
    struct.pack_into("!H", b, 4, ck(src, dst, 135, bytes(b))); nh, body = 135, bytes(b)
else:
    hoa = A("fd00:1:0:1::999")
    e = bytearray([128, 0, 0, 0, 0x12, 0x34, 0, 1])
    struct.pack_into("!H", e, 2, ck(hoa, dst, 58, bytes(e)))
    body = bytes([58, 2, 1, 2, 0, 0, 201, 16]) + hoa + bytes(e); nh = 60
ip = struct.pack("!IHBB", 0x60000000, len(body), nh, 64) + src + dst + body
socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW).sendto(ip, (sys.argv[2], 0))
' "$HOA" fd00:0:0:9::1 "$3"
}

# BRR and BE: a short RR lifetime so that the cn asks for a refresh while
# its binding is in use; crafted packets for Binding Error status 2 and 1
brr() {
	R=$(uniq_name brr)
	if ! up "$R" "$ROAM_TOP/topologies/mip6.lua" --set lifetime=16 >"$TMP/up.log" 2>&1; then
		fail "brr.up" "$(tail -n 3 "$TMP/up.log" | tr '\n' ' ')"
		return
	fi
	check "brr.home" "the mobile node starts at home" wait_for "$R" mn1 status "^state home"
	craft "$R" mn1 mh42
	check "brr.be_unknown_type" "cn answers an unknown MH type with BE status 2" \
		wait_for "$R" cn counters "^be_status_2 [1-9]" 3
	craft "$R" mn1 hao
	check "brr.be_no_binding" "cn answers a HAO with no binding with BE status 1" \
		wait_for "$R" cn counters "^be_status_1 [1-9]" 3
	"$ROAM" move "$R" mn1 cell1 >/dev/null
	check "brr.register" "registered from cell1" wait_for "$R" mn1 status "^state registered"
	ping_mn "$R" >/dev/null 2>&1
	check "brr.rr" "cn binding" wait_for "$R" cn bindings "^$HOA coa fd00:1:0:2:.* lifetime 16 "
	in_node "$R" cn ping -c 20 -i 0.5 -W 1 $HOA >"$TMP/ping.out" 2>&1
	check "brr.brr_tx" "cn sent a BRR for the binding in use" positive "$R" cn brr_tx
	check "brr.brr_rx" "the mobile node received it" positive "$R" mn1 brr_rx
	check "brr.refreshed" "the binding was refreshed" wait_for "$R" cn bindings " updates [2-9]" 5
	check "brr.no_loss" "no ping lost across the refresh" grep -q " 0% packet loss" "$TMP/ping.out"
	down "$R"
	check "brr.tshark" "captures decode cleanly" tshark_clean "$R"
}

scenario tun --set ro=no
scenario ro --set ro=yes --set dad=optimistic
brr
finish
