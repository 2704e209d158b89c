-- expect: bad-gap-unit.lua:4: cell 'c': handoff_gap: expected a time like
return topology {
  nodes = { node { "r", role = "router" } },
  links = { cell { "c", ap = "r", handoff_gap = "5kbit" } },
}
