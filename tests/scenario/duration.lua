-- duration cuts an endless every() and drops pending coroutines.
scenario { topology = "none.lua", duration = "2.5s" }
every(1, function() position("sta", 1, now()) end)
at(2, function() wait(5); position("sta", 2, now()) end)
