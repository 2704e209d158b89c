-- expect: bad-typo-topology.lua:2: unknown field 'link' in topology (known: name, routing, pool4, pool6, ipv6, nodes, links)
return topology {
  nodes = { node { "a" } },
  link = { },
}
