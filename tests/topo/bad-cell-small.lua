-- expect: bad-cell-small.lua:6: cell 'c1': subnet4 10.1.0.0/29 cannot hold all stations (host numbers up to 7: 6 stations in all cells)
return topology {
  nodes = { node { "r", role = "router" }, node { "s1" }, node { "s2" }, node { "s3" },
            node { "s4" }, node { "s5" }, node { "s6" } },
  links = {
    cell { "c1", ap = "r", subnet4 = "10.1.0.0/29", stations = { "s1", "s2" } },
    cell { "c2", ap = "r", stations = { "s3", "s4", "s5", "s6" } },
  },
}
