-- expect: bad-conf-value.lua:3: node 'a': conf: expected key = string, number or boolean, got string = table
return topology {
  nodes = { node { "a", conf = { x = {} } } },
}
