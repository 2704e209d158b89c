-- expect: bad-typo-ge.lua:5: link 'a-b': unknown field 'q' in ge (known: p, r, loss_good, loss_bad)
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b", ge = { q = 0.1 } },
  },
}
