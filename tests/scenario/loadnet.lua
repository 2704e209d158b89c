-- The network does not exist while the scenario loads.
scenario { topology = "none.lua" }
move("sta", "cell2")
