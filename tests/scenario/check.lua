-- A failed check is counted and the scenario goes on.
scenario { topology = "none.lua" }
at(1, function()
  check(1 + 1 == 2, "arithmetic")
  check(false, "boom")
  position("sta", 1, now())
end)
at(2, function() position("sta", 2, now()) end)
