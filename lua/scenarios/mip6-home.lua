-- mip6-home: returning home (RFC 6275 §11.5.4). mn1 leaves home for cell1,
-- registers (and, with ro = yes, binds its care-of address at cn), then
-- comes back: it deregisters with ha (BU from the home address, lifetime
-- 0), advertises its home address again (NA with O set) and deregisters
-- with cn (Kbm from the home keygen token alone). At home the scenario also
-- sends cn a Mobility Header of an unknown type and a packet with a Home
-- Address option nobody bound, so that cn's Binding Errors (status 2 and 1,
-- §9.2, §9.3.3) are in the capture. The first registration from cell1 is
-- made to wait: core-ha drops everything for 4 s, so the capture shows the
-- retransmissions (InitialBindackTimeoutFirstReg 1.5 s, then 3 s, §11.8).
-- Checked against lua/rules/mip6.lua (mip6.dereg.*, mip6.mn.na.home,
-- mip6.tun.dereg, mip6.be.*, mip6.bu.backoff.first).
scenario {
  name = "mip6-home",
  topology = "../../topologies/mip6.lua",
  set = { mns = 1, ro = "yes", wan_delay = "10ms" },
  duration = 16,
  rules = { "../rules/mip6.lua" },
}

local HOA = "fd00:1:0:1::101"
local GAP = 0.05
local handoff = require("models.handoff")

local function mn_has_home_on_radio()
  local r = node("mn1"):exec{ "ip", "-6", "-o", "addr", "show", "dev", "wlan0", timeout = 3 }
  return r.output:find(HOA, 1, true) ~= nil
end
local function ping_home(what)
  local r = node("cn"):exec{ "ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", HOA, timeout = 5 }
  check(r.status == 0, "cn reaches mn1's home address " .. what)
end

at(1, function()
  flow { from = "cn", to = "mn1", addr = HOA, rate = 20, size = 100, duration = 10 }
  check(mn_has_home_on_radio(), "mn1 starts with its home address on its radio")
  ping_home("at home")
end)

at(2.9, function()
  link("core-ha"):set{ loss = 1 }
  log("core-ha drops everything until 6.9 s: expected BUs at ~3.1, ~4.6 (1.5 s) and ~7.6 s (3 s), then the BA")
end)
at(6.9, function() link("core-ha"):set{ loss = 0 } end)

at(3, function()
  move("mn1", "cell1", GAP)
  wait(1.5)
  check(not mn_has_home_on_radio(), "away, the home address is not on the radio")
  wait(4)
  ping_home("in cell1")
end)

at(10, function()
  -- the model (lua/models/handoff.lua): a home keygen token still valid,
  -- the deregistration with cn is one round trip from the home link
  local r = handoff.predict { mip = 6, gap = GAP, ra = { 0.03, 0.07 }, ro = true, to_home = true,
                              d_ha = 0, d_cn = 0.010, d_ha_cn = 0.010 }
  log("expected back home: %s", handoff.describe(r))
  move("mn1", "home", GAP)
  wait(1.5)
  check(mn_has_home_on_radio(), "back home, the home address is on the radio again")
  ping_home("back home")
end)

-- Binding Errors from cn: sent from mn1 at home through ha (its router)
at(13, function()
  local mac = node("ha"):exec{ "cat", "/sys/class/net/eth1/address", timeout = 3 }.output:match("%S+")
  local cn = node("cn").addr6
  send { from = "mn1", eth = { dst = mac }, ip6 = { src = HOA, dst = cn },
         mh = { type = 42, payload = "\0\0\0\0\0\0\0\0\0\0" } }
  send { from = "mn1", eth = { dst = mac }, ip6 = { src = HOA, dst = cn },
         dopt = { hao = "fd00:1:0:1::999" }, icmp6 = { type = "echo", id = 9, seq = 1 } }
  local be, why = expect { on = "home", match = { ["mh.type"] = 7, ["mh.be.status"] = 1 }, within = 1 }
  check(be ~= nil, "cn answers the unbound Home Address option with a Binding Error: " .. tostring(why))
end)
