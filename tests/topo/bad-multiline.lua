-- expect: bad-multiline.lua:5: unknown field 'adressing' in node
return topology {
  nodes = {
    node { "a" },
    node {
      "b",
      role = "host",
      adressing = false,
    },
  },
}
