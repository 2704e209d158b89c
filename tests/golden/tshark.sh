#!/bin/sh
# tshark.sh — cross-check of roam's decoders against tshark on every golden
# pcap and every foreign capture (tests/foreign): for each field in the
# table below that both decode in a frame, the values must be equal
# (integers as numbers whether hex or decimal, bytes as hex without colons,
# booleans as 0/1). Prints which fields were compared how many times.
GOLDEN_NAME=tshark
. "$(dirname "$0")/golden.lib"
command -v tshark >/dev/null 2>&1 || { echo "SKIP golden.tshark: tshark is not installed"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP golden.tshark: python3 is not installed"; exit 0; }

# roam dotted name -> tshark field
MAP="eth.src=eth.src eth.dst=eth.dst eth.type=eth.type
ip.src=ip.src ip.dst=ip.dst ip.ttl=ip.ttl ip.proto=ip.proto ip.id=ip.id ip.len=ip.len ip.cksum=ip.checksum
ip6.src=ipv6.src ip6.dst=ipv6.dst ip6.hlim=ipv6.hlim ip6.nxt=ipv6.nxt ip6.plen=ipv6.plen
icmp6.type=icmpv6.type icmp6.code=icmpv6.code icmp6.cksum=icmpv6.checksum
nd.ns.target=icmpv6.nd.ns.target_address nd.na.target=icmpv6.nd.na.target_address
nd.redir.target=icmpv6.nd.rd.target_address nd.ra.lifetime=icmpv6.nd.ra.router_lifetime
nd.opt.sll=icmpv6.opt.src_linkaddr nd.opt.tll=icmpv6.opt.target_linkaddr
nd.ra.opt.advint=icmpv6.opt.advertisement_interval
udp.sport=udp.srcport udp.dport=udp.dstport udp.len=udp.length udp.cksum=udp.checksum
arp.op=arp.opcode arp.spa=arp.src.proto_ipv4 arp.tpa=arp.dst.proto_ipv4 arp.sha=arp.src.hw_mac
mh.type=mip6.mhtype mh.pproto=mip6.proto mh.len=mip6.hlen mh.cksum=mip6.csum
mh.bu.seq=mip6.bu.seqnr mh.bu.lifetime=mip6.bu.lifetime mh.bu.flags.A=mip6.bu.a_flag
mh.bu.flags.H=mip6.bu.h_flag mh.bu.flags.L=mip6.bu.l_flag mh.bu.flags.K=mip6.bu.k_flag
mh.bu.flags.M=mip6.bu.m_flag mh.bu.flags.P=mip6.bu.p_flag
mh.ba.status=mip6.ba.status mh.ba.seq=mip6.ba.seqnr mh.ba.lifetime=mip6.ba.lifetime
mh.ba.flags.K=mip6.ba.k_flag mh.ba.flags.P=mip6.ba.p_flag
mh.be.status=mip6.be.status mh.be.home=mip6.be.haddr
mh.hoti.cookie=mip6.hoti.cookie mh.coti.cookie=mip6.coti.cookie
mh.hot.nonce_idx=mip6.hot.nindex mh.hot.cookie=mip6.hot.cookie mh.hot.token=mip6.hot.token
mh.cot.nonce_idx=mip6.cot.nindex mh.cot.cookie=mip6.cot.cookie
mh.opt.bra.interval=mip6.bra.interval mh.opt.acoa=mip6.acoa.acoa
mh.opt.ni.home=mip6.ni.hni mh.opt.ni.coa=mip6.ni.cni mh.opt.bad.authenticator=mip6.bad.auth
mh.opt.auth.subtype=mip6.auth.subtype mh.opt.auth.spi=mip6.auth.mobility_spi
mh.opt.auth.authenticator=mip6.auth.auth_data mh.opt.mnid.subtype=mip6.mnid.subtype
ip6.hao=ipv6.opt.mipv6.home_address ip6.rh.type=ipv6.routing.type ip6.rh.segleft=ipv6.routing.segleft
ip6.rh.len=ipv6.routing.len ip6.rh2.addr=ipv6.routing.mipv6.home_address
mip4.type=mip.type mip4.rrq.lifetime=mip.life mip4.rrp.lifetime=mip.life mip4.rrp.code=mip.code
mip4.rrq.home=mip.homeaddr mip4.rrp.home=mip.homeaddr mip4.rrq.ha=mip.haaddr mip4.rrp.ha=mip.haaddr
mip4.rrq.coa=mip.coa mip4.rrq.flags.S=mip.s mip4.rrq.flags.B=mip.b mip4.rrq.flags.D=mip.d
mip4.rrq.flags.M=mip.m mip4.rrq.flags.G=mip.g mip4.rrq.flags.T=mip.t mip4.rrq.flags.x=mip.x
mip4.ext.type=mip.ext.type mip4.ext.len=mip.ext.len mip4.ext.mnha.spi=mip.auth.spi
mip4.ext.mnha.auth=mip.auth.auth mip4.ext.nai=mip.nai
mip4.adv.seq=icmp.mip.seq mip4.adv.lifetime=icmp.mip.life mip4.adv.coa=icmp.mip.coa
mip4.adv.flags.R=icmp.mip.r mip4.adv.flags.B=icmp.mip.b mip4.adv.flags.H=icmp.mip.h
mip4.adv.flags.F=icmp.mip.f mip4.adv.flags.M=icmp.mip.m mip4.adv.flags.G=icmp.mip.g
mip4.adv.plen=icmp.mip.prefixlength"
# Not compared: mip4.rrq.id / rrp.id (tshark prints the Identification as a
# date), the RFC 4285 replay timestamp (tshark has no field for its value).
roam_f=$(echo $MAP | tr ' ' '\n' | cut -d= -f1 | paste -sd, -)
# tshark prints a field named twice once: ask for each once, and tell the
# comparison which column each roam field reads
tsh_u=$(echo $MAP | tr ' ' '\n' | cut -d= -f2 | awk '!seen[$0]++' | paste -sd, -)
tsh_f=$(echo "$tsh_u" | tr ',' '\n' | sed 's/^/-e /' | tr '\n' ' ')
tsh_m=$(echo $MAP | tr ' ' '\n' | cut -d= -f2 | paste -sd, -)
out=$(mktemp -d /tmp/roam-tshark.XXXXXX)
trap 'rm -rf "$out"' EXIT

# tshark starts slowly: it reads the pcaps of one link type at once,
# concatenated in order (mergecap -a); roam reads each, which gives the
# frame counts that split tshark's lines back into pcaps.
command -v mergecap >/dev/null 2>&1 || { echo "SKIP golden.tshark: mergecap is not installed"; exit 0; }
lts=""
for p in captures/golden/*.pcap $(find tests/foreign -name '*.pcap' | sort); do
	n=$(echo "$p" | sed 's|^captures/golden/||; s|^tests/foreign/|foreign/|; s|\.pcap$||' | tr '/' '_')
	"$GEN" fields "$p" "$roam_f" >"$out/$n.roam" 2>"$out/err" || { echo "FAIL golden.tshark.$n: roam fields: $(cat "$out/err")"; continue; }
	lt=$(od -An -tu4 -j20 -N4 "$p" | tr -d ' ')	# the pcap header's link type
	echo "$p" >>"$out/list.$lt"
	case " $lts " in *" $lt "*) ;; *) lts="$lts $lt" ;; esac
done
for lt in $lts; do
list=$(cat "$out/list.$lt")
# shellcheck disable=SC2086
mergecap -a -F pcap -w "$out/all.pcap" $list 2>"$out/err" || { echo "FAIL golden.tshark: mergecap: $(head -c 200 "$out/err")"; exit 0; }
# shellcheck disable=SC2086
tshark -r "$out/all.pcap" -T fields -E separator=/t -E occurrence=f $tsh_f >"$out/tshark" 2>"$out/err" ||
	{ echo "SKIP golden.tshark: tshark failed: $(head -c 200 "$out/err")"; exit 0; }
python3 - "$out" "$roam_f" "$tsh_u" "$tsh_m" $list <<'PY'
import os, sys
out, names, pcaps = sys.argv[1], sys.argv[2].split(","), sys.argv[5:]
ucols, tmap = sys.argv[3].split(","), sys.argv[4].split(",")
col = [ucols.index(t) for t in tmap]     # roam field k -> tshark column
tsh = [l.rstrip("\n").split("\t") for l in open(os.path.join(out, "tshark"))]
def norm(v):
    v = v.strip().lower().replace(":", "") if ":" in v and "." not in v and len(v) > 17 else v.strip().lower()
    if v in ("true", "false"):
        return "1" if v == "true" else "0"
    try:
        return str(int(v, 16)) if v.startswith("0x") else str(int(v))
    except ValueError:
        return v
def same(x, y, nm):
    a, b = norm(x), norm(y)
    if a == b:
        return True
    if nm == "mh.opt.auth.authenticator" and a.startswith(b) and len(a) == len(b) + 4:
        # tshark's mip6 dissector shows 10 of the 12 bytes of the RFC 4285
        # authenticator (option length 17 = subtype 1 + SPI 4 + 12); roam's
        # decoding is checked by tests/foreign/gen.py's independent build
        return True
    try:            # roam prints bytes as hex, tshark an 8-byte cookie as a number
        return int(x.strip(), 16) == int(b)
    except ValueError:
        return False
per = {}
at = 0
for p in pcaps:
    name = p[:-5].replace("captures/golden/", "").replace("tests/foreign/", "foreign/").replace("/", "_")
    roam = [l.rstrip("\n").split("\t") for l in open(os.path.join(out, name + ".roam"))]
    mine, at = tsh[at:at + len(roam)], at + len(roam)
    bad, compared = [], 0
    if len(mine) != len(roam):
        bad.append("frames: roam %d vs tshark %d" % (len(roam), len(mine)))
    for i, (a, b) in enumerate(zip(roam, mine)):
        for k, nm in enumerate(names):
            x = a[k] if k < len(a) else ""
            y = b[col[k]] if col[k] < len(b) else ""
            if x == "" or y == "":
                continue
            compared += 1
            per[nm] = per.get(nm, 0) + 1
            if not same(x, y, nm):
                bad.append("frame %d %s: roam %s vs tshark %s" % (i + 1, nm, x, y))
    if compared == 0:
        bad.append("no field compared")
    if bad:
        print("FAIL golden.tshark.%s: %s" % (name, "; ".join(bad[:5])))
    else:
        print("PASS golden.tshark.%s (%d values)" % (name, compared))
with open(os.path.join(out, "per"), "a") as f:
    for kv in sorted(per.items()):
        f.write("%s %d\n" % kv)
if at != len(tsh):
    print("FAIL golden.tshark: tshark read %d frames, the pcaps hold %d" % (len(tsh), at))
PY
done
# one summary over every link type: which fields were compared how often
awk '{ n[$1] += $2 } END { for (k in n) printf "%s %d\n", k, n[k] }' "$out/per" | sort >"$out/per.sum"
echo "golden.tshark: values compared per field: $(awk '{ printf "%s%s %d", (NR > 1 ? ", " : ""), $1, $2 }' "$out/per.sum")"
never=$(echo "$roam_f" | tr ',' '\n' | while read -r f; do grep -q "^$f " "$out/per.sum" || echo "$f"; done | paste -sd' ' -)
[ -z "$never" ] || echo "golden.tshark: fields no capture gives both roam and tshark: $never"
