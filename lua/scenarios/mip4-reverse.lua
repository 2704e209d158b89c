-- mip4-reverse: reverse tunnelling (RFC 3024) against ingress filtering.
-- mn1 moves to cell1; fa1's uplink then drops every forwarded packet whose
-- source is not of the foreign prefix 10.2.0.0/24 (an nftables rule, the
-- ingress filtering of RFC 3024 §1; priority 10, after roam-mip4's own
-- forward chain, so that it counts only what would leave the network). With triangle routing
-- (--set reverse_tunnel=no) mn1's packets to cn carry its home address as
-- source and are dropped; with reverse tunnelling (the default here) fa1
-- tunnels them to ha from its care-of address and they get through.
-- The scenario checks the outcome its mode must give, so both runs pass:
--   roam run lua/scenarios/mip4-reverse.lua                        (T: delivered)
--   roam run lua/scenarios/mip4-reverse.lua --set reverse_tunnel=no (triangle: dropped)
scenario {
  name = "mip4-reverse",
  topology = "../../topologies/mip4.lua",
  set = { mns = 1, reverse_tunnel = "yes" },
  duration = 14,
  rules = { "../rules/mip4.lua" },
}

local FOREIGN = "10.2.0.0/24"
local CN = "10.9.0.1"
local reverse, uplink, out

local function sh(n, cmd)
  return node(n):exec{ "sh", "-c", cmd, timeout = 5 }
end

local function ping_cn(what)
  local r = node("mn1"):exec{ "ping", "-n", "-c", "3", "-i", "0.2", "-W", "1", CN, timeout = 5 }
  log("ping mn1 -> cn %s: %s", what, r.status == 0 and "answered" or "no answer")
  return r.status == 0
end

local function drops()
  local r = sh("fa1", "nft list chain ip roam_ingress_filter uplink")
  return tonumber(r.output:match("packets (%d+)")) or -1
end

at(0.5, function()
  local f = flow { from = "mn1", to = "cn", rate = 20, size = 100, duration = 12 }
  out = f.stats:match("^(.*)/[^/]*$")
  local r = sh("mn1", "grep -E '^reverse_tunnel' " .. out .. "/mn1.conf")
  reverse = r.output:match("reverse_tunnel%s+yes") ~= nil
  for _, i in ipairs(node("fa1").ifaces) do
    if i.link == "core-fa1" then uplink = i.name end
  end
  check(uplink ~= nil, "fa1 has an interface on core-fa1")
  log("mode: %s; fa1 uplink %s", reverse and "reverse tunnelling (T)" or "triangle routing", tostring(uplink))
end)

at(2, function()
  move("mn1", "cell1")
  wait(2)
  check(ping_cn("from cell1, no filter"), "mn1 reaches cn from cell1 before any filter")
  local r = sh("fa1", "nft add table ip roam_ingress_filter && " ..
    "nft add chain ip roam_ingress_filter uplink '{ type filter hook forward priority 10; policy accept; }' && " ..
    "nft add rule ip roam_ingress_filter uplink oifname " .. uplink .. " ip saddr != " .. FOREIGN .. " counter drop")
  check(r.status == 0, "ingress filter installed on fa1's uplink: " .. r.output)
  log("ingress filter on fa1 %s: drop forwarded packets with a source outside %s", uplink, FOREIGN)
end)

at(6, function()
  local ok = ping_cn("through the ingress filter")
  local n = drops()
  log("ingress filter dropped %d packets", n)
  if reverse then
    check(ok, "reverse tunnelling: mn1's packets reach cn through the filter")
    check(n == 0, "reverse tunnelling: the filter dropped nothing (" .. n .. ")")
  else
    check(not ok, "triangle routing: the filter drops mn1's packets (home address source)")
    check(n > 0, "triangle routing: the filter counted drops (" .. n .. ")")
  end
end)

at(9, function()
  move("mn1", "home")
  wait(2)
  check(ping_cn("back home"), "mn1 reaches cn back home")
  sh("fa1", "nft delete table ip roam_ingress_filter")
end)
