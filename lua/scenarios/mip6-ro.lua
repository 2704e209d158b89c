-- mip6-ro: Mobile IPv6 (RFC 6275) handoffs with route optimisation. The
-- same flows and delays as lua/scenarios/mip6-handoff.lua (cn -> mn1's home
-- address, mn1 -> cn; 20 ms on core-ha, 10 ms on the WAN link cn-core), but
-- ro = yes: after each home registration mn1 runs return routability with
-- cn (HoTI through the reverse tunnel, CoTI direct, §5.2.5) and registers
-- its care-of address there (BU with Nonce Indices and Binding
-- Authorization Data, §6.1.7). The path change shows in the captures: on
-- cn-core the data goes first to the home address (and on through ha's
-- tunnel), then straight to the care-of address with a type 2 routing
-- header; mn1's data leaves with a Home Address option instead of the
-- reverse tunnel (rules mip6.ro.cn and mip6.ro.mn, which must not be n/a).
-- The lifetime is 16 s so that cn asks for a refresh (BRR, §9.5.5) while in
-- cell1 and mn1 answers it (mip6.brr.answer).
scenario {
  name = "mip6-ro",
  topology = "../../topologies/mip6.lua",
  set = { mns = 1, ro = "yes", wan_delay = "10ms", home_delay = "20ms", lifetime = 16 },
  duration = 24,
  rules = { "../rules/mip6.lua" },
}

local GAP = 0.05
local RA_MIN, RA_MAX = 0.03, 0.07
local WAN, HOME = 0.010, 0.020
local HOA = "fd00:1:0:1::101"
local flows = {}

local handoff = require("models.handoff")
-- The model's phases (lua/models/handoff.lua), under the checker's names:
-- away, HoTI/HoT go mn1 -> ha (core-ha) -> cn and back, CoTI/CoT direct;
-- back home the deregistration with cn goes through ha's router.
local function expected(label, to)
  local r = handoff.predict { mip = 6, gap = GAP, ra = { RA_MIN, RA_MAX }, dad = "off", ro = true,
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
local function mn_status(out)
  local r = node("mn1"):exec{ "python3", "-c",
    "import socket,sys\ns=socket.socket(socket.AF_UNIX);s.settimeout(2);s.connect(sys.argv[1])\n" ..
    "s.sendall(b'status\\n');sys.stdout.write(s.makefile().read())", out .. "/mn1.ctl", timeout = 5 }
  return r.output:match("handoff[^\n]*") or "no handoff line"
end
local function flow_delay(f)
  local r = node(f.to):exec{ "cat", f.stats, timeout = 3 }
  return tonumber(r.output:match('"p50":([%d%.e%-]+)')), tonumber(r.output:match('"mean":([%d%.e%-]+)')),
         tonumber(r.output:match('"lost":(%d+)'))
end

at(1, function()
  flows[1] = flow { from = "cn", to = "mn1", addr = HOA, rate = 50, size = 100, duration = 18 }
  flows[2] = flow { from = "mn1", to = "cn", family = 6, rate = 50, size = 100, duration = 18 }
  log("flows started: cn -> %s and mn1 -> cn, 50/s each way", HOA)
end)

at(2, function()
  log("rtt at home %s ms (expected %.0f)", tostring(ping_home("at home")), 2 * (WAN + HOME) * 1e3)
end)

local moves = { { 3, "cell1" }, { 12, "cell2" }, { 18, "home" } }
for _, m in ipairs(moves) do
  at(m[1], function()
    expected("handoff to " .. m[2], m[2])
    move("mn1", m[2], GAP)
    wait(2)
    local rtt = ping_home("after the move to " .. m[2])
    log("mn1 after the move to %s: %s", m[2], mn_status(flows[1].stats:match("^(.*)/[^/]*$")))
    if m[2] ~= "home" then
      log("rtt away %s ms (expected %.0f direct; %.0f through the home agent)", tostring(rtt),
          2 * WAN * 1e3, 2 * (WAN + 2 * HOME) * 1e3)
      check(rtt and rtt < 2 * (WAN + HOME) * 1e3, "the round trip is route-optimised (no detour through ha)")
    end
  end)
end

at(23.5, function()
  local p50, mean, lost = flow_delay(flows[1])
  log("flow 1 (cn -> home address): one-way delay p50 %.1f ms mean %.1f ms, lost %s; expected %.0f ms route-optimised (%.0f tunnelled, %.0f at home)",
      (p50 or 0) * 1e3, (mean or 0) * 1e3, tostring(lost), WAN * 1e3, (WAN + 2 * HOME) * 1e3, (WAN + HOME) * 1e3)
  check(p50 and p50 < (WAN + HOME), "most of flow 1 takes the direct path")
  p50, mean, lost = flow_delay(flows[2])
  log("flow 2 (mn1 -> cn): one-way delay p50 %.1f ms mean %.1f ms, lost %s", (p50 or 0) * 1e3, (mean or 0) * 1e3, tostring(lost))
end)
