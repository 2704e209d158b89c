-- expect: bad-rate-tiny.lua:4: link 'a-b': rate: expected a rate between 1bit and 1000Gbit, got "1e-9bit"
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = { link { "a", "b", rate = "1e-9bit" } },
}
