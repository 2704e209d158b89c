-- expect: bad-unknown-ap.lua:5: cell 'c': unknown node 'rr' in ap
return topology {
  nodes = { node { "r", role = "router" } },
  links = {
    cell { "c", ap = "rr" },
  },
}
