-- expect: bad-typo-route.lua:4: unknown field 'gw' in routes[1] of node 'a' (known: to, via, dev, auto)
return topology {
  nodes = {
    node { "a", routes = { { to = "default", gw = "10.0.0.1" } } },
  },
}
