-- finish() ends the scenario at once, normally.
scenario { topology = "none.lua", duration = 10 }
at(1, function()
  position("sta", 1, now())
  finish()
  position("sta", 2, now())
end)
at(2, function() position("sta", 3, now()) end)
