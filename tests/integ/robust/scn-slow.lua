-- a loop the watchdog would take minutes to stop: a signal must end it
scenario { topology = "../topo/pair.lua", duration = 60 }
at(0.2, function() while true do pcall(function() while true do local s = string.rep("x", 1e5) end end) end end)
