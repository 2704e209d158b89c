-- Order and timing of at/every/wait events; ties run in scheduling order.
scenario { topology = "none.lua" }
at(2, function() position("sta", 1, now()) end)
at(1, function()
  position("sta", 2, now())
  wait(0.5)
  position("sta", 3, now())
end)
every(1, function() position("sta", 4, now()) end, 3)
at(1, function() position("sta", 5, now()) end)
