-- fidelity: many handoffs of one kind, each predicted by lua/models/handoff.lua
-- and measured by the checker, to compare (bench/fidelity.sh prints the table
-- per phase: predicted, measured mean and p95, error %; docs/fidelity.md).
--   --set kind=mip4-fa         Mobile IPv4 through a foreign agent, cell1 <-> cell2
--   --set kind=mip4-colocated  Mobile IPv4 with a co-located care-of address
--   --set kind=mip6-home       Mobile IPv6, home registration only (ro = no); every
--                              other move returns home (deregistration with ha)
--   --set kind=mip6-ro         Mobile IPv6 with route optimisation, cell1 <-> cell2
--                              (the last move returns home: deregistration with cn)
--   --set moves=N spacing=S    N moves S seconds apart (default 44, 1.5 s); the
--                              first is a warm-up, left out of the table
--   --set ra_min=A ra_max=B    radvd's intervals (Mobile IPv6)
--   --set solicit=yes          the Mobile IPv6 node solicits an RA on link-up
--                              (needs a topology param solicit; predicted with
--                              radvd's answer delay, lua/models/handoff.lua)
-- Before each move the home agent's link (core-ha) and the WAN (cn-core) get
-- the next one-way delay of 5, 10, 20, 35, 50 ms. Each move logs one line
-- "fidelity handoff=K kind=... delay=... <phase>=<seconds> ..." with the
-- model's prediction; handoff K is the checker's handoff K.
local kind = param("kind", "mip6-ro")
local moves = param("moves", 44)
local spacing = param("spacing", 1.5)
local ra_min = param("ra_min", 0.03)
local ra_max = param("ra_max", 0.07)
-- the Mobile IPv6 node's Router Solicitation on link-up (its conf solicit,
-- set through the topology's param of that name when it has one)
local solicit = param("solicit", "no")

local KINDS = {
  ["mip4-fa"] = { topology = "../../topologies/mip4.lua", mip = 4, set = { mns = 1 } },
  ["mip4-colocated"] = { topology = "../../topologies/mip4.lua", mip = 4, set = { mns = 1, colocated = "yes" } },
  ["mip6-home"] = { topology = "../../topologies/mip6.lua", mip = 6, home = true, set = { mns = 1, ro = "no" } },
  ["mip6-ro"] = { topology = "../../topologies/mip6.lua", mip = 6, ro = true, set = { mns = 1, ro = "yes" } },
}
local K = KINDS[kind]
if not K then
  error("param kind: expected mip4-fa, mip4-colocated, mip6-home or mip6-ro vs " .. tostring(kind))
end
if K.mip == 6 then
  K.set.ra_min, K.set.ra_max, K.set.dad = ra_min, ra_max, "off"
  if solicit == "yes" then K.set.solicit = "yes" end
end

scenario {
  name = "fidelity-" .. kind,
  topology = K.topology,
  set = K.set,
  duration = 3 + moves * spacing + 2,
}

local handoff = require("models.handoff")
local GAP = 0.05
local HOA = K.mip == 4 and "10.1.0.101" or "fd00:1:0:1::101"

-- Flows both ways keep the neighbour caches on the path warm (a cold cache
-- adds an address resolution per hop to the first registration), give the
-- correspondent a binding to optimise, and give restoration times.
at(1, function()
  flow { from = "cn", to = "mn1", addr = HOA, rate = 20, size = 100, duration = moves * spacing + 3 }
  flow { from = "mn1", to = "cn", family = K.mip, rate = 20, size = 100, duration = moves * spacing + 3 }
end)
local DELAYS = { 0.005, 0.010, 0.020, 0.035, 0.050 }

-- where move i goes: cell1 <-> cell2, or with returns home cell1, home, cell2, home, ...
local function target(i)
  if K.ro and i == moves then return "home" end
  if K.home then
    if i % 2 == 0 then return "home" end
    return (i % 4 == 1) and "cell1" or "cell2"
  end
  return (i % 2 == 1) and "cell1" or "cell2"
end

local function predict(to, d)
  local p = { mip = K.mip, gap = GAP, to_home = to == "home", dad = "off", ro = K.ro }
  if K.mip == 4 then
    p.solicit, p.adv = true, 1	-- roam-mip4 solicits on carrier up; adv_interval 1 s
    p.d_ha = d			-- MN -> (FA ->) core -> HA: core-ha only is delayed
  else
    p.ra, p.solicit = { ra_min, ra_max }, solicit == "yes"
    p.d_ha, p.d_cn, p.d_ha_cn = d, d, 2 * d	-- core-ha, cn-core; ha -> core -> cn
  end
  return handoff.predict(p)
end

for i = 1, moves do
  local t = 3 + (i - 1) * spacing
  local d = DELAYS[(i - 1) % #DELAYS + 1]
  local to = target(i)
  at(t - 0.5, function()
    link("core-ha"):set{ delay = d }
    link("cn-core"):set{ delay = d }
  end)
  at(t, function()
    local r = predict(to, d)
    local parts = {}
    for _, k in ipairs(handoff.phases) do
      if r[k] then parts[#parts + 1] = string.format("%s=%.6f", k, r[k]) end
    end
    -- the first move also resolves every neighbour on the new path: a warm-up
    log("fidelity handoff=%d kind=%s to=%s delay=%.3f %s", i,
        i == 1 and "warmup" or (to == "home") and "returning-home" or kind, to, d, table.concat(parts, " "))
    move("mn1", to, GAP)
  end)
end
