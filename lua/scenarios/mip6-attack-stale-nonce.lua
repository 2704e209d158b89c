-- mip6-attack-stale-nonce: Binding Updates to a correspondent with nonce
-- indices it does not hold (RFC 4225 §3.1 replays of old authorisation;
-- RFC 6275 §5.2.7: a correspondent keeps nonces for MAX_NONCE_LIFETIME;
-- §9.5.1: a BU whose nonce index is no longer valid is answered with status
-- 136 (expired home nonce index), 137 (expired care-of nonce index) or 138
-- (both), and creates no binding). The attacker on cell1 runs return
-- routability honestly for its own addresses (home address fd00:1:0:2::3,
-- care-of address fd00:1:0:2::33 added to its interface), so it holds valid
-- keygen tokens, then names nonce indices the cn never issued or has
-- dropped (the cn starts at index 0 and makes one every 30 s; it keeps 16).
-- A last BU with the valid indices is accepted (status 0): the refusals
-- were for the indices alone.
scenario { topology = "../../topologies/mip6.lua", set = { attacker = "cell1" }, duration = 20 }

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
local MHOA, MCOA = "fd00:1:0:2::3", "fd00:1:0:2::33"
local STALE = 40000	-- an index the cn does not hold

at(1, function()
  local ifname = node("attacker").ifaces[1].name
  local r0 = node("attacker"):exec { "ip", "-6", "addr", "add", MCOA .. "/64", "dev", ifname, "nodad" }
  check(r0.status == 0, "a second address on the attacker: " .. r0.output)
  sync()
  send { from = "attacker", to = "ar1", ip6 = { src = MHOA, dst = CN }, mh = { type = "hoti", cookie = "a1a2a3a4a5a6a7a8" } }
  local hot, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 3, ["mh.hot.cookie"] = "a1a2a3a4a5a6a7a8" } }
  send { from = "attacker", to = "ar1", ip6 = { src = MCOA, dst = CN }, mh = { type = "coti", cookie = "b1b2b3b4b5b6b7b8" } }
  local cot
  cot, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 4, ["mh.cot.cookie"] = "b1b2b3b4b5b6b7b8" } }
  if not (check(hot, "HoT for the attacker's home address") and check(cot, "CoT for its care-of address" .. why_s(why))) then
    return fail("no tokens")
  end
  local hi, ci = hot["mh.hot.nonce_idx"], cot["mh.cot.nonce_idx"]
  local function bu(seq, h, c)
    send { from = "attacker", to = "ar1", ip6 = { src = MCOA, dst = CN }, dopt = { hao = MHOA },
           mh = { type = "bu", seq = seq, flags = { A = 1 }, lifetime = 50,
                  opts = { { type = "ni", home = h, coa = c },
                           { type = "bad", home_token = hot["mh.hot.token"], coa_token = cot["mh.cot.token"] } } } }
    local r, w = expect { on = "cell1", within = 1, match = { ["mh.type"] = 6, ["ip6.src"] = CN } }
    return r, w
  end
  for _, c in ipairs { { "a stale home nonce index", STALE, ci, 136 },
                       { "a stale care-of nonce index", hi, STALE, 137 },
                       { "both indices stale", STALE, STALE + 1, 138 },
                       { "an index from the future", hi + 1, ci, 136 } } do
    local r
    r, why = bu(10, c[2], c[3])
    if check(r, c[1] .. ": the cn answers" .. why_s(why)) then
      check(r["mh.ba.status"] == c[4], string.format("%s: expected status %d vs %d", c[1], c[4], r["mh.ba.status"]))
      check(r["ip6.dst"] == MCOA, c[1] .. ": the BA goes to the care-of address")
    end
    check(binding("cn", MHOA) == nil, c[1] .. ": no binding at the cn")
  end
  -- the same BU with the indices the cn gave: accepted
  local r
  r, why = bu(11, hi, ci)
  if check(r, "the valid indices: the cn answers" .. why_s(why)) then
    check(r["mh.ba.status"] == 0, "the valid indices: expected status 0 vs " .. r["mh.ba.status"])
  end
  local b = binding("cn", MHOA)
  check(b and b:match(" coa " .. MCOA:gsub("%p", "%%%0") .. " seq 11 "), "the cn binds the attacker's own addresses: " .. tostring(b))
  finish()
end)
