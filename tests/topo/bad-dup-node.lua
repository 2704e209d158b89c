-- expect: bad-dup-node.lua:6: duplicate node name 'a' (first at line 4)
return topology {
  nodes = {
    node { "a" },
    node { "b" },
    node { "a", role = "router" },
  },
}
