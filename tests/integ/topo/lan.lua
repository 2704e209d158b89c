-- A LAN of four hosts and a router (the medium's snooping tests).
return topology {
  name = "lan",
  nodes = {
    node { "r", role = "router" },
    node { "h1", role = "host" }, node { "h2", role = "host" },
    node { "h3", role = "host" }, node { "h4", role = "host" },
  },
  links = {
    segment { "lan", nodes = { "r", "h1", "h2", "h3", "h4" },
              subnet4 = "10.7.0.0/24", subnet6 = "fd07::/64" },
  },
}
