-- mip4-colocated: Mobile IPv4 with a co-located care-of address (RFC 5944
-- §3.1, the D flag). mn1 moves home -> cell1 -> home with `colocated yes`:
-- in cell1 it takes 10.2.0.201 (fa1's prefix, host number 201) itself,
-- registers straight with ha from that address and decapsulates ha's
-- tunnel itself; fa1 plays no part. A ping from cn to the home address is
-- answered at each step. Run with --set reverse_tunnel=yes the node also
-- reverse-tunnels its replies to ha itself (RFC 3024 §5.2).
scenario {
  name = "mip4-colocated",
  topology = "../../topologies/mip4.lua",
  set = { mns = 1, colocated = "yes" },
  duration = 14,
}

local HOA = "10.1.0.101"
local COA = "10.2.0.201"

local function mn_addrs()
  return node("mn1"):exec{ "ip", "-4", "-o", "addr", "show", timeout = 3 }.output or ""
end

local function ping_home(what)
  local r = node("cn"):exec{ "ping", "-n", "-c", "3", "-i", "0.3", "-W", "2", HOA, timeout = 8 }
  check(r.status == 0, "cn reaches mn1's home address " .. what)
end

at(2, function()
  check(mn_addrs():find(HOA, 1, true) ~= nil, "mn1 holds its home address at home")
  ping_home("at home")
end)

local handoff = require("models.handoff")

at(3, function()
  -- the model (lua/models/handoff.lua): the node solicits on carrier up and
  -- registers straight with ha, across hops with no added delay
  log("expected handoff to cell1: %s",
      handoff.describe(handoff.predict { mip = 4, gap = 0.05, solicit = true, adv = 1, d_ha = 0 }))
  move("mn1", "cell1", 0.05)
  wait(2.5)
  local a = mn_addrs()
  check(a:find(COA, 1, true) ~= nil, "mn1 configured the co-located care-of address " .. COA)
  check(a:find(HOA, 1, true) ~= nil, "mn1 keeps its home address in cell1")
  ping_home("in cell1 through ha's tunnel to " .. COA)
end)

at(9, function()
  move("mn1", "home", 0.05)
  wait(2)
  check(mn_addrs():find(COA, 1, true) == nil, "mn1 removed its care-of address at home")
  ping_home("back home")
end)
