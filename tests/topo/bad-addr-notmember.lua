-- expect: bad-addr-notmember.lua:4: link 'a-b': addrs: 'c' is not a node on this link
return topology {
  nodes = { node { "a" }, node { "b" }, node { "c" } },
  links = { link { "a", "b", addrs = { c = "10.0.0.9" } } },
}
