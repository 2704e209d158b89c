-- expect: bad-dup-link.lua:6: duplicate link name 'a-b' (first at line 5)
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b" },
    link { "a", "b" },
  },
}
