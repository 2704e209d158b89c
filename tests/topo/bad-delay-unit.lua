-- expect: bad-delay-unit.lua:5: link 'a-b': delay: expected a time like "10ms", "250us", "1.5s" or a number of seconds, got "10Mbit"
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b", delay = "10Mbit" },
  },
}
