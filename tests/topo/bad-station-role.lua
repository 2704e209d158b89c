-- expect: bad-station-role.lua:4: cell 'c': station 'r2' has role 'router'
return topology {
  nodes = { node { "r", role = "router" }, node { "r2", role = "router" } },
  links = { cell { "c", ap = "r", stations = { "r2" } } },
}
