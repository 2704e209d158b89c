-- expect: bad-missing-ap.lua:5: cell 'c': missing ap = "node"
return topology {
  nodes = { node { "s" } },
  links = {
    cell { "c", stations = { "s" } },
  },
}
