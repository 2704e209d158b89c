-- expect: bad-route-via.lua:4: node 'a': route to "10.9.0.0/16" via "10.5.0.1": no interface is on an IPv4 subnet with it
return topology {
  nodes = {
    node { "a", routes = { { to = "10.9.0.0/16", via = "10.5.0.1" } } },
    node { "b" },
  },
  links = { link { "a", "b" } },
}
