-- expect: bad-typo-cell.lua:5: unknown field 'station' in cell (known: ap, stations,
return topology {
  nodes = { node { "r", role = "router" }, node { "s" } },
  links = {
    cell { "c", ap = "r", station = { "s" } },
  },
}
