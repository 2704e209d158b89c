-- mip6-cn-mobile: the correspondent is itself a mobile node. Two mobile
-- nodes of ha (mns = 2: mn1 fd00:1:0:1::101, mn2 ::102) talk home address
-- to home address while both are away: mn2 sits in cell2, mn1 moves home ->
-- cell1 -> cell2 -> cell1. Each flow is reverse-tunnelled by its sender to
-- ha and tunnelled by ha to the receiver's care-of address (§10.4.2,
-- §11.3.1): one-way delay = both detours through ha. roam's mobile nodes do
-- not answer return routability as correspondents, so mn1's HoTIs towards
-- mn2 stay unanswered and the traffic keeps to the tunnels (route
-- optimisation needs a correspondent, §9). Checked against
-- lua/rules/mip6.lua (tunnels, registrations of both mobile nodes).
scenario {
  name = "mip6-cn-mobile",
  topology = "../../topologies/mip6.lua",
  set = { mns = 2, ro = "yes", wan_delay = "10ms", home_delay = "20ms" },
  duration = 16,
  rules = { "../rules/mip6.lua" },
}

local HOA1, HOA2 = "fd00:1:0:1::101", "fd00:1:0:1::102"
local HOME = 0.020
local flows = {}

local function ping(from, to, what)
  -- up to three tries a second apart: a registration whose first BU was
  -- lost is retransmitted after INITIAL_BINDACK_TIMEOUT (1 s, §13)
  local r
  for _ = 1, 3 do
    r = node(from):exec{ "ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", to, timeout = 5 }
    if r.status == 0 then break end
  end
  check(r.status == 0, from .. " reaches " .. to .. " " .. what)
  local rtts = {}
  for v in r.output:gmatch("time=([%d%.]+)") do rtts[#rtts + 1] = tonumber(v) end
  return rtts[#rtts]
end

at(1, function()
  move("mn2", "cell2", 0.05)
end)

at(2, function()
  flows[1] = flow { from = "mn2", to = "mn1", addr = HOA1, rate = 50, size = 100, duration = 11 }
  flows[2] = flow { from = "mn1", to = "mn2", addr = HOA2, rate = 50, size = 100, duration = 11 }
  log("flows: mn2 -> %s, mn1 -> %s (home address to home address)", HOA1, HOA2)
end)

local moves = { { 3, "cell1" }, { 7, "cell2" }, { 10, "cell1" } }
for _, m in ipairs(moves) do
  at(m[1], function()
    -- both away: ar -> core -> ha (HOME) -> core (HOME) -> ar, each way
    log("expected after the move to %s: mn1's handoff as in mip6-handoff; rtt mn1 <-> mn2 %.0f ms (both tunnels through ha)",
        m[2], 4 * 2 * HOME * 1e3 / 2)
    move("mn1", m[2], 0.05)
    wait(1.5)
    local rtt = ping("mn1", HOA2, "after the move to " .. m[2])
    log("rtt mn1 -> mn2 %s ms", tostring(rtt))
    check(rtt and rtt >= 0.9 * 4 * HOME * 1e3, "the round trip crosses core-ha four times")
  end)
end

at(15.5, function()
  for i = 1, 2 do
    local r = node(flows[i].to):exec{ "cat", flows[i].stats, timeout = 3 }
    log("flow %d: one-way delay p50 %s s, lost %s (expected %.3f s: two crossings of core-ha)", i,
        tostring(r.output:match('"p50":([%d%.e%-]+)')), tostring(r.output:match('"lost":(%d+)')), 2 * HOME)
  end
end)
