-- expect: bad-parsecs.lua:5: link 'a-b': jitter: expected a time like "10ms", "250us", "1.5s" or a number of seconds, got "5 parsecs"
return topology {
  nodes = { node { "a" }, node { "b" } },
  links = {
    link { "a", "b", jitter = "5 parsecs" },
  },
}
