scenario {
  name = "sets",
  topology = "../../topologies/two-cells.lua",
  set = { gap = "50ms", n = 3 },
  duration = 12,
  rules = { "rules/a.lua" },
}
