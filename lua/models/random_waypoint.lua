-- random_waypoint.lua — a random waypoint mobility model over discrete
-- cells: each station pauses a random time (uniform in [pause_min,
-- pause_max] seconds), then moves to a cell drawn uniformly among the others,
-- and so on until the end of the run. Randomness is math.random, which
-- roam seeds with 0 in a scenario, so a run replays.
--
-- Scenarios have no require (docs/roam-scenario.5): a scenario inlines the
-- block between the BEGIN and END lines below, unchanged
-- (tests/integ/mip4-scenarios.sh checks that the copies are identical).
--
--   local plan = random_waypoint{ stations = {...}, cells = {...}, start = {...},
--                                 pause_min = 3, pause_max = 10, t0 = 2, t_end = 40 }
--   for _, m in ipairs(plan) do at(m.t, function() move(m.station, m.cell) end) end
--
-- plan is a list of { t, station, from, cell } in time order.

-- BEGIN random_waypoint
local function random_waypoint(o)
  local plan = {}
  for i, st in ipairs(o.stations) do
    local cell = o.start and o.start[i] or o.cells[1]
    local t = o.t0 + math.random() * (o.pause_max - o.pause_min) + o.pause_min * 0.5
    while t < o.t_end do
      local nxt = cell
      while nxt == cell and #o.cells > 1 do nxt = o.cells[math.random(#o.cells)] end
      plan[#plan + 1] = { t = t, station = st, from = cell, cell = nxt }
      cell = nxt
      t = t + o.pause_min + math.random() * (o.pause_max - o.pause_min)
    end
  end
  table.sort(plan, function(a, b) if a.t ~= b.t then return a.t < b.t end return a.station < b.station end)
  return plan
end
-- END random_waypoint

return random_waypoint
