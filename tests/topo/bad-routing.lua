-- expect: bad-routing.lua:2: topology: routing: expected "auto" or "none", got "ospf"
return topology {
  routing = "ospf",
  nodes = { node { "a" } },
}
