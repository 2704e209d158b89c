-- topologies/line.lua: n routers in a chain r1 - r2 - ... - rn, a host at
-- each end (a - r1, rn - b); routing auto gives every node a path to every
-- subnet.
local n = param("n", 3)
local nodes = { node { "a", role = "host" } }
for i = 1, n do
  nodes[#nodes + 1] = node { "r" .. i, role = "router" }
end
nodes[#nodes + 1] = node { "b", role = "host" }
local links = { link { "a", "r1" } }
for i = 1, n - 1 do
  links[#links + 1] = link { "r" .. i, "r" .. (i + 1) }
end
links[#links + 1] = link { "r" .. n, "b" }
return topology {
  name = "line",
  routing = "auto",
  nodes = nodes,
  links = links,
}
