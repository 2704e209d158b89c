-- mip4-attack-rogue-fa: a rogue agent on the mobile node's cell (cell1)
-- advertises itself as a foreign agent (RFC 5944 §2.1: agent advertisements
-- are not authenticated) and forges Registration Replies to the mobile node
-- in the name of the real foreign agent fa1: code 0 with a bogus MN-HA
-- authenticator, with one computed under a wrong key, and with none. The
-- link from fa1 to the core is cut first, so that the mobile node keeps
-- retransmitting its request and every forged reply matches the request in
-- flight (same Identification, §3.6.2.1): the mobile node must refuse them
-- all and register only when the real reply gets through.
scenario { topology = "../../topologies/mip4.lua", set = { attacker = "cell1" }, duration = 16 }

local CTL = [[use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Peer => "$ENV{ROAM_OUT}/$ARGV[0].ctl")
  or die "connect $ARGV[0].ctl: $!\n"; print $s "$ARGV[1]\n"; shutdown($s, 1); print grep { $_ ne "ok\n" } <$s>;]]
local function ctl(name, req)
  return node(name):exec { "perl", "-e", CTL, name, req, timeout = 5 }.output
end
local function counter(name, key)
  local out = "\n" .. ctl(name, "counters")
  return tonumber(out:match("\n" .. key .. " (%d+)")) or 0
end

local ROGUE = "10.2.0.3"	-- the attacker's address on cell1 (topology)
local forged = {
  { what = "a bogus authenticator", ext = { { type = "mnha", spi = 1000, auth = string.rep("a5", 16) } } },
  { what = "a wrong key", ext = { { type = "mnha", spi = 1000, key = "0f0e0d0c0b0a09080706050403020100" } } },
  { what = "no authentication", ext = {} },
}
local advertising = false

-- the rogue's advertisements: a foreign agent with its own care-of address
local adv_seq = 0
every(0.4, function()
  if not advertising then return end
  adv_seq = adv_seq + 1
  send { from = "attacker", ip = { dst = "224.0.0.1", ttl = 1 },
    icmp = { type = "ra", lifetime = 30, addrs = { ROGUE }, ext = {
      { type = "adv", seq = adv_seq, lifetime = 600, flags = { F = 1, R = 1 }, coa = { ROGUE } },
      { type = "plen", plen = { 24 } } } } }
end)

at(0.5, function()
  link("core-fa1"):set { loss = 1 }	-- fa1 relays, nothing comes back
end)

at(1, function()
  local tap = listen { on = "cell1" }
  move("mn1", "cell1")
  local fails0, rounds = counter("mn1", "rep_auth_fail"), 0
  local mn_mac
  -- three rounds: each request the mobile node (re)transmits gets three forgeries
  for round = 1, 3 do
    local rq, why = tap:expect { from = "mn1", within = 5, match = { ["mip4.type"] = 1 } }
    if not check(rq, "round " .. round .. ": the mobile node sends a request: " .. tostring(why)) then break end
    mn_mac = rq["eth.src"]
    advertising = true
    for _, f in ipairs(forged) do
      send { from = "attacker", eth = { dst = mn_mac },
        ip = { src = "10.2.0.1", dst = rq["ip.src"] }, udp = { sport = 434, dport = rq["udp.sport"] },
        mip4 = { type = "rrp", code = 0, lifetime = 999, home = "10.1.0.101",
                 ha = rq["mip4.rrq.ha"], id = rq["mip4.rrq.id"], ext = f.ext } }
    end
    rounds = round
    wait(0.2)
    local st = ctl("mn1", "status")
    check(st:match("\nstate registering"), "round " .. round ..
          ": the mobile node accepted no forged reply: " .. st)
    check(st:match("agent 10%.2%.0%.1 "), "round " .. round ..
          ": the mobile node keeps fa1 as its agent despite the rogue: " .. st)
  end
  local fails = counter("mn1", "rep_auth_fail")
  check(fails - fails0 == rounds * #forged, string.format(
        "the mobile node refused %d forged replies for failing authentication, expected %d",
        fails - fails0, rounds * #forged))
  check(not ctl("ha", "bindings"):match("10%.1%.0%.101"), "ha has no binding yet (fa1 is cut off)")

  -- the real registration gets through once fa1's link is back
  link("core-fa1"):set { loss = 0 }
  local rp, why = tap:expect { from = "fa1", within = 9,
                               match = { ["mip4.type"] = 3, ["mip4.rrp.code"] = 0 } }
  check(rp, "the real reply reaches the mobile node: " .. tostring(why))
  wait(0.3)
  local st = ctl("mn1", "status")
  check(st:match("\nstate registered") and st:match("agent 10%.2%.0%.1 ") and st:match("lifetime 60 "),
        "registered through fa1 with the lifetime ha granted (60), not the forged 999: " .. st)
  check(ctl("ha", "bindings"):match("^10%.1%.0%.101 coa 10%.0%.2%.2 "), "ha binds the mobile node to fa1")

  -- registered: a forged reply (now unsolicited) changes nothing either
  send { from = "attacker", eth = { dst = mn_mac }, ip = { src = "10.2.0.1", dst = "10.1.0.101" },
    udp = { sport = 434, dport = rp["udp.dport"] },
    mip4 = { type = "rrp", code = 0, lifetime = 0, home = "10.1.0.101", ha = "10.1.0.1",
             id = rp["mip4.rrp.id"], ext = forged[1].ext } }
  wait(0.3)
  st = ctl("mn1", "status")
  check(st:match("\nstate registered") and st:match("lifetime 60 "),
        "a forged deregistration reply leaves the registration alone: " .. st)
  advertising = false
  finish()
end)
