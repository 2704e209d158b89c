-- expect: bad-unknown-node-link.lua:5: link 'a-x': unknown node 'x'
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "x" },
  },
}
