-- expect: bad-delay-long.lua:5: link 'a-b': delay: expected a time between 0 and 60s, got 90s
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b", delay = 90 },
  },
}
