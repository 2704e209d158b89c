-- An unknown field is an error at the scenario's line, naming the field.
scenario { topology = "none.lua" }
at(0.5, function()
  send { from = "mn", to = "ha", mh = { type = "bu", sequence = 1 }, ip6 = {} }
end)
