-- expect: bad-subnet6-noipv6.lua:5: link 'a-b': subnet6 given but the topology has ipv6 = false
return topology {
  ipv6 = false,
  nodes = { node { "a" }, node { "b" } },
  links = { link { "a", "b", subnet6 = "fd00:5::/64" } },
}
