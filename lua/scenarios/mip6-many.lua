-- mip6-many: 50 mobile nodes of one home agent moving at random between
-- home, cell1 and cell2 (each second about a tenth of them move, 50 ms L2
-- gap), with flows from cn to five of them. Every handoff is measured by the
-- engine and every registration, tunnel and route optimisation is checked
-- against lua/rules/mip6.lua. The movement is pseudo-random with Lua's
-- math.random (seeded 0 by the scenario engine), so a run replays.
-- Length: --set secs=N (default 60; the integration test uses 10).
-- --set mns=N changes the number of mobile nodes.
local secs = param("secs", 60)
scenario {
  name = "mip6-many",
  topology = "../../topologies/mip6.lua",
  set = { mns = 50, ro = "yes", wan_delay = "10ms" },
  rules = { "../rules/mip6.lua" },
}

local CELLS = { "home", "cell1", "cell2" }
local where, mns = {}, {}

at(0.5, function()
  for i = 1, 1000 do
    local ok = pcall(node, "mn" .. i)
    if not ok then break end
    mns[i] = "mn" .. i
    where[i] = "home"
  end
  log("%d mobile nodes, %d s of random movement", #mns, secs)
  local f1
  for i = 1, math.min(5, #mns) do
    local f = flow { from = "cn", to = mns[i], addr = string.format("fd00:1:0:1::%x", 256 + i), rate = 20, size = 100,
           duration = secs - 1 }
    f1 = f1 or f
  end
  local moves = 0
  every(1, function()
    for _ = 1, math.max(1, #mns // 10) do
      local i = math.random(#mns)
      local c = CELLS[math.random(#CELLS)]
      if c ~= where[i] then
        move(mns[i], c, 0.05)
        where[i] = c
        moves = moves + 1
      end
    end
  end, secs - 2)
  at(secs, function()
    local r2 = node("ha"):exec{ "python3", "-c",
      "import socket,sys\ns=socket.socket(socket.AF_UNIX);s.settimeout(2);s.connect(sys.argv[1])\n" ..
      "s.sendall(b'bindings\\n');sys.stdout.write(s.makefile().read())",
      f1.stats:match("^(.*)/[^/]*$") .. "/ha.ctl", timeout = 5 }
    local away = 0
    for i = 1, #mns do if where[i] ~= "home" then away = away + 1 end end
    local bound = 0
    for _ in r2.output:gmatch("coa") do bound = bound + 1 end
    log("%d moves; %d mobile nodes away at the end, %d bindings at ha", moves, away, bound)
    check(bound == away, "ha holds one binding per mobile node away")
    finish()
  end)
end)
