return topology { name = "r", nodes = { node { "a" }, node { "b" } },
  links = { link { "a", "b", rate = "1e-9bit" } } }
