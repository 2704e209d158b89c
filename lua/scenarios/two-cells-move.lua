-- two-cells-move: the demo. A station streams UDP to a server while it
-- moves from cell1 to cell2 at t=3 and back at t=7. roam-traffic measures
-- the flow (flow-1.json in the run folder: loss, delay, jitter and the
-- handoff interruption); the checks below make sure the path works on
-- either side of each move and that an impairment set by the scenario
-- shows in the round trip time.
scenario {
  name = "two-cells-move",
  topology = "../../topologies/two-cells.lua",
  set = { gap = "50ms" },
  duration = 12,
}

-- One ping from the station to the server; true if it was answered, and
-- the round trip time in milliseconds.
local function ping_srv(what)
  local r = node("sta"):exec{ "ping", "-n", "-c", "1", "-W", "1", node("srv").addr4,
                              timeout = 3 }
  check(r.status == 0, "srv answers " .. what)
  return r.status == 0, tonumber(r.output:match("time=([%d%.]+)"))
end

local function cell_of(station)
  for _, i in ipairs(node(station).ifaces) do
    if i.link and i.link:match("^cell") then return i.link end
  end
end

local f
at(0.5, function()
  f = flow { from = "sta", to = "srv", rate = 200, size = 200, duration = 10 }
  log("flow %d to %s:%d, stats in %s", f.id, f.addr, f.port, f.stats)
end)

at(2, function()
  check(cell_of("sta") == "cell1", "sta starts in cell1")
  ping_srv("from cell1")
end)

at(3, function()
  position("sta", 90, 0)          -- walk towards cell2's access point
  move("sta", "cell2")
  wait(1)
  check(cell_of("sta") == "cell2", "sta is in cell2 after the move")
  ping_srv("after the move to cell2")
end)

at(5, function()
  link("r-srv"):set{ delay = "20ms" }
  check(math.abs(link("r-srv"):get().delay - 0.020) < 1e-6, "r-srv delay reads back")
  local ok, ms = ping_srv("through a 20ms link")
  check(ok and ms and ms >= 20, "the 20ms delay shows in the round trip time")
  link("r-srv"):set{ delay = 0 }
end)

at(7, function()
  position("sta", 10, 0)
  move("sta", "cell1")
  wait(1)
  check(cell_of("sta") == "cell1", "sta is back in cell1")
  ping_srv("after the move back to cell1")
end)

every(1, function() log("t=%.1f", now()) end, 11)
