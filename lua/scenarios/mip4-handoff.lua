-- mip4-handoff: Mobile IPv4 (RFC 5944) handoffs. mn1 moves home -> cell1
-- (fa1) -> cell2 (fa2) -> home while two flows run, cn -> mn1's home address
-- (tunnelled by ha) and mn1 -> cn (triangle routing). The captures are
-- checked against lua/rules/mip4.lua; the run's report gives, per handoff,
-- the latency split the engine measures (docs/checks.md). The log gives the
-- figure expected for the parameters below, to compare with (docs/mip4-rules.md).
scenario {
  name = "mip4-handoff",
  topology = "../../topologies/mip4.lua",
  set = { mns = 1, wan_delay = "10ms" },
  duration = 22,
  rules = { "../rules/mip4.lua" },
}

local GAP = 0.05	-- s: the L2 gap of each move (carrier down, then up)
local ADV_INTERVAL = 1	-- s: adv_interval of ha, fa1, fa2 in topologies/mip4.lua
local HOA = "10.1.0.101"

-- The model's phases (lua/models/handoff.lua): roam-mip4 solicits on
-- carrier up, so an agent answers at once (unsolicited it would wait half
-- the advertisement interval); the registration round trip MN -> FA -> core
-- -> HA crosses hops with no added delay.
local handoff = require("models.handoff")
local function expected(label)
  local r = handoff.predict { mip = 4, gap = GAP, solicit = true, adv = ADV_INTERVAL, d_ha = 0 }
  local u = handoff.predict { mip = 4, gap = GAP, adv = ADV_INTERVAL, d_ha = 0 }
  log("expected %s: %s; unsolicited movement_detection would be %.0f ms", label, handoff.describe(r),
      u.movement_detection * 1e3)
end

local function mn_state()
  local r = node("mn1"):exec{ "ip", "-4", "-o", "addr", "show", timeout = 3 }
  return r.output
end

local function ping_home(what)
  local r = node("cn"):exec{ "ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", HOA, timeout = 5 }
  check(r.status == 0, "cn reaches mn1's home address " .. what)
end

at(1, function()
  flow { from = "cn", to = "mn1", addr = HOA, rate = 50, size = 100, duration = 20 }
  flow { from = "mn1", to = "cn", rate = 50, size = 100, duration = 20 }
  log("flows started: cn -> %s and mn1 -> cn, 50/s each way", HOA)
end)

at(3, function()
  check(mn_state():find(HOA, 1, true) ~= nil, "mn1 holds its home address at home")
  ping_home("at home")
end)

local moves = { { 4, "cell1" }, { 10, "cell2" }, { 16, "home" } }
for _, m in ipairs(moves) do
  at(m[1], function()
    expected("handoff to " .. m[2])
    move("mn1", m[2], GAP)
    wait(2)
    ping_home("after the move to " .. m[2])
  end)
end
