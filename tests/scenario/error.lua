scenario { topology = "none.lua" }
at(1, function()
  local x = nil
  x.y = 1
end)
