scenario { topology = "none.lua" }
at(1, function()
  while true do end
end)
