-- the run passes; its rules' check() never ends
scenario { topology = "../topo/pair.lua", duration = 0.3, rules = { "rule-checkloop.lua" } }
at(0.1, function() end)
