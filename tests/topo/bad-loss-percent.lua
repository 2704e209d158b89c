-- expect: bad-loss-percent.lua:4: segment 'lan': loss: expected a probability between 0 and 1
return topology {
  nodes = { node { "a" } },
  links = { segment { "lan", nodes = { "a" }, loss = "150%" } },
}
