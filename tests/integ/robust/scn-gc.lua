-- a finalizer made while the run is live
scenario { topology = "../topo/pair.lua", duration = 2 }
at(0.2, function() local t = setmetatable({}, { __gc = function() while true do end end }) end)
