-- an endless loop that catches the watchdog's error
scenario { topology = "../topo/pair.lua", duration = 30 }
at(0.2, function() while true do pcall(function() while true do end end) end end)
