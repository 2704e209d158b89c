-- expect: bad-positional.lua:4: unexpected positional value #3 in link (it takes 2)
return topology {
  nodes = { node { "a" }, node { "b" }, node { "c" } },
  links = { link { "a", "b", "c" } },
}
