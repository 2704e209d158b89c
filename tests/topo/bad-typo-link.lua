-- expect: bad-typo-link.lua:5: unknown field 'dealy' in link (known: name, subnet4,
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b", dealy = "10ms" },
  },
}
