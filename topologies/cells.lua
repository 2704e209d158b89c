-- topologies/cells.lua: a core router "core", `cells` access routers ar1..arN
-- each serving a radio cell c1..cN, and `stations` stations s1..sM spread
-- over the cells round-robin; IPv6 on. The benchmark's topology: each cell's
-- subnet holds every station (a station keeps its host number in any cell).
local stations = param("stations", 1000)
local cells = param("cells", 20)
local nodes = { node { "core", role = "router" } }
local links = {}
local members = {}
for c = 1, cells do
  nodes[#nodes + 1] = node { "ar" .. c, role = "router" }
  links[#links + 1] = link { "core", "ar" .. c, delay = "1ms" }
  members[c] = {}
end
for s = 1, stations do
  local c = (s - 1) % cells + 1
  local x = (c - 1) * 100 + 10
  nodes[#nodes + 1] = node { "s" .. s, role = "host", pos = { x, 0 } }
  table.insert(members[c], "s" .. s)
end
for c = 1, cells do
  links[#links + 1] = cell { "c" .. c, ap = "ar" .. c, x = (c - 1) * 100, y = 0,
                             stations = members[c] }
end
return topology {
  name = "cells",
  routing = "auto",
  ipv6 = true,
  nodes = nodes,
  links = links,
}
