-- mip6-attack-bombing: bombing a third party (RFC 4225 §3.3 "flooding",
-- "bombing"): an attacker starts a flow from the cn to its own address,
-- then tries to bind its address to a victim's address as care-of address,
-- so that the cn redirects the flow onto the victim. Return routability
-- stops it (RFC 6275 §5.2.1, §5.2.5): the care-of keygen token is sent in
-- the CoT to the care-of address, that is to the victim, so the attacker
-- never has it and its BU's Binding Authorization Data does not verify
-- (§9.5.1: silently discarded). The victim is mn1, at home
-- (fd00:1:0:1::101): it receives the CoT and none of the flow; the cn keeps
-- no binding for the attacker. A control: the same steps with a care-of
-- address the attacker does own (fd00:1:0:2::33) are accepted and the flow
-- follows the binding, so the attack failed on the care-of test alone.
scenario { topology = "../../topologies/mip6.lua", set = { attacker = "cell1" }, duration = 25 }

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
local ME, MCOA, VICTIM = "fd00:1:0:2::3", "fd00:1:0:2::33", HOA

at(1, function()
  local home = listen { on = "home" }
  local fl = flow { from = "cn", to = "attacker", family = 6, rate = 100, size = 200, duration = 20 }
  wait(1)
  sync()
  local r, why = expect { on = "cell1", within = 2, match = { ["ip6.src"] = CN, ["ip6.dst"] = ME, ["udp.dport"] = fl.port } }
  check(r, "the flow reaches the attacker" .. why_s(why))
  -- the attacker's home keygen token, for its own address
  send { from = "attacker", to = "ar1", ip6 = { dst = CN }, mh = { type = "hoti", cookie = "a1a2a3a4a5a6a7a8" } }
  local hot
  hot, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 3, ["mh.hot.cookie"] = "a1a2a3a4a5a6a7a8" } }
  if not check(hot, "HoT for the attacker's address" .. why_s(why)) then return fail("no HoT") end
  -- the care-of test for the victim's address goes to the victim
  send { from = "attacker", to = "ar1", ip6 = { src = VICTIM, dst = CN }, mh = { type = "coti", cookie = "b1b2b3b4b5b6b7b8" } }
  r, why = home:expect { within = 0.5, match = { ["mh.type"] = 4, ["ip6.dst"] = VICTIM, ["mh.cot.cookie"] = "b1b2b3b4b5b6b7b8" } }
  check(r, "the CoT went to the victim, on the home link" .. why_s(why))
  local ok
  ok, why = expect_none { on = "cell1", within = 0.5, match = { ["mh.type"] = 4 } }
  check(ok, "the attacker sees no CoT for the victim's address" .. why_s(why))
  -- BUs binding the attacker's address to the victim's, with guessed tokens
  for i, guess in ipairs { "0000000000000000", hot["mh.hot.token"], "fedcba9876543210" } do
    send { from = "attacker", to = "ar1", ip6 = { src = VICTIM, dst = CN }, dopt = { hao = ME },
           mh = { type = "bu", seq = i, flags = { A = 1 }, lifetime = 100,
                  opts = { { type = "ni", home = hot["mh.hot.nonce_idx"], coa = hot["mh.hot.nonce_idx"] },
                           { type = "bad", home_token = hot["mh.hot.token"], coa_token = guess } } } }
  end
  ok, why = expect_none { on = "cell1", within = 1, match = { ["mh.type"] = 6 } }
  check(ok, "no BA for the bombing BUs" .. why_s(why))
  check(binding("cn", ME) == nil, "the cn keeps no binding for the attacker: " .. ctl("cn", "bindings"))
  -- 3 s of the flow: none of it on the home link, all of it still to the attacker
  sync()
  ok, why = home:expect_none { within = 3, match = { ["ip6.src"] = CN, ["udp.dport"] = fl.port } }
  check(ok, "the victim receives none of the flow" .. why_s(why))
  r, why = expect { on = "cell1", within = 1, match = { ["ip6.src"] = CN, ["ip6.dst"] = ME, ["udp.dport"] = fl.port } }
  check(r, "the flow still goes to the attacker" .. why_s(why))

  -- control: a care-of address the attacker owns is bound, and the flow follows
  local ifname = node("attacker").ifaces[1].name
  node("attacker"):exec { "ip", "-6", "addr", "add", MCOA .. "/64", "dev", ifname, "nodad" }
  sync()
  send { from = "attacker", to = "ar1", ip6 = { src = MCOA, dst = CN }, mh = { type = "coti", cookie = "c1c2c3c4c5c6c7c8" } }
  local cot
  cot, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 4, ["mh.cot.cookie"] = "c1c2c3c4c5c6c7c8" } }
  if not check(cot, "control: CoT for the attacker's own care-of address" .. why_s(why)) then return fail("no CoT") end
  send { from = "attacker", to = "ar1", ip6 = { src = MCOA, dst = CN }, dopt = { hao = ME },
         mh = { type = "bu", seq = 10, flags = { A = 1 }, lifetime = 100,
                opts = { { type = "ni", home = hot["mh.hot.nonce_idx"], coa = cot["mh.cot.nonce_idx"] },
                         { type = "bad", home_token = hot["mh.hot.token"], coa_token = cot["mh.cot.token"] } } } }
  r, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 6, ["ip6.src"] = CN } }
  check(r and r["mh.ba.status"] == 0, "control: the cn accepts the binding to an address that answered the CoTI" .. why_s(why))
  r, why = expect { on = "cell1", within = 1, match = { ["ip6.src"] = CN, ["ip6.dst"] = MCOA, ["ip6.rh2.addr"] = ME } }
  check(r, "control: the flow follows the binding (RH2 to the care-of address)" .. why_s(why))
  finish()
end)
