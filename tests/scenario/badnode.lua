scenario { topology = "none.lua" }
at(1, function()
  move("nobody", "cell2")
end)
