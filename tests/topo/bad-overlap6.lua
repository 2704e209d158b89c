-- expect: bad-overlap6.lua:6: subnet6 fd00:1::/64 of segment 's2' overlaps fd00:1::/64 of segment 's1' (line 5)
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    segment { "s1", nodes = { "a" }, subnet6 = "fd00:1::/64" },
    segment { "s2", nodes = { "b" }, subnet6 = "fd00:1::/64" },
  },
}
