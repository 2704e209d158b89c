-- expect: bad-addr-network.lua:4: segment 'lan': address 10.1.0.0 for 'a' is the network or broadcast address
return topology {
  nodes = { node { "a" } },
  links = { segment { "lan", nodes = { "a" }, subnet4 = "10.1.0.0/24", addrs = { a = "10.1.0.0" } } },
}
