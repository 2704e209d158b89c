-- topologies/mip6.lua: Mobile IPv6 (RFC 6275, MN-HA authentication RFC 4285).
-- A correspondent "cn" (role mip6.cn) across a WAN link (delay wan_delay)
-- from the core router; the home network is a radio cell "home" served by
-- the home agent "ha"; two access routers "ar1" and "ar2" (plain routers)
-- serve the radio cells "cell1" and "cell2". Every access router, the home
-- agent included, runs radvd (started by the `run` line below, after it
-- writes radvd's configuration) with the Advertisement Interval option and
-- MinRtrAdvInterval/MaxRtrAdvInterval ra_min/ra_max (RFC 6275 §7.5 allows
-- 30/70 ms). `mns` mobile nodes mn1..mnN start at home with home addresses
-- fd00:1:0:1::101, ::102, ...; move them with `roam move RUN mn1 cell1`.
-- params: wan_delay, mns, ra_min, ra_max (seconds), dad (off, on,
-- optimistic: how the mobile nodes configure care-of addresses), ro
-- (yes/no: route optimisation with the correspondent), lifetime (s, asked
-- by the mobile nodes), attacker (no, or the cell where a plain host
-- station "attacker" starts: home, cell1 or cell2; declared after the
-- mobile nodes, so their addresses do not change; active tests and attacks
-- send from it), home_delay (delay of the core-ha link, default none: the
-- detour through the home agent against route optimisation), solicit
-- (no/yes: the mobile nodes send Router Solicitations on carrier up).
local wan_delay = param("wan_delay", "10ms")
local mns = param("mns", 1)
local ra_min = param("ra_min", 0.03)
local ra_max = param("ra_max", 0.07)
local dad = param("dad", "off")
local ro = param("ro", "yes")
local lifetime = param("lifetime", 60)
local attacker = param("attacker", "no")
local home_delay = param("home_delay", "0ms")   -- core-ha link delay: the detour through the home agent
local solicit = param("solicit", "no")
local key = "0x00112233445566778899aabbccddeeff"

-- radvd on interface IF, configuration written first (run through sh -c)
local function radvd(ifname, ha)
  local conf = "interface " .. ifname .. " {\\n AdvSendAdvert on;\\n" ..
    " MinRtrAdvInterval " .. ra_min .. ";\\n MaxRtrAdvInterval " .. ra_max .. ";\\n" ..
    -- §7.5 also relaxes MIN_DELAY_BETWEEN_RAS: an RS must not silence radvd
    " MinDelayBetweenRAs " .. ra_min .. ";\\n" ..
    " AdvIntervalOpt on;\\n" ..
    (ha and " AdvHomeAgentFlag on;\\n AdvHomeAgentInfo on;\\n" or "") ..
    " prefix ::/64 { AdvRouterAddr on; };\\n};\\n"
  return "printf '" .. conf .. "' > {out}/{node}-radvd.conf && " ..
    "exec radvd -C {out}/{node}-radvd.conf -p {out}/{node}-radvd.pid -n -m stderr " ..
    "2>{out}/{node}-radvd.log"
end

local nodes = {
  node { "cn", role = "mip6.cn" },
  node { "core", role = "router" },
  node { "ha", role = "mip6.ha", run = { radvd("eth1", true) },
         conf = { iface = "eth1", key = key, spi = 1000, lifetime = 600 } },
  node { "ar1", role = "router", run = { radvd("eth1", false) } },
  node { "ar2", role = "router", run = { radvd("eth1", false) } },
}
local members = {}
for i = 1, mns do
  local name = "mn" .. i
  members[i] = name
  local conf = {
    home_addr = string.format("fd00:1:0:1::%x", 256 + i), home_plen = 64,
    home_agent = "{ha.eth1.addr6}", key = key, spi = 1000, dad = dad, ro = ro,
    lifetime = lifetime }
  if solicit ~= "no" then conf.solicit = solicit end	-- the default conf unchanged
  nodes[#nodes + 1] = node { name, role = "mip6.mn", pos = { 0, 0 }, conf = conf }
end

local cell_stations = { home = members, cell1 = {}, cell2 = {} }
if attacker ~= "no" then
  if not cell_stations[attacker] then
    error("param attacker: expected no, home, cell1 or cell2 vs " .. tostring(attacker))
  end
  nodes[#nodes + 1] = node { "attacker", role = "host", pos = { 0, 0 } }
  local st = cell_stations[attacker]
  st[#st + 1] = "attacker"
end

return topology {
  name = "mip6",
  routing = "auto",
  nodes = nodes,
  links = {
    link { "cn", "core", subnet6 = "fd00:0:0:9::/64", delay = wan_delay },
    link { "core", "ha", subnet6 = "fd00:0:0:10::/64",
           delay = home_delay ~= "0ms" and home_delay or nil },
    link { "core", "ar1", subnet6 = "fd00:0:0:11::/64" },
    link { "core", "ar2", subnet6 = "fd00:0:0:12::/64" },
    -- the three cells overlap: a station changes cell only when moved
    cell { "home", ap = "ha", subnet6 = "fd00:1:0:1::/64", x = 0, y = 0, stations = cell_stations.home },
    cell { "cell1", ap = "ar1", subnet6 = "fd00:1:0:2::/64", x = 0, y = 0, stations = cell_stations.cell1 },
    cell { "cell2", ap = "ar2", subnet6 = "fd00:1:0:3::/64", x = 0, y = 0, stations = cell_stations.cell2 },
  },
}
