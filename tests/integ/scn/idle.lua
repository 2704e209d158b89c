-- A scenario that only lets the run go on for a while: what happens in it
-- comes from the topology (--set prog=...).
scenario { topology = "../topo/serve.lua", duration = param("duration", 1.5) }
at(0.1, function() end)
