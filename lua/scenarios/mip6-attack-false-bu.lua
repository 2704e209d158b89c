-- mip6-attack-false-bu: false binding updates to a correspondent (RFC 4225
-- §3.1 "False Binding Update attacks"; RFC 6275 §5.2, §9.5.1). mn1 is away
-- in cell2 with route optimisation: the cn holds a binding for its home
-- address. An attacker in cell1 (off the path between the cn and mn1's home
-- network) claims that home address with its own address as care-of:
--  1. a BU with no return routability options (no Nonce Indices, no Binding
--     Authorization Data): silently discarded (§9.5.1);
--  2. a BU with the real care-of keygen token (the attacker can run CoTI/CoT
--     for its own address) and a guessed home keygen token, since the HoT
--     goes to the home address and the attacker never sees it: the Binding
--     Authorization Data does not verify, silently discarded (§9.5.1);
-- no BA comes back, the cn's binding for mn1 stays as it was, and the cn's
-- packets to mn1 keep reaching mn1 (not the attacker).
scenario { topology = "../../topologies/mip6.lua", set = { attacker = "cell1", ro = "yes" }, duration = 30 }

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
local ME = "fd00:1:0:2::3"	-- the attacker on cell1

at(1, function()
  move("mn1", "cell2")
  local ok, st = wait_for("mn1", "status", "state registered", 8)
  if not check(ok, "mn1 registers from cell2: " .. st) then return fail("no registration") end
  node("cn"):exec { "ping", "-c", "2", "-i", "0.2", "-W", "1", HOA, timeout = 5 }
  ok, st = wait_for("cn", "bindings", "fd00:1:0:1::101 coa fd00:1:0:3:[%x:]+ seq %d+ .* ro ", 8)
  if not check(ok, "the cn binds mn1 after return routability: " .. st) then return fail("no cn binding") end
  local before = binding("cn", HOA)
  local auth0, disc0 = counter("cn", "auth_fail"), counter("cn", "bu_discarded")

  -- 1. no RR options at all
  sync()
  send { from = "attacker", to = "ar1", ip6 = { dst = CN }, dopt = { hao = HOA },
         mh = { type = "bu", seq = 60000, flags = { A = 1 }, lifetime = 100 } }
  ok, st = expect_none { on = "cell1", within = 1, match = { ["ip6.src"] = CN, ["mh.type"] = 6 } }
  check(ok, "a BU with no RR options gets no BA" .. why_s(st))
  check(binding("cn", HOA) == before, "the cn's binding is unchanged: " .. tostring(binding("cn", HOA)))

  -- 2. the attacker's own care-of token, a guessed home token
  sync()
  send { from = "attacker", to = "ar1", ip6 = { dst = CN }, mh = { type = "coti", cookie = "c0c1c2c3c4c5c6c7" } }
  local cot, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 4, ["mh.cot.cookie"] = "c0c1c2c3c4c5c6c7" } }
  if not check(cot, "the cn answers the attacker's own CoTI" .. why_s(why)) then return fail("no CoT") end
  for i, guess in ipairs { "0000000000000000", "0123456789abcdef", cot["mh.cot.token"] } do
    send { from = "attacker", to = "ar1", ip6 = { dst = CN }, dopt = { hao = HOA },
           mh = { type = "bu", seq = 60000 + i, flags = { A = 1 }, lifetime = 100,
                  opts = { { type = "ni", home = cot["mh.cot.nonce_idx"], coa = cot["mh.cot.nonce_idx"] },
                           { type = "bad", home_token = guess, coa_token = cot["mh.cot.token"] } } } }
    ok, st = expect_none { on = "cell1", within = 0.5, match = { ["ip6.src"] = CN, ["mh.type"] = 6 } }
    check(ok, "guess " .. i .. ": a BU with a guessed home keygen token gets no BA" .. why_s(st))
  end
  check(counter("cn", "auth_fail") >= auth0 + 3, "the cn counted 3 authenticator failures")
  check(counter("cn", "bu_discarded") >= disc0 + 4, "the cn discarded the 4 BUs")
  check(binding("cn", HOA) == before, "the cn's binding is unchanged: before [" .. before ..
        "] after [" .. tostring(binding("cn", HOA)) .. "]")

  -- the cn's packets still go to mn1, none to the attacker
  sync()
  local tap = listen { on = "cell1" }
  local p = node("cn"):exec { "ping", "-c", "3", "-i", "0.2", "-W", "1", HOA, timeout = 5 }
  check(p.status == 0, "the cn still reaches mn1: " .. p.output)
  sync()
  ok, st = tap:expect_none { within = 0.3, match = { ["ip6.src"] = CN, ["ip6.dst"] = ME } }
  check(ok, "nothing from the cn reaches the attacker" .. why_s(st))
  finish()
end)
