-- fail() records and ends the scenario.
scenario { topology = "none.lua" }
at(1, function()
  fail("bad thing")
  position("sta", 1, now())
end)
at(2, function() position("sta", 2, now()) end)
