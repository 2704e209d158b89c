scenario { topology = "../topo/pair.lua", duration = 1e300 }
