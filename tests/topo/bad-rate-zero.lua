-- expect: bad-rate-zero.lua:5: link 'a-b': back: rate: expected a rate between 1bit and 1000Gbit
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b", back = { rate = 0 } },
  },
}
