#!/usr/bin/python3
# gen.py — builds the scapy part of tests/foreign: a full Mobile IPv6 and a
# full Mobile IPv4 exchange and single-fault variants of each, written from
# the RFC texts with no code of roam's (run with the python3 that has scapy:
# /usr/bin/python3 tests/foreign/gen.py OUTDIR).
#
# Every message is laid out here byte by byte from RFC 6275 §6 (Mobility
# Header, options, Home Address option, type 2 routing header), RFC 4285 §5-6
# (MN-HA authentication, replay protection) and RFC 5944 §2-3 (agent
# advertisement, registration request and reply, MN-HA extension); scapy
# writes the Ethernet, IPv4/IPv6 and UDP headers and the pcap files.
# Cookies, keygen tokens, Kbm and the Binding Authorization Data follow
# RFC 6275 §5.2.5 and §6.2.7; the MIPv4 authenticator is HMAC-MD5 (§3.5.1)
# computed with Python's hmac module.
#
# Timestamps are fixed (no clock, no randomness): the same pcaps every run.
import hashlib
import hmac
import os
import struct
import sys

from scapy.all import Ether, IP, IPv6, UDP, Raw, wrpcap, inet_pton
from socket import AF_INET, AF_INET6

T0 = 1700000000.0          # capture start (2023-11-14), seconds

# ---- addresses (documentation prefixes, RFC 3849 / RFC 5737 / RFC 7042) ----
MAC_MN, MAC_RT = "00:00:5e:00:53:01", "00:00:5e:00:53:fe"
HOA, HA = "2001:db8:1::100", "2001:db8:1::1"
COA, CN = "2001:db8:2::100", "2001:db8:3::5"
KCN = bytes(range(0x40, 0x54))                 # the correspondent's secret (20 bytes)
KHA6 = b"foreign-mip6-mnha-key-0123456789"      # MN-HA shared key (RFC 4285)
SPI6 = 0x1000
NONCE_H, NONCE_C = bytes.fromhex("1111222233334444"), bytes.fromhex("5555666677778888")
IDX_H, IDX_C = 3, 4
COOKIE_H, COOKIE_C = bytes.fromhex("a1a2a3a4a5a6a7a8"), bytes.fromhex("c1c2c3c4c5c6c7c8")


def a6(s):
    return inet_pton(AF_INET6, s)


def a4(s):
    return inet_pton(AF_INET, s)


def csum(data):
    """Internet checksum (RFC 1071)."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def pseudo6(src, dst, length, nxt):
    return a6(src) + a6(dst) + struct.pack("!IxxxB", length, nxt)


# ---- Mobility Header (RFC 6275 §6.1) ----
def pad_opts(opts, start):
    """Place options (type, data, align_n, align_off) at their alignment
    (§6.2: xn+y) starting at byte `start` of the MH; returns bytes."""
    out = b""
    for typ, data, n, y in opts:
        pos = start + len(out)
        need = (y - pos) % n
        if need == 1:
            out += b"\0"                         # Pad1
        elif need > 1:
            out += bytes([1, need - 2]) + bytes(need - 2)   # PadN
        out += bytes([typ, len(data)]) + data
    return out


def mh(mtype, body, opts=(), cksum=None, src=None, dst=None, resv=0, pproto=59):
    """A Mobility Header: 6-byte header, message data, options, padded to 8n.
    The checksum is computed over the pseudo-header (src, dst) unless given."""
    data = body + pad_opts(opts, 6 + len(body))
    total = 6 + len(data)
    if total % 8:
        need = 8 - total % 8
        data += b"\0" if need == 1 else bytes([1, need - 2]) + bytes(need - 2)
        total += need
    hdr = struct.pack("!BBBBH", pproto, total // 8 - 1, mtype, resv, 0)
    m = hdr + data
    if cksum is None:
        cksum = csum(pseudo6(src, dst, len(m), 135) + m)
    return m[:4] + struct.pack("!H", cksum) + m[6:]


def with_cksum(m, src, dst):
    m = m[:4] + b"\0\0" + m[6:]
    return m[:4] + struct.pack("!H", csum(pseudo6(src, dst, len(m), 135) + m)) + m[6:]


def bu_body(seq, flags, lifetime_units):
    return struct.pack("!HHH", seq, flags, lifetime_units)


def ba_body(status, k, seq, lifetime_units):
    return struct.pack("!BBHH", status, 0x80 if k else 0, seq, lifetime_units)


A_, H_, L_, K_ = 0x8000, 0x4000, 0x2000, 0x1000

# ---- extension headers ----
def dopt_hao(nh, hoa):
    """Destination options with the Home Address option at 8n+6 (§6.3)."""
    return bytes([nh, 2, 1, 2, 0, 0, 201, 16]) + a6(hoa)


def rh2(nh, hoa, segleft=1):
    """Type 2 routing header (§6.4): length 2, one address."""
    return bytes([nh, 2, 2, segleft, 0, 0, 0, 0]) + a6(hoa)


def eth6(src_mac, dst_mac, src, dst, nh, payload, hlim=64):
    return Ether(src=src_mac, dst=dst_mac) / IPv6(src=src, dst=dst, nh=nh, hlim=hlim) / Raw(payload)


def up6(src, dst, payload, t, nh, hlim=64):
    """From the mobile node (uplink on its access link)."""
    p = eth6(MAC_MN, MAC_RT, src, dst, nh, payload, hlim)
    p.time = T0 + t
    return p


def down6(src, dst, payload, t, nh, hlim=62):
    p = eth6(MAC_RT, MAC_MN, src, dst, nh, payload, hlim)
    p.time = T0 + t
    return p


def udp6(src, dst, sport, dport, data):
    """A UDP header with its checksum over the pseudo-header of the final
    source / destination (home address for a HAO or an RH2)."""
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    c = csum(pseudo6(src, dst, len(u), 17) + u) or 0xffff
    return u[:6] + struct.pack("!H", c) + u[8:]


def tunnel6(outer_src, outer_dst, inner_src, inner_dst, nh, payload, hlim=64):
    """IPv6 in IPv6 (RFC 2473): the inner packet as bytes."""
    inner = bytes(IPv6(src=inner_src, dst=inner_dst, nh=nh, hlim=hlim) / Raw(payload))
    return outer_src, outer_dst, 41, inner


# ---- return routability (RFC 6275 §5.2.5) ----
def token(addr, nonce, which):
    return hmac.new(KCN, a6(addr) + nonce + bytes([which]), hashlib.sha1).digest()[:8]


def kbm(home_tok, coa_tok=None):
    return hashlib.sha1(home_tok + (coa_tok or b"")).digest()


def build_mh_with_tail_auth(mtype, body, opts, tail_type, tail_fixed, auth_fn, src, dst):
    """An MH whose last option (tail_type: 5 BAD at 8n+2, 9 MN-HA at 8n+5 so
    that it ends the message) carries a 12-byte authenticator computed by
    auth_fn over the MH up to that field (header length final, checksum
    zero), then the checksum over the pseudo-header (src, dst)."""
    align = {5: (8, 2), 9: (8, 5)}[tail_type]
    full = list(opts) + [(tail_type, tail_fixed + bytes(12), align[0], align[1])]
    m = mh(mtype, body, full, cksum=0)
    at = 6 + len(body) + len(pad_opts(full, 6 + len(body))) - 12
    m = m[:at] + auth_fn(m[:at]) + m[at + 12:]
    return with_cksum(m, src, dst)


def mnha6(coa, hoa):
    """RFC 4285 §5.1: First(96, HMAC_SHA1(key, care-of | home address | MH
    data through the SPI)), checksum zero."""
    return lambda data: hmac.new(KHA6, a6(coa) + a6(hoa) + data, hashlib.sha1).digest()[:12]


def bad6(k, coa, cn):
    return lambda data: hmac.new(k, a6(coa) + a6(cn) + data, hashlib.sha1).digest()[:12]


def replay_opt(ts):
    return (10, struct.pack("!Q", ts), 8, 2)


NTP = 2208988800


def ntp64(t):
    return (int(T0 + t) + NTP) << 32 | int(((T0 + t) % 1) * 2**32)


# ---- the Mobile IPv6 exchange, seen on the mobile node's access link ----
def mip6_exchange(f=None):
    """f: the fault's name (None: conformant). Returns the frames."""
    f = f or ""
    out = []
    seq, life = 100, 60                        # BU: sequence, 60 units = 240 s
    hdr_mnha = struct.pack("!BI", 1, SPI6)     # subtype 1 MN-HA, SPI

    def home_bu(sq, t):
        """A home registration BU (§11.7.1): CoA -> HA, HAO, A H, RFC 4285
        replay protection and MN-HA authentication (none for hreg-noauth)."""
        if f == "hreg-noauth":
            bu = mh(5, bu_body(sq, A_ | H_, life), src=HOA, dst=HA)
        else:
            bu = build_mh_with_tail_auth(5, bu_body(sq, A_ | H_, life), [replay_opt(ntp64(t))], 9, hdr_mnha,
                                         mnha6(COA, HOA), HOA, HA)
        out.append(up6(COA, HA, dopt_hao(135, HOA) + bu, t, 60))

    def home_ba(sq, lf, t_bu, t, rh=True):
        """The HA's BA (§10.3.1, §9.5.4): HA -> CoA with RH2(HoA), echoing
        the BU's replay timestamp."""
        ba = build_mh_with_tail_auth(6, ba_body(0, False, sq, lf), [replay_opt(ntp64(t_bu))], 9, hdr_mnha,
                                     mnha6(COA, HOA), HA, HOA)
        if rh:
            out.append(down6(HA, COA, rh2(135, HOA) + ba, t, 43))
        else:                                   # sent straight to the CoA
            out.append(down6(HA, COA, with_cksum(ba, HA, COA), t, 135))

    # 1-2. home registration and its acknowledgement
    home_bu(seq, 1.000)
    if f == "same-seq":
        # the BA is lost: the MN retransmits after 1.5 s with the SAME sequence (§11.8: greater)
        home_bu(seq, 2.500)
        home_ba(seq, life, 2.500, 2.512)
    else:
        home_ba(seq + 1 if f == "ba-seq" else seq, life + 20 if f == "ba-lifetime" else life,
                1.000, 1.012, rh=f != "ba-no-rh2")
    if f == "stale-seq":
        # the MN sends an older sequence (mod 2^16: 100 - 10); the HA accepts it
        home_bu(seq - 10, 1.500)
        home_ba(seq - 10, life, 1.500, 1.512)
    t = 3.0
    # 3. HoTI reverse-tunnelled (§5.2.5, §11.6.1): inner HoA -> CN
    hoti = mh(1, b"\0\0" + COOKIE_H, src=HOA, dst=CN)
    o = tunnel6(COA, HA, HOA, CN, 135, hoti)
    out.append(up6(o[0], o[1], o[3], t, 41))
    # 4. CoTI direct from the CoA
    coti = mh(2, b"\0\0" + COOKIE_C, src=COA, dst=CN)
    out.append(up6(COA, CN, coti, t + 0.001, 135))
    # 5. HoT through the HA's tunnel: CN -> HoA inside HA -> CoA
    tok_h, tok_c = token(HOA, NONCE_H, 0), token(COA, NONCE_C, 1)
    hot = mh(3, struct.pack("!H", IDX_H) + COOKIE_H + tok_h, src=CN, dst=HOA)
    o = tunnel6(HA, COA, CN, HOA, 135, hot, hlim=63)
    out.append(down6(o[0], o[1], o[3], t + 0.040, 41))
    # 6. CoT direct
    cot_cookie = bytes(8) if f == "cot-cookie" else COOKIE_C
    cot = mh(4, struct.pack("!H", IDX_C) + cot_cookie + tok_c, src=CN, dst=COA)
    out.append(down6(CN, COA, cot, t + 0.030, 135))
    out.sort(key=lambda p: p.time)
    # 7. BU to the CN (§11.7.2): HAO, Nonce Indices, BAD last
    t = 3.1
    k = kbm(tok_h, tok_c)
    kbad = bytes(20) if f == "bad-auth" else k
    cseq, clife = 7, 100                         # 100 units = 400 s <= 420 s (§12)
    ni = (4, struct.pack("!HH", IDX_H, IDX_C), 2, 0)
    bu_cn = build_mh_with_tail_auth(5, bu_body(cseq, A_, clife), [ni], 5, b"", bad6(kbad, COA, CN), HOA, CN)
    if f == "same-id":
        # the HA's reply is lost: the MN retransmits 1 s later with the SAME
        # Identification (RFC 5944 §3.6.3: a new one for each retransmission)
        q = rrq(0x00, life, FA4_UP, ntp64(2.6))
        fl.append(ip4(MAC_MN, MAC_FA, HOME4, FA4, q, 2.600, udp=(434, 434), ident=18))
        bb.append(ip4(MAC_FA_UP, MAC_HA, FA4_UP, HA4, q, 2.602, udp=(434, 434), ident=29))
        tb = 1.0
    if f == "bad-cksum":
        bu_cn = bu_cn[:4] + struct.pack("!H", (struct.unpack("!H", bu_cn[4:6])[0] ^ 0x0101)) + bu_cn[6:]
    out.append(up6(COA, CN, dopt_hao(135, HOA) + bu_cn, t, 60))
    # 8. the CN's BA with BAD (§9.5.4): CN -> CoA, RH2(HoA)
    ba_cn = build_mh_with_tail_auth(6, ba_body(0, False, cseq, clife), [], 5, b"", bad6(k, COA, CN), CN, HOA)
    out.append(down6(CN, COA, rh2(135, HOA) + ba_cn, t + 0.030, 43))
    # 9. route-optimised data: CN -> CoA with RH2, MN -> CN with HAO (§9.3.2, §11.3.1)
    for i in range(3):
        tt = t + 0.5 + i * 0.1
        payload = b"foreign-data-%d" % i
        if f == "no-rh2":
            # the CN ignores its binding: to the home address, through the HA's tunnel
            o = tunnel6(HA, COA, CN, HOA, 17, udp6(CN, HOA, 7000, 7001, payload), hlim=63)
            out.append(down6(o[0], o[1], o[3], tt, 41))
        else:
            out.append(down6(CN, COA, rh2(17, HOA) + udp6(CN, HOA, 7000, 7001, payload), tt, 43))
        out.append(up6(COA, CN, dopt_hao(17, HOA) + udp6(HOA, CN, 7001, 7000, payload), tt + 0.01, 60))
    return out


# ---- Mobile IPv4 (RFC 5944): foreign link (MN-FA) and backbone (FA-HA) ----
MAC_FA, MAC_FA_UP, MAC_HA = "00:00:5e:00:53:10", "00:00:5e:00:53:11", "00:00:5e:00:53:20"
HOME4, HA4, FA4, FA4_UP, CN4 = "192.0.2.10", "192.0.2.1", "198.51.100.1", "203.0.113.2", "203.0.113.50"
KEY4 = bytes.fromhex("00112233445566778899aabbccddeeff")   # MN-HA key (see README)
SPI4 = 0x100


def icmp_adv(seq, coa, lifetime=1800, reg_life=600):
    """ICMP router advertisement (RFC 1256) with the mobility agent
    advertisement extension 16 (RFC 5944 §2.1.1): F set, one CoA."""
    body = struct.pack("!BBH", 1, 2, lifetime) + a4(FA4) + struct.pack("!I", 0)
    ext = struct.pack("!HHBB", seq, reg_life, 0x90, 0) + a4(coa)    # R F
    body += bytes([16, len(ext)]) + ext
    body += bytes([19, 1, 24])                    # prefix-lengths extension (§2.1.2)
    m = struct.pack("!BBH", 9, 0, 0) + body
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def rrq(flags, life, coa, ident, key=KEY4, mutate=None):
    m = struct.pack("!BBH", 1, flags, life) + a4(HOME4) + a4(HA4) + a4(coa) + struct.pack("!Q", ident)
    ext = struct.pack("!BBI", 32, 20, SPI4)
    a = hmac.new(key, m + ext, hashlib.md5).digest()
    if mutate:
        a = mutate(a)
    return m + ext + a


def rrp(code, life, ident, key=KEY4):
    m = struct.pack("!BBH", 3, code, life) + a4(HOME4) + a4(HA4) + struct.pack("!Q", ident)
    ext = struct.pack("!BBI", 32, 20, SPI4)
    return m + ext + hmac.new(key, m + ext, hashlib.md5).digest()


def ip4(smac, dmac, src, dst, payload, t, proto=17, ttl=64, udp=None, ident=1, df=False):
    if udp:
        pl = UDP(sport=udp[0], dport=udp[1]) / Raw(payload)
        if len(udp) > 2:
            pl[UDP].chksum = udp[2]
    else:
        pl = Raw(payload)
    p = Ether(src=smac, dst=dmac) / IP(src=src, dst=dst, ttl=ttl, proto=proto, id=ident,
                                       flags="DF" if df else 0) / pl
    p.time = T0 + t
    return p


def mip4_exchange(f=None):
    f = f or ""
    fl, bb = [], []                      # foreign link, backbone
    # 1. agent advertisements every second (RFC 5944 §2.3), TTL 1 to 224.0.0.1
    for i in range(3):
        fl.append(ip4(MAC_FA, "01:00:5e:00:00:01", FA4, "224.0.0.1", icmp_adv(i, FA4_UP), 0.5 + i, proto=1, ttl=1,
                      ident=10 + i))
    life = 600
    tb = 0.0
    if f == "same-id":
        # the HA's reply is lost: the MN retransmits 1 s later with the SAME
        # Identification (RFC 5944 §3.6.3: a new one for each retransmission)
        q = rrq(0x00, life, FA4_UP, ntp64(2.6))
        fl.append(ip4(MAC_MN, MAC_FA, HOME4, FA4, q, 2.600, udp=(434, 434), ident=18))
        bb.append(ip4(MAC_FA_UP, MAC_HA, FA4_UP, HA4, q, 2.602, udp=(434, 434), ident=29))
        tb = 1.0
    if f == "bad-cksum":
        # a request with a wrong UDP checksum: the FA discards it (RFC 1122
        # §4.1.3.4) and the MN retransmits 1 s later (§3.6.3), new Identification
        q = rrq(0x00, life, FA4_UP, ntp64(2.6))
        fl.append(ip4(MAC_MN, MAC_FA, HOME4, FA4, q, 2.600, udp=(434, 434, 0x1234), ident=19))
        tb = 1.0
    ident = ntp64(2.6 + (0 if f == "same-id" else tb))
    # 2. MN -> FA registration request: from the home address, T clear, CoA the FA's
    mut = (lambda a: bytes([a[0] ^ 0xff]) + a[1:]) if f == "bad-auth" else None
    q = rrq(0x00, life, FA4_UP, ident, mutate=mut)
    src = FA4_UP if f == "rrq-src-coa" else HOME4     # §3.6.1.1: the home address via an FA
    fl.append(ip4(MAC_MN, MAC_FA, src, FA4, q, tb + 2.600, udp=(434, 434), ident=20))
    # 3. FA relays it to the HA from its own (care-of) address, unchanged (§3.7.2.2)
    bb.append(ip4(MAC_FA_UP, MAC_HA, FA4_UP, HA4, q, tb + 2.602, udp=(434, 434), ident=30))
    if f == "bad-auth":
        # the HA denies: 131 mobile node failed authentication (§3.4.3)
        code, rlife = 131, 0
    else:
        code, rlife = 0, life + 300 if f == "rrp-lifetime" else life
    r_ident = (ntp64(tb + 2.605) >> 32) << 32 | (ident & 0xffffffff)
    r = rrp(code, rlife, r_ident)
    bb.append(ip4(MAC_HA, MAC_FA_UP, HA4, FA4_UP, r, tb + 2.605, udp=(434, 434), ident=40))
    fl.append(ip4(MAC_FA, MAC_MN, FA4, HOME4, r, tb + 2.607, udp=(434, 434), ident=21))
    if f == "stale-id":
        # a second request with an identification older than the first, accepted
        old = ident - (20 << 32)
        q2 = rrq(0x00, life, FA4_UP, old)
        fl.append(ip4(MAC_MN, MAC_FA, HOME4, FA4, q2, 3.600, udp=(434, 434), ident=22))
        bb.append(ip4(MAC_FA_UP, MAC_HA, FA4_UP, HA4, q2, 3.602, udp=(434, 434), ident=31))
        r2 = rrp(0, life, (ntp64(3.605) >> 32) << 32 | (old & 0xffffffff))
        bb.append(ip4(MAC_HA, MAC_FA_UP, HA4, FA4_UP, r2, 3.605, udp=(434, 434), ident=41))
        fl.append(ip4(MAC_FA, MAC_MN, FA4, HOME4, r2, 3.607, udp=(434, 434), ident=23))
    if code == 0:
        # 4. tunnelled data: CN -> home address, HA -> FA in IP-in-IP (RFC 2003)
        for i in range(3):
            t = tb + 4.0 + i * 0.1
            inner = bytes(IP(src=CN4, dst=HOME4, ttl=63, id=100 + i) / UDP(sport=7000, dport=7001) /
                          Raw(b"foreign-data-%d" % i))
            bb.append(ip4(MAC_HA, MAC_FA_UP, HA4, FA4_UP, inner, t, proto=4, ttl=64, ident=50 + i))
            # the FA decapsulates and delivers (inner TTL as the HA forwarded it, -1 at the FA)
            dec = bytes(IP(src=CN4, dst=HOME4, ttl=62, id=100 + i) / UDP(sport=7000, dport=7001) /
                        Raw(b"foreign-data-%d" % i))
            fl.append(Ether(src=MAC_FA, dst=MAC_MN, type=0x0800) / IP(dec))
            fl[-1].time = T0 + t + 0.001
    return fl, bb


MIP6 = ["good", "ba-lifetime", "ba-seq", "ba-no-rh2", "no-rh2", "bad-cksum", "bad-auth",
        "stale-seq", "same-seq", "cot-cookie", "hreg-noauth"]
MIP4 = ["good", "bad-auth", "rrp-lifetime", "bad-cksum", "stale-id", "rrq-src-coa", "same-id"]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "scapy")
    os.makedirs(out, exist_ok=True)
    for f in MIP6:
        wrpcap(os.path.join(out, "mip6-%s.pcap" % f), mip6_exchange(None if f == "good" else f))
    for f in MIP4:
        d = os.path.join(out, "mip4-%s" % f)
        os.makedirs(d, exist_ok=True)
        fl, bb = mip4_exchange(None if f == "good" else f)
        wrpcap(os.path.join(d, "foreign.pcap"), fl)
        wrpcap(os.path.join(d, "backbone.pcap"), bb)


if __name__ == "__main__":
    main()
