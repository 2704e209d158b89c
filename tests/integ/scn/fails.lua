-- A scenario whose check fails: roam run exits 1.
scenario { topology = "../topo/pair.lua", duration = 1 }
at(0.2, function()
  local r = node("a"):exec{ "ping", "-c", "1", "-W", "1", "10.9.0.99" }
  check(r.status == 0, "10.9.0.99 answers (it does not exist)")
end)
