-- topologies/two-cells.lua: a router serving two radio cells, a server, one station
local gap = param("gap", "50ms")
return topology {
  name = "two-cells",
  routing = "auto",               -- or "none" (only routes written in nodes)
  -- pool4 = "10.0.0.0/8", pool6 = "fd00:0:0::/48", ipv6 = true  (defaults)
  nodes = {
    node { "r",   role = "router" },
    node { "srv", role = "host", run = { "{bin}/roam-traffic recv --port 9000" } },
    node { "sta", role = "host", pos = {10, 0} },
  },
  links = {
    link { "r", "srv", subnet4 = "10.0.0.0/24", subnet6 = "fd00:0:0:1::/64", delay = "2ms" },
    cell { "cell1", ap = "r", x = 0,   y = 0, stations = { "sta" }, handoff_gap = gap },
    cell { "cell2", ap = "r", x = 100, y = 0 },
  },
}
