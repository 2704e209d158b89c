-- expect: bad-rate-unit.lua:5: cell 'c': rate: expected a rate like "10Mbit"
return topology {
  nodes = { node { "r", role = "router" } },
  links = {
    cell { "c", ap = "r", rate = "54ms" },
  },
}
