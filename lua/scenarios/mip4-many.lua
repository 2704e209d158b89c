-- mip4-many: 50 mobile nodes (topologies/mip4.lua, mns = 50) roam at random
-- between home, cell1 and cell2 following a random waypoint model over the
-- cells (lua/models/random_waypoint.lua, inlined below: scenarios have no
-- require). Each node pauses 4 to 12 s between moves. A flow from cn to a
-- few home addresses runs throughout. The captures are checked against
-- lua/rules/mip4.lua; the report gives every handoff's latency split.
scenario {
  name = "mip4-many",
  topology = "../../topologies/mip4.lua",
  set = { mns = 50, wan_delay = "5ms" },
  duration = 30,
  rules = { "../rules/mip4.lua" },
}

local N, CELLS = 50, { "home", "cell1", "cell2" }
local PAUSE_MIN, PAUSE_MAX, T0, T_END = 4, 12, 3, 26
local GAP = 0.05

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

local stations, start = {}, {}
for i = 1, N do stations[i] = "mn" .. i; start[i] = "home" end
local plan = random_waypoint{ stations = stations, cells = CELLS, start = start,
                              pause_min = PAUSE_MIN, pause_max = PAUSE_MAX, t0 = T0, t_end = T_END }
local where, last_move, out = {}, {}, nil
for i = 1, N do where[stations[i]] = "home" end

for _, m in ipairs(plan) do
  at(m.t, function()
    move(m.station, m.cell, GAP)
    where[m.station] = m.cell
    last_move[m.station] = now()
  end)
end

at(1, function()
  log("%d stations, %d moves planned (random waypoint over %d cells, pause %d-%d s)",
      N, #plan, #CELLS, PAUSE_MIN, PAUSE_MAX)
  log("expected per handoff: l2 gap %.0f ms + discovery (solicited: ~1 ms; unsolicited: half of 1000 ms) + registration round trip (a few ms, more under load)", GAP * 1000)
  for i = 1, 3 do
    local f = flow { from = "cn", to = "mn" .. i, addr = "10.1.0." .. (100 + i), rate = 20, size = 100, duration = 26 }
    out = f.stats:match("^(.*)/[^/]*$")
  end
end)

-- Every 7 s: the home agent's binding table matches where the nodes are:
-- a node that moved more than 3 s ago is bound (to its cell's foreign
-- agent's care-of address) when away, unbound at home.
local COA = { cell1 = "10.0.2.2", cell2 = "10.0.3.2" }
local function bindings()
  local r = node("ha"):exec{ "python3", "-c",
    "import socket,sys\ns=socket.socket(socket.AF_UNIX);s.settimeout(2);s.connect(sys.argv[1])\n" ..
    "s.sendall(b'bindings\\n');sys.stdout.write(s.makefile().read())", out .. "/ha.ctl", timeout = 5 }
  local b = {}
  for hoa, coa in r.output:gmatch("(%d+%.%d+%.%d+%.%d+) coa (%d+%.%d+%.%d+%.%d+)") do b[hoa] = coa end
  return b, r.status
end
every(7, function()
  local b, st = bindings()
  check(st == 0, "ha answers on its control socket")
  local away, bad, n = 0, {}, 0
  for i, s in ipairs(stations) do
    local c, hoa = where[s], "10.1.0." .. (100 + i)
    if c ~= "home" then away = away + 1 end
    if now() - (last_move[s] or 0) > 3 then
      n = n + 1
      local want = COA[c]
      if b[hoa] ~= want then bad[#bad + 1] = string.format("%s in %s: bound %s", s, c, tostring(b[hoa])) end
    end
  end
  log("t=%.0f: %d of %d nodes away; %d settled nodes checked, %d mismatches %s", now(), away, N, n, #bad,
      table.concat(bad, "; "):sub(1, 300))
  check(#bad == 0, "ha's bindings match the settled nodes' cells")
end, 3)

at(28, function()
  local ok = 0
  for i = 1, 3 do
    local r = node("cn"):exec{ "ping", "-n", "-c", "1", "-W", "2", "10.1.0." .. (100 + i), timeout = 4 }
    if r.status == 0 then ok = ok + 1 end
  end
  check(ok == 3, "cn reaches mn1..mn3 at the end (" .. ok .. " of 3)")
end)
