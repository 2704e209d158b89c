-- A scenario with an error at run time: roam run exits 2 and names the line.
scenario { topology = "../topo/pair.lua", duration = 1 }
at(0.1, function()
  move("a", "nowhere")
end)
