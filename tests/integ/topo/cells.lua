-- A router with a wired server and two radio cells, one station.
return topology {
  name = "cells",
  routing = "auto",
  nodes = {
    node { "r", role = "router" },
    node { "srv", role = "host" },
    node { "s", role = "host", pos = { 5, 0 } },
  },
  links = {
    link { "r", "srv", subnet4 = "10.8.0.0/24" },
    cell { "c1", ap = "r", subnet4 = "10.8.1.0/24", x = 0, y = 0, stations = { "s" },
           handoff_gap = "300ms" },
    cell { "c2", ap = "r", subnet4 = "10.8.2.0/24", x = 100, y = 0, handoff_gap = "300ms" },
  },
}
