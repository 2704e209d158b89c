-- expect: bad-addr-outside.lua:5: link 'a-b': address 10.9.0.1 for 'a' is outside its subnet 10.1.0.0/24
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b", subnet4 = "10.1.0.0/24", addrs = { a = "10.9.0.1" } },
  },
}
