-- expect: bad-station-two-cells.lua:6: cell 'c2': station 's' is already in cell 'c1' (line 5)
return topology {
  nodes = { node { "r", role = "router" }, node { "s" } },
  links = {
    cell { "c1", ap = "r", stations = { "s" } },
    cell { "c2", ap = "r", stations = { "s" } },
  },
}
