scenario { topology = "../topo/cells.lua", duration = 1 }
at(0.1, function() position("s", math.huge, 0) end)
