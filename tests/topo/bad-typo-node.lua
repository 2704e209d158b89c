-- expect: bad-typo-node.lua:4: unknown field 'rol' in node (known: role, run, conf, pos, forward, addressing, routes)
return topology {
  nodes = {
    node { "a", rol = "router" },
  },
}
