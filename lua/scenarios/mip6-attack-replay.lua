-- mip6-attack-replay: replayed Binding Updates (RFC 4225 §3.1, replays;
-- RFC 6275 §9.5.1 and §10.3.1: the sequence number must be newer than the
-- last accepted, else status 135 carrying the last accepted number; RFC 4285
-- §6: a timestamp outside the home agent's window gets 144). An attacker on
-- cell1 (mn1's cell, so it sees mn1's signalling) records mn1's home
-- registration and its route-optimisation BU to the cn, and sends both
-- again verbatim (same addresses, same bytes):
--  - to the home agent at once: 135 with mn1's sequence number, binding unchanged;
--  - to the cn at once: 135, binding unchanged;
--  - to the home agent after the replay window (7 s): 144;
-- mn1 stays registered and reachable.
scenario { topology = "../../topologies/mip6.lua", set = { attacker = "cell1", ro = "yes" }, duration = 40 }

local KEY, SPI = "00112233445566778899aabbccddeeff", 1000	-- topology conf
local HA, CN, HOA = "fd00:1:0:1::1", "fd00:0:0:9::1", "fd00:1:0:1::101"	-- HOA: mn1's
local CTL = [[use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Peer => "$ENV{ROAM_OUT}/$ARGV[0].ctl")
  or die "connect $ARGV[0].ctl: $!\n"; print $s "$ARGV[1]\n"; shutdown($s, 1); print grep { $_ ne "ok\n" } <$s>;]]
local function ctl(name, req)
  return node(name):exec { "perl", "-e", CTL, name, req, timeout = 5 }.output
end
local function counter(name, key)
  return tonumber(("\n" .. ctl(name, "counters")):match("\n" .. key .. " (%d+)")) or 0
end
local function why_s(why) return why and ": " .. why or "" end
-- the binding of home address h at node n, without the "left" column
local function binding(n, h)
  local l = ("\n" .. ctl(n, "bindings")):match("\n(" .. h:gsub("%p", "%%%0") .. " [^\n]*)")
  return l and (l:gsub(" left [%d.]+", ""))
end
local function wait_for(n, req, pat, secs)
  for _ = 1, secs * 10 do
    local out = ctl(n, req)
    if out:match(pat) then return true, out end
    wait(0.1)
  end
  return false, ctl(n, req)
end
-- now() does not count time spent in exec (control socket queries, ping):
-- a frame the attacker sends and sees brings the scenario clock to the
-- wall clock, so that the next expectation gets its whole window
local function sync()
  send { from = "attacker", to = "ar1", ip6 = { dst = "fd00:1:0:2::1" }, payload = "sync" }
  expect { on = "cell1", from = "attacker", within = 5, match = { ["ip6.nxt"] = 59 } }
end

-- the IPv6 packet of a recorded frame, resent verbatim by the attacker
local function replay(r)
  return send { from = "attacker", to = "ar1", eth = { type = 0x86dd }, payload = r.bytes:sub(15) }
end

at(1, function()
  local tap = listen { on = "cell1" }
  move("mn1", "cell1")
  local bu_ha, why = tap:expect { from = "mn1", within = 6,
                                  match = { ["mh.type"] = 5, ["ip6.dst"] = HA, ["mh.bu.flags.H"] = 1 } }
  if not check(bu_ha, "mn1 sends a home registration on cell1" .. why_s(why)) then return fail("nothing to replay") end
  local ba = tap:expect { within = 3, match = { ["mh.type"] = 6, ["mh.ba.status"] = 0, ["mh.ba.seq"] = bu_ha["mh.bu.seq"] } }
  check(ba, "the home agent accepts it")
  -- route optimisation with the cn (a ping through the tunnel starts it)
  node("cn"):exec { "ping", "-c", "2", "-i", "0.2", "-W", "1", HOA, timeout = 5 }
  local bu_cn
  bu_cn, why = tap:expect { from = "mn1", within = 6, match = { ["mh.type"] = 5, ["ip6.dst"] = CN } }
  if not check(bu_cn, "mn1 sends a BU to the cn on cell1" .. why_s(why)) then return fail("no cn BU") end
  local ok, st = wait_for("cn", "bindings", "fd00:1:0:1::101 coa fd00:1:0:2:", 5)
  check(ok, "the cn binds mn1: " .. st)
  local ha0, cn0 = binding("ha", HOA), binding("cn", HOA)
  local mn_coa = bu_ha["ip6.src"]
  log("replaying mn1's BUs (seq %d to ha, seq %d to cn) from the attacker", bu_ha["mh.bu.seq"], bu_cn["mh.bu.seq"])

  -- 1. to the home agent, at once
  sync()
  replay(bu_ha)
  local r
  r, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 6, ["ip6.src"] = HA, ["ip6.dst"] = mn_coa } }
  if check(r, "ha answers the replayed home registration" .. why_s(why)) then
    check(r["mh.ba.status"] == 135, "expected status 135 vs " .. r["mh.ba.status"])
    check(r["mh.ba.seq"] == bu_ha["mh.bu.seq"], "the BA carries the last accepted seq " .. bu_ha["mh.bu.seq"] .. " vs " .. r["mh.ba.seq"])
  end
  -- 2. to the cn, at once
  replay(bu_cn)
  r, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 6, ["ip6.src"] = CN, ["ip6.dst"] = mn_coa } }
  if check(r, "the cn answers the replayed BU" .. why_s(why)) then
    check(r["mh.ba.status"] == 135, "expected status 135 vs " .. r["mh.ba.status"])
  end
  check(binding("ha", HOA) == ha0, "ha's binding is unchanged: " .. tostring(binding("ha", HOA)))
  check(binding("cn", HOA) == cn0, "the cn's binding is unchanged: " .. tostring(binding("cn", HOA)))

  -- 3. to the home agent, after the replay window (replay_window 7 s)
  wait(8)
  sync()
  replay(bu_ha)
  r, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 6, ["ip6.src"] = HA, ["ip6.dst"] = mn_coa } }
  if check(r, "ha answers the late replay" .. why_s(why)) then
    check(r["mh.ba.status"] == 144, "a stale timestamp: expected status 144 vs " .. r["mh.ba.status"])
  end
  -- mn1 stays registered and reachable; its binding follows its own BUs only
  st = ctl("mn1", "status")
  check(st:match("state registered"), "mn1 is still registered: " .. st)
  local b = binding("ha", HOA)
  check(b and b:match(" coa " .. mn_coa:gsub("%p", "%%%0") .. " "), "ha still binds mn1's care-of address: " .. tostring(b))
  local p = node("cn"):exec { "ping", "-c", "2", "-i", "0.2", "-W", "1", HOA, timeout = 5 }
  check(p.status == 0, "the cn reaches mn1 after the replays: " .. p.output)
  finish()
end)
