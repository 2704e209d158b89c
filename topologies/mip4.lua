-- topologies/mip4.lua: Mobile IPv4 (RFC 5944). A correspondent "cn" across a
-- WAN link (delay wan_delay) from the core router; the home network is a
-- radio cell "home" served by the home agent "ha"; two foreign networks,
-- radio cells "cell1" and "cell2", served by foreign agents "fa1" and "fa2".
-- `mns` mobile nodes mn1..mnN start at home; their home addresses are
-- 10.1.0.101, 10.1.0.102, ... Move them with `roam move RUN mn1 cell1`.
-- params: wan_delay, mns, reverse_tunnel (yes/no, asked by the mobile
-- nodes), replay (timestamp/nonce), attacker (no, or the cell where a host
-- station "attacker" starts: home, cell1 or cell2; declared after the mobile
-- nodes, so their host numbers do not change), colocated (no, or yes: the
-- mobile nodes take co-located care-of addresses, host number 200 + i in a
-- foreign cell's subnet, and register straight with the home agent),
-- solicit (yes/no: the mobile nodes send an Agent Solicitation on carrier
-- up, or wait for an advertisement).
local wan_delay = param("wan_delay", "10ms")
local mns = param("mns", 1)
local reverse = param("reverse_tunnel", "no")
local replay = param("replay", "timestamp")
local attacker = param("attacker", "no")
local colocated = param("colocated", "no")
local solicit = param("solicit", "yes")
if colocated ~= "no" and colocated ~= "yes" then
  error("param colocated: expected no or yes vs " .. tostring(colocated))
end
local key = "0x00112233445566778899aabbccddeeff"

local nodes = {
  node { "cn", role = "host" },
  node { "core", role = "router" },
  node { "ha", role = "mip4.ha", conf = { home_iface = "eth1", key = key, spi = 1000,
         replay = replay, adv_interval = 1, reg_lifetime = 120 } },
  node { "fa1", role = "mip4.fa", conf = { reg_lifetime = 120, adv_interval = 1 } },
  node { "fa2", role = "mip4.fa", conf = { reg_lifetime = 120, adv_interval = 1 } },
}
local members = {}
for i = 1, mns do
  local name = "mn" .. i
  members[i] = name
  local conf = {
    home_addr = "10.1.0." .. (100 + i), home_plen = 24,
    home_agent = "{ha.eth1.addr4}", key = key, spi = 1000, replay = replay,
    reverse_tunnel = reverse, reg_lifetime = 60 }
  if colocated == "yes" then
    -- only then, so that the default topology's conf is unchanged
    conf.colocated = "yes"
    conf.colocated_host = 200 + i
  end
  if solicit ~= "yes" then conf.solicit = solicit end	-- the default conf unchanged
  nodes[#nodes + 1] = node { name, role = "mip4.mn", pos = { 0, 0 }, conf = conf }
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
  name = "mip4",
  routing = "auto",
  ipv6 = false,
  nodes = nodes,
  links = {
    link { "cn", "core", subnet4 = "10.9.0.0/30", delay = wan_delay },
    link { "core", "ha", subnet4 = "10.0.1.0/30" },
    link { "core", "fa1", subnet4 = "10.0.2.0/30" },
    link { "core", "fa2", subnet4 = "10.0.3.0/30" },
    -- the three cells overlap (same position): a station changes cell only
    -- when moved, and keeps a clean radio in each
    cell { "home", ap = "ha", subnet4 = "10.1.0.0/24", x = 0, y = 0, stations = cell_stations.home },
    cell { "cell1", ap = "fa1", subnet4 = "10.2.0.0/24", x = 0, y = 0, stations = cell_stations.cell1 },
    cell { "cell2", ap = "fa2", subnet4 = "10.3.0.0/24", x = 0, y = 0, stations = cell_stations.cell2 },
  },
}
