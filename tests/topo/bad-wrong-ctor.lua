-- expect: bad-wrong-ctor.lua:3: links[1]: expected link, segment or cell { ... }, got node { ... }
return topology {
  nodes = { node { "a" } }, links = { node { "b" } },
}
