-- Two hosts on one point-to-point link; the impairment comes from --set.
local v6 = param("v6", 1)
return topology {
  name = "pair",
  ipv6 = v6 == 1,
  nodes = {
    node { "a", role = "host" },
    node { "b", role = "host" },
  },
  links = {
    link { "a", "b", subnet4 = "10.9.0.0/30",
           delay = param("delay", "0ms"), loss = param("loss", "0%"),
           rate = param("rate", "10Gbit") },
  },
}
