-- expect: bad-typo-forward.lua:5: link 'a-b': forward: unknown field 'lost' in impairment
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b", forward = { lost = "1%" } },
  },
}
