-- expect: bad-subnet-family.lua:4: link 'a-b': subnet4: expected an IPv4 prefix
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = { link { "a", "b", subnet4 = "fd00::/64" } },
}
