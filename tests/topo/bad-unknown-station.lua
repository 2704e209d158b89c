-- expect: bad-unknown-station.lua:4: cell 'c': unknown node 'zz' in stations
return topology {
  nodes = { node { "r", role = "router" }, node { "s" } },
  links = { cell { "c", ap = "r", stations = { "s", "zz" } } },
}
