-- expect: bad-same-ends.lua:4: link 'a-a': node 'a' is on it twice
return topology {
  nodes = { node { "a" } },
  links = { link { "a", "a" } },
}
