-- expect: bad-addr-dup.lua:5: duplicate address 10.1.0.2
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b", subnet4 = "10.1.0.0/24", addrs = { a = "10.1.0.2" } },
  },
}
