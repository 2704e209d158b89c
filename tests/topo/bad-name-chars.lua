-- expect: bad-name-chars.lua:3: node name "a b": expected letters, digits
return topology {
  nodes = { node { "a b" } },
}
