-- A topology using most features (checked by tests/unit/test_topo.c): units,
-- directional impairments, Gilbert-Elliott, profiles, addrs, written routes,
-- conf, a mobile node that addresses itself, routing = "none".
return topology {
  name = "features",
  routing = "none",
  nodes = {
    node { "isp", role = "router", routes = { { to = "10.0.0.0/8", via = "gw" } } },
    node { "gw", role = "router",
      routes = { { to = "default", via = "192.168.7.1", dev = "eth0" } } },
    node { "ha", role = "mip6.ha", conf = { home = "fd00:0:0:9::/64", lifetime = 60 },
      run = { "{bin}/roam-mip6 ha --conf {run}/ha.conf", "echo \"quoted\" \\ back" } },
    node { "mn", role = "mip6.mn", pos = { 5, 2.5 } },
    node { "end", role = "host" },
  },
  links = {
    link { "gw", "isp", name = "wan", subnet4 = "192.168.7.0/24",
      addrs = { gw = "192.168.7.9", isp = { "192.168.7.1", "fd00:0:0:77::1" } },
      subnet6 = "fd00:0:0:77::/64",
      delay = "10ms", rate = "10Mbit", loss = "1%",
      back = { delay = "30ms", ge = { p = 0.05, r = "50%" } },
      profile = {
        { t = "5s", dir = "forward", loss = 0.2 },
        { t = 0, dir = "forward", loss = "0%" },
        { t = 2, dir = "back", loss = "50%", rate = "64kbit" },
      } },
    segment { "home", nodes = { "gw", "ha", "end" }, jitter = "250us", dup = "0.1%", reorder = 0.02,
      profile = { { t = "1.5s", delay = 0.0123456789 } } },
    cell { "c", ap = "ha", stations = { "mn" }, down = { loss_corr = "25%" },
      up = { rate = "1Gbit" }, snr_min = 3, rate = "11Mbit", handoff_gap = "1s" },
  },
}
