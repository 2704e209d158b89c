#!/bin/sh
# A LAN through the medium's snooping (harness/medium_snoop.h): hosts still
# resolve each other (ARP, ND, a new address learnt from its DAD probe, a
# duplicate still detected), multicast still reaches its subscribers, a
# gratuitous ARP still reaches every host, and MLD reports go to the
# router only.
. "$(dirname "$0")/lib.sh"
need_root
L="$ROAM_TOP/tests/integ/topo/lan.lua"
PY=/usr/bin/python3
n=$(uniq_name lan)
if ! up "$n" "$L" >"$TMP/up.out" 2>&1; then
	fail lan-up "roam up: $(cat "$TMP/up.out")"; finish
fi

check lan-arp "h1 pings h4 over IPv4 (ARP)" in_node "$n" h1 ping -c 1 -W 2 10.7.0.5
check lan-nd "h1 pings h4 over IPv6 (neighbour solicitation)" in_node "$n" h1 ping -6 -c 1 -W 2 fd07::5

# every host and the router answer a ping to all-nodes
got=$(in_node "$n" h1 ping -6 -w 2 -i 0.5 -I eth0 ff02::1 2>/dev/null |
	sed -n 's/.*bytes from \([0-9a-f:]*\)%.*/\1/p' | sort -u | wc -l)
[ "$got" -eq 5 ] && pass lan-all-nodes || fail lan-all-nodes "$got nodes answered a ping to ff02::1, expected 5 (h1 itself, three hosts, the router)"

# a group a host subscribes to reaches it (UDP to ff12::1234)
cat >"$TMP/recv.py" <<'PYEOF'
import socket, struct, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", 9999))
idx = socket.if_nametoindex("eth0")
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(socket.AF_INET6, "ff12::1234") + struct.pack("@I", idx))
s.settimeout(6)
try:
    print(s.recv(100).decode())
except socket.timeout:
    print("nothing")
PYEOF
in_node "$n" h3 $PY "$TMP/recv.py" >"$TMP/recv.out" 2>&1 &
rp=$!
# the router sees h3's MLD report, another host does not
in_node "$n" r timeout 4 tcpdump -c 1 -ni eth0 'ip6[6] == 0 and ip6[48] == 143' >"$TMP/r.mld" 2>/dev/null &
tr=$!
in_node "$n" h2 timeout 4 tcpdump -c 1 -ni eth0 'ip6[6] == 0 and ip6[48] == 143' >"$TMP/h2.mld" 2>/dev/null &
th=$!
sleep 1.5
in_node "$n" h3 $PY -c "import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(socket.AF_INET6, 'ff12::4321') + socket.if_nametoindex('eth0').to_bytes(4, 'little')); import time; time.sleep(1)"
for i in 1 2 3 4 5 6; do
	in_node "$n" h1 $PY -c "import socket; s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, socket.if_nametoindex('eth0')); s.sendto(b'hello', ('ff12::1234', 9999))"
	sleep 0.3
done
wait "$rp"
grep -q hello "$TMP/recv.out" && pass lan-multicast-subscriber ||
	fail lan-multicast-subscriber "h3 joined ff12::1234 and got: $(cat "$TMP/recv.out")"
wait "$tr"; wait "$th"
grep -q "multicast listener report v2" "$TMP/r.mld" && pass lan-mld-to-router ||
	fail lan-mld-to-router "the router saw no MLDv2 report from the hosts"
grep -q "multicast listener report v2" "$TMP/h2.mld" && fail lan-mld-not-to-hosts "h2 got an MLD report: $(cat "$TMP/h2.mld")" ||
	pass lan-mld-not-to-hosts

# an address added later is learnt from its DAD probe, and answered
# (roam turns DAD off in nodes; these two take it back)
in_node "$n" h4 sysctl -qw net.ipv6.conf.eth0.accept_dad=1
in_node "$n" h2 sysctl -qw net.ipv6.conf.eth0.accept_dad=1
in_node "$n" h4 ip -6 addr add fd07::99/64 dev eth0
sleep 2
check lan-learnt-address "h1 pings h4's new address fd07::99" in_node "$n" h1 ping -6 -c 1 -W 2 fd07::99
# a duplicate is still detected: h2 tries h3's address
in_node "$n" h2 ip -6 addr add fd07::4/64 dev eth0
sleep 2
in_node "$n" h2 ip -6 addr show dev eth0 | grep -q "fd07::4/64.*dadfailed" && pass lan-dad-duplicate ||
	fail lan-dad-duplicate "h2 took h3's address fd07::4 without noticing: $(in_node "$n" h2 ip -6 addr show dev eth0 | grep fd07::4)"

# a gratuitous ARP reaches every host: h1's entry for h4 takes the new MAC
in_node "$n" h1 ping -c 1 -W 2 10.7.0.5 >/dev/null
sleep 1.2		# past the ARP locktime
in_node "$n" h4 $PY -c "
from scapy.all import Ether, ARP, sendp
sendp(Ether(dst='ff:ff:ff:ff:ff:ff', src='02:aa:bb:cc:dd:ee') / ARP(op=1, hwsrc='02:aa:bb:cc:dd:ee', psrc='10.7.0.5', pdst='10.7.0.5'), iface='eth0', verbose=False)" 2>"$TMP/scapy.err"
sleep 0.3
in_node "$n" h1 ip neigh show 10.7.0.5 | grep -q 02:aa:bb:cc:dd:ee && pass lan-gratuitous-arp ||
	fail lan-gratuitous-arp "h1's entry for 10.7.0.5 after h4's gratuitous ARP: $(in_node "$n" h1 ip neigh show 10.7.0.5) $(head -c 300 "$TMP/scapy.err")"
down "$n"
finish
