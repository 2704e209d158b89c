-- topologies/star.lua: n hosts on one LAN segment "lan", nothing else.
local n = param("n", 10)
local nodes, names = {}, {}
for i = 1, n do
  names[i] = "h" .. i
  nodes[i] = node { names[i], role = "host" }
end
return topology {
  name = "star",
  nodes = nodes,
  links = { segment { "lan", nodes = names } },
}
