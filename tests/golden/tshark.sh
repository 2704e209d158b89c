#!/bin/sh
# tshark.sh — cross-check of roam's decoders against tshark on every golden
# pcap: for each field in the table below that both decode in a frame, the
# values must be equal (tshark's hex integers are compared as numbers).
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
mh.type=mip6.mhtype"
roam_f=$(echo $MAP | tr ' ' '\n' | cut -d= -f1 | paste -sd, -)
tsh_f=$(echo $MAP | tr ' ' '\n' | cut -d= -f2 | sed 's/^/-e /' | tr '\n' ' ')
out=$(mktemp -d /tmp/roam-tshark.XXXXXX)
trap 'rm -rf "$out"' EXIT

# tshark starts slowly: it reads every golden pcap at once, concatenated in
# name order (mergecap -a); roam reads each, which gives the frame counts
# that split tshark's lines back into pcaps.
command -v mergecap >/dev/null 2>&1 || { echo "SKIP golden.tshark: mergecap is not installed"; exit 0; }
list=""
for p in captures/golden/*.pcap; do
	n=$(basename "$p" .pcap)
	"$GEN" fields "$p" "$roam_f" >"$out/$n.roam" 2>"$out/err" || { echo "FAIL golden.tshark.$n: roam fields: $(cat "$out/err")"; continue; }
	list="$list $p"
done
# shellcheck disable=SC2086
mergecap -a -F pcap -w "$out/all.pcap" $list 2>"$out/err" || { echo "FAIL golden.tshark: mergecap: $(head -c 200 "$out/err")"; exit 0; }
# shellcheck disable=SC2086
tshark -r "$out/all.pcap" -T fields -E separator=/t -E occurrence=f $tsh_f >"$out/tshark" 2>"$out/err" ||
	{ echo "SKIP golden.tshark: tshark failed: $(head -c 200 "$out/err")"; exit 0; }
python3 - "$out" "$roam_f" $list <<'PY'
import os, sys
out, names, pcaps = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
tsh = [l.rstrip("\n").split("\t") for l in open(os.path.join(out, "tshark"))]
def norm(v):
    v = v.strip().lower()
    try:
        return str(int(v, 16)) if v.startswith("0x") else str(int(v))
    except ValueError:
        return v
at = 0
for p in pcaps:
    name = os.path.basename(p)[:-5]
    roam = [l.rstrip("\n").split("\t") for l in open(os.path.join(out, name + ".roam"))]
    mine, at = tsh[at:at + len(roam)], at + len(roam)
    bad, compared = [], 0
    if len(mine) != len(roam):
        bad.append("frames: roam %d vs tshark %d" % (len(roam), len(mine)))
    for i, (a, b) in enumerate(zip(roam, mine)):
        for k, nm in enumerate(names):
            x = a[k] if k < len(a) else ""
            y = b[k] if k < len(b) else ""
            if x == "" or y == "":
                continue
            compared += 1
            if norm(x) != norm(y):
                bad.append("frame %d %s: roam %s vs tshark %s" % (i + 1, nm, x, y))
    if compared == 0:
        bad.append("no field compared")
    if bad:
        print("FAIL golden.tshark.%s: %s" % (name, "; ".join(bad[:5])))
    else:
        print("PASS golden.tshark.%s (%d values)" % (name, compared))
if at != len(tsh):
    print("FAIL golden.tshark: tshark read %d frames, the pcaps hold %d" % (len(tsh), at))
PY
