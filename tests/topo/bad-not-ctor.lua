-- expect: bad-not-ctor.lua:2: nodes[2]: expected a constructor value like node { ... }, got table
return topology {
  nodes = { node { "a" }, { "b" } },
}
