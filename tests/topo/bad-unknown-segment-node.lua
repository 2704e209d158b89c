-- expect: bad-unknown-segment-node.lua:4: segment 'lan': unknown node 'c' in nodes
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = { segment { "lan", nodes = { "a", "b", "c" } } },
}
