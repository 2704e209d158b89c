scenario { topology = "none.lua" }
at(1, function()
  link("r-srv"):set{ delay = "1ms" }
  link("no-such-link"):set{ delay = "1ms" }
end)
