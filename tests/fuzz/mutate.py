#!/usr/bin/env python3
# mutate.py IN.pcap OUT.pcap SEED — writes a mutated copy of a pcap for the
# rule fuzz (tests/fuzz/rules.sh); mutate.py --batch OUTDIR SEED IN.pcap...
# writes OUTDIR/<IN with / as _>.SEED.pcap for each. Every frame is kept,
# given another value in a header field the decoders branch on, bit-flipped
# (1 to 4 bits past the link header) or cut (the record keeps fewer bytes
# than the wire length, as a snap length does), chosen by a PRNG seeded with
# SEED, so a failing case replays exactly; seed 0 makes the same structural
# rewrite of every frame (structural()). Classic pcap only (either byte
# order, micro- or nanosecond); a pcapng input is copied unchanged.
import random
import struct
import sys

# values that move a packet into another branch of the decoders: IPv6 next
# headers (hop-by-hop 0, TCP 6, UDP 17, IPv6 41, routing 43, fragment 44,
# ICMPv6 58, none 59, destination options 60, mobility 135), IPv4 protocols
# (ICMP 1, IP-in-IP 4), a fragment's MF bit and offsets (0x20, 0x01)
FIELD_VALUES = (0, 1, 4, 6, 17, 41, 43, 44, 58, 59, 60, 135, 0x20, 0x01)


def structural(frame):
    """Seed 0: the same rewrite of every frame, aimed at what rules assume:
    a destination options header becomes hop-by-hop (a Home Address option
    outside its header), a UDP datagram becomes a first fragment (MF set)
    whose total length runs past the frame (malformed: no `ip` layer)."""
    if len(frame) > 21 and frame[12:14] == b"\x86\xdd" and frame[20] == 60:
        frame[20] = 0
    elif len(frame) > 23 and frame[12:14] == b"\x08\x00" and frame[23] == 17:
        frame[20] |= 0x20
        frame[16:18] = b"\xff\xff"


def mutate(src, dst, seed):
    rnd = random.Random(seed)
    data = open(src, "rb").read()
    if len(data) < 24 or data[:4] not in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4",
                                          b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"):
        open(dst, "wb").write(data)
        return
    end = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    out = bytearray(data[:24])
    at = 24
    while at + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(end + "IIII", data[at:at + 16])
        frame = bytearray(data[at + 16:at + 16 + incl])
        at += 16 + incl
        if len(frame) < incl:
            break                                   # the input itself is cut
        kind = rnd.random()
        if seed == 0:
            structural(frame)
        elif kind < 0.15 and len(frame) > 24:         # a header field rules branch on
            # IPv6 next header (20) / IPv4 flags and offset (20, 21) / IPv4 protocol (23)
            frame[rnd.choice((20, 21, 23))] = rnd.choice(FIELD_VALUES)
        elif kind < 0.50 and len(frame) > 14:       # flip bits past the link header
            for _ in range(rnd.randint(1, 4)):
                i = rnd.randrange(14, len(frame))
                frame[i] ^= 1 << rnd.randrange(8)
        elif kind < 0.80 and len(frame) > 1:        # cut by a snap length
            frame = frame[:rnd.randrange(1, len(frame))]
        out += struct.pack(end + "IIII", sec, frac, len(frame), max(orig, incl))
        out += frame
    open(dst, "wb").write(bytes(out))


def main():
    if sys.argv[1] == "--batch":
        out, seed = sys.argv[2], int(sys.argv[3])
        for src in sys.argv[4:]:
            mutate(src, "%s/%s.%d.pcap" % (out, src.replace("/", "_"), seed), seed)
    else:
        mutate(sys.argv[1], sys.argv[2], int(sys.argv[3]))


if __name__ == "__main__":
    main()
