-- expect: bad-route-dev.lua:4: node 'a': route to "default": dev "eth7" is not one of its interfaces
return topology {
  nodes = {
    node { "a", routes = { { to = "default", dev = "eth7" } } },
    node { "b" },
  },
  links = { link { "a", "b" } },
}
