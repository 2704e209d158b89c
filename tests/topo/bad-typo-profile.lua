-- expect: bad-typo-profile.lua:5: unknown field 'los' in profile step 2
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b", profile = { { t = 0, loss = "1%" }, { t = 1, los = "2%" } } },
  },
}
