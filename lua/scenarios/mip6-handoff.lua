-- mip6-handoff: Mobile IPv6 (RFC 6275) handoffs with bidirectional
-- tunnelling only (ro = no). mn1 moves home -> cell1 -> cell2 -> home while
-- two flows run: cn -> mn1's home address (tunnelled by ha to the care-of
-- address, §10.4.2) and mn1 -> cn (reverse-tunnelled, §11.3.1). The core-ha
-- link has 20 ms of delay so that the detour through the home agent shows
-- (compare lua/scenarios/mip6-ro.lua, the same with route optimisation).
-- The captures are checked against lua/rules/mip6.lua; the report gives per
-- handoff the latency split the engine measures (docs/checks.md); the log
-- gives what the RFC timers and the delays below predict, the mobile node's
-- own split (its control socket) and the flows' delays (docs/mip6-rules.md).
scenario {
  name = "mip6-handoff",
  topology = "../../topologies/mip6.lua",
  set = { mns = 1, ro = "no", wan_delay = "10ms", home_delay = "20ms" },
  duration = 16,
  rules = { "../rules/mip6.lua" },
}

local GAP = 0.05                    -- s: the L2 gap of each move
local RA_MIN, RA_MAX = 0.03, 0.07   -- s: radvd's intervals (topologies/mip6.lua, §7.5)
local WAN, HOME = 0.010, 0.020      -- s: cn-core and core-ha delays
local HOA = "fd00:1:0:1::101"
local flows = {}

local handoff = require("models.handoff")
-- The model's phases (lua/models/handoff.lua): detection is the mean
-- residual RA interval; away the BU and BA cross core-ha both ways, at home
-- they stay on the home link.
local function expected(label, to)
  local r = handoff.predict { mip = 6, gap = GAP, ra = { RA_MIN, RA_MAX }, dad = "off",
                              to_home = to == "home", d_ha = HOME, d_cn = WAN, d_ha_cn = HOME + WAN }
  log("expected %s: %s", label, handoff.describe(r))
end

local function ping_home(what)
  local r = node("cn"):exec{ "ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", HOA, timeout = 5 }
  check(r.status == 0, "cn reaches mn1's home address " .. what)
  local rtts = {}
  for v in r.output:gmatch("time=([%d%.]+)") do rtts[#rtts + 1] = tonumber(v) end
  return rtts[#rtts]
end

-- the mobile node's last handoff in parts, from its control socket
local function mn_status(out)
  local r = node("mn1"):exec{ "python3", "-c",
    "import socket,sys\ns=socket.socket(socket.AF_UNIX);s.settimeout(2);s.connect(sys.argv[1])\n" ..
    "s.sendall(b'status\\n');sys.stdout.write(s.makefile().read())", out .. "/mn1.ctl", timeout = 5 }
  return r.output:match("handoff[^\n]*") or "no handoff line"
end
local function flow_delay(f)
  local r = node(f.to):exec{ "cat", f.stats, timeout = 3 }
  local p50 = tonumber(r.output:match('"p50":([%d%.e%-]+)'))
  local mean = tonumber(r.output:match('"mean":([%d%.e%-]+)'))
  local lost = tonumber(r.output:match('"lost":(%d+)'))
  return p50, mean, lost
end

at(1, function()
  flows[1] = flow { from = "cn", to = "mn1", addr = HOA, rate = 50, size = 100, duration = 12 }
  flows[2] = flow { from = "mn1", to = "cn", family = 6, rate = 50, size = 100, duration = 12 }
  log("flows started: cn -> %s and mn1 -> cn, 50/s each way", HOA)
end)

at(2, function()
  local rtt = ping_home("at home")
  log("rtt at home %s ms (expected %.0f: cn-core and core-ha both ways)", tostring(rtt), 2 * (WAN + HOME) * 1e3)
end)

local moves = { { 3, "cell1" }, { 7, "cell2" }, { 11, "home" } }
for _, m in ipairs(moves) do
  at(m[1], function()
    expected("handoff to " .. m[2], m[2])
    move("mn1", m[2], GAP)
    wait(2)
    local rtt = ping_home("after the move to " .. m[2])
    log("mn1 after the move to %s: %s", m[2], mn_status(flows[1].stats:match("^(.*)/[^/]*$")))
    if m[2] ~= "home" then
      -- through the tunnel: cn -> core -> ha -> core -> ar -> mn1 and back
      local want = 2 * (WAN + 2 * HOME) * 1e3
      log("rtt away %s ms (expected %.0f: the detour through ha both ways)", tostring(rtt), want)
      check(rtt and rtt >= 0.9 * want, "the round trip goes through the home agent")
    end
  end)
end

at(15.5, function()
  local p50, mean, lost = flow_delay(flows[1])
  log("flow 1 (cn -> home address): one-way delay p50 %.1f ms mean %.1f ms, lost %s; expected %.0f ms tunnelled (%.0f at home)",
      (p50 or 0) * 1e3, (mean or 0) * 1e3, tostring(lost), (WAN + 2 * HOME) * 1e3, (WAN + HOME) * 1e3)
  check(p50 and p50 >= 0.9 * (WAN + HOME), "flow 1 takes the path through the home agent")
  p50, mean, lost = flow_delay(flows[2])
  log("flow 2 (mn1 -> cn): one-way delay p50 %.1f ms mean %.1f ms, lost %s", (p50 or 0) * 1e3, (mean or 0) * 1e3, tostring(lost))
end)
