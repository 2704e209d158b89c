-- expect: bad-overlap.lua:6: subnet4 10.1.2.0/24 of link 'b-c' overlaps 10.1.0.0/16 of link 'a-b' (line 5)
return topology {
  nodes = { node { "a" }, node { "b", role = "router" }, node { "c" } },
  links = {
    link { "a", "b", subnet4 = "10.1.0.0/16" },
    link { "b", "c", subnet4 = "10.1.2.0/24" },
  },
}
