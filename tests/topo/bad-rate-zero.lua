-- expect: bad-rate-zero.lua:5: link 'a-b': back: rate: expected a rate > 0
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b", back = { rate = 0 } },
  },
}
