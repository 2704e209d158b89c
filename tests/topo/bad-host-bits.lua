-- expect: bad-host-bits.lua:4: link 'a-b': subnet4 "10.1.0.1/24" has host bits set (expected "10.1.0.0/24")
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = { link { "a", "b", subnet4 = "10.1.0.1/24" } },
}
