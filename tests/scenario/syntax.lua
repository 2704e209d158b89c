scenario { topology = "none.lua" }
at(1, function() end end)
