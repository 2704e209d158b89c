-- The network functions reach the run through scn_ops.
scenario { topology = "none.lua" }
local f, g
at(0.5, function()
  f = flow { from = "sta", to = "srv", rate = 200, size = 200, duration = 10 }
  g = flow { from = "srv", to = "sta", family = 6 }
  check(f.id == 1 and f.port == 9001 and g.id == 2 and g.port == 9002, "flow ids and ports")
  check(g.addr == "fd00:1::2", "flow to sta over IPv6")
end)
at(3, function() move("sta", "cell2") end)
at(4, function()
  local n = node("srv")
  check(n.addr4 == "10.0.9.2" and n.addr6 == "fd00:9::2" and n.role == "host", "node fields")
  check(n.ifaces[1].name == "eth0" and n.ifaces[1].link == "r-srv", "node ifaces")
  local r = node("sta"):exec{ "ping", "-c", 1, "-W", "1", n.addr4, timeout = 2 }
  check(r.status == 0 and r.output:match("time=41.2 ms"), "exec result")
  link("r-srv"):set{ delay = "20ms", loss = "1%", dir = "back" }
  check(math.abs(link("r-srv"):get("back").delay - 0.02) < 1e-9, "link get after set")
  check(link("r-srv"):get().delay == 0, "forward untouched")
  wait(1.5)
  position("sta", 200, 0)
  move("sta", "cell1", "10ms")
  local h = node("srv"):spawn{ "sleep", "100" }
  check(h > 0, "spawn handle")
end)
