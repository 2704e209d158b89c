-- expect: bad-syntax.lua:4:
return topology {
  nodes = { node { "a" } ,
  links = { = },
}
