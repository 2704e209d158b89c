-- expect: bad-loss-range.lua:5: link 'a-b': loss: expected a probability between 0 and 1
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b", loss = 1.5 },
  },
}
