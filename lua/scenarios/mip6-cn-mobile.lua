-- mip6-cn-mobile: the correspondent is itself a mobile node. Two mobile
-- nodes of ha (mns = 2: mn1 fd00:1:0:1::101, mn2 ::102) talk home address
-- to home address while both are away: mn2 sits in cell2, mn1 moves home ->
-- cell1 -> cell2 -> cell1. Each mobile node is also a correspondent (RFC
-- 6275 §8.2, roam-mip6's mnd_cn.c): each runs return routability with the
-- other's home address (HoTI through ha, CoTI direct, answered from the home
-- address through the reverse tunnel), binds its care-of address there with
-- an authenticated BU/BA (Binding Authorization Data, §5.2.6), and then the
-- data goes care-of address to care-of address with a Home Address option
-- and a type 2 routing header (§9.3.2, §11.3.1), ha out of the path. After
-- each move the old route-optimised path is dead until the new BU reaches
-- the peer (one return routability round through ha). Only global
-- addresses take part: no HoTI to a link-local address, and no ICMPv6
-- Parameter Problem in any capture (tests/integ/mip6-scenarios.sh). Checked
-- against lua/rules/mip6.lua (tunnels, registrations, route optimisation).
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

-- the binding update list of a mobile node, from its control socket
local function bul(name)
  local out = flows[1].stats:match("^(.*)/[^/]*$")   -- the run's folder: the control sockets
  local r = node(name):exec{ "python3", "-c",
    "import socket,sys\ns=socket.socket(socket.AF_UNIX);s.settimeout(2);s.connect(sys.argv[1])\n" ..
    "s.sendall(b'bul\\n');sys.stdout.write(s.makefile().read())", out .. "/" .. name .. ".ctl", timeout = 5 }
  return r.output
end
-- within limit seconds the binding update list of name holds peer bound
-- (one return routability round through ha, a retransmission at most)
local function bound(name, peer, limit)
  local pat, out = "cn " .. peer:gsub("%p", "%%%0") .. " [^\n]* state bound", ""
  for _ = 1, limit / 0.25 do
    out = bul(name)
    if out:find(pat) then return true end
    wait(0.25)
  end
  log("%s's binding update list: %s", name, out)
  return false
end

local moves = { { 3, "cell1" }, { 7, "cell2" }, { 10, "cell1" } }
for _, m in ipairs(moves) do
  at(m[1], function()
    -- route-optimised: ar -> core -> ar, no delay; through ha it would be
    -- ar -> core -> ha (HOME) -> core (HOME) -> ar each way
    log("expected after the move to %s: mn1's handoff as in mip6-handoff, then return routability with mn2 (~%.0f ms through ha); rtt mn1 <-> mn2 ~1 ms (route-optimised) instead of %.0f ms (both tunnels through ha)",
        m[2], 4 * HOME * 1e3, 4 * HOME * 1e3)
    move("mn1", m[2], 0.05)
    wait(0.5)
    check(bound("mn1", HOA2, 2.5), "mn1 has a binding at mn2 after the move to " .. m[2])
    check(bound("mn2", HOA1, 0.5), "mn2 has a binding at mn1 after the move to " .. m[2])
    local rtt = ping("mn1", HOA2, "after the move to " .. m[2])
    log("rtt mn1 -> mn2 %s ms", tostring(rtt))
    check(rtt and rtt < 2 * HOME * 1e3, "the round trip keeps out of ha (route optimisation)")
  end)
end

at(15.5, function()
  for i = 1, 2 do
    local r = node(flows[i].to):exec{ "cat", flows[i].stats, timeout = 3 }
    log("flow %d: one-way delay p50 %s s, lost %s (route-optimised: ~0 s; through ha it would be %.3f s)", i,
        tostring(r.output:match('"p50":([%d%.e%-]+)')), tostring(r.output:match('"lost":(%d+)')), 2 * HOME)
  end
end)
