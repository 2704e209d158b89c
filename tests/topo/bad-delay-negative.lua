-- expect: bad-delay-negative.lua:5: link 'a-b': delay: expected a time between 0 and 60s, got -0.01s
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b", delay = "-10ms" },
  },
}
