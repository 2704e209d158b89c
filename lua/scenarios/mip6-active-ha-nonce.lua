-- mip6-active-ha-nonce: a home registration carrying return routability
-- options. RFC 6275 §6.2.6: the Nonce Indices option "is only valid in the
-- Binding Update message sent to a correspondent node", together with the
-- Binding Authorization Data option (§6.2.7); a home agent authorises a
-- home registration with the security association it shares with the
-- mobile node (§10.3.1 — here the RFC 4285 MN-HA option), never with
-- keygen tokens. §10.3.1 lists no check on these options, so the home agent
-- ignores them: with valid RFC 4285 authentication the BU is accepted
-- (status 0, and the BA carries no Binding Authorization Data); without it,
-- Nonce Indices and Binding Authorization Data do not make up for it
-- (status 146 MIPV6-AUTH-FAIL, RFC 4285 §5, no binding).
scenario { topology = "../../topologies/mip6.lua", set = { attacker = "cell1" }, duration = 15 }

local KEY, SPI = "00112233445566778899aabbccddeeff", 1000	-- topology conf
local HA, HOA = "fd00:1:0:1::1", "fd00:1:0:1::1ff"
-- now() does not count time spent in exec (control socket queries, the
-- clock): a frame the attacker sends and sees brings the scenario clock to
-- the wall clock, so that the next expectation gets its whole window
local function sync()
  send { from = "attacker", to = "ar1", ip6 = { dst = "fd00:1:0:2::1" }, payload = "sync" }
  expect { on = "cell1", from = "attacker", within = 5, match = { ["ip6.nxt"] = 59 } }
end
local CTL = [[use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Peer => "$ENV{ROAM_OUT}/$ARGV[0].ctl")
  or die "connect $ARGV[0].ctl: $!\n"; print $s "$ARGV[1]\n"; shutdown($s, 1); print grep { $_ ne "ok\n" } <$s>;]]
local function ctl(name, req)
  return node(name):exec { "perl", "-e", CTL, name, req, timeout = 5 }.output
end
local function ntp_now()	-- RFC 4285 §6, from the attacker's clock
  local s, ns = node("attacker"):exec { "date", "+%s %N" }.output:match("(%d+) (%d+)")
  return (tonumber(s) + 2208988800) << 32 | ((tonumber(ns) << 32) // 1000000000)
end
local function why_s(why) return why and ": " .. why or "" end
local function binding() return ("\n" .. ctl("ha", "bindings")):match("\n(fd00:1:0:1::1ff [^\n]*)") end
local function bu(seq, opts)
  sync()
  return send { from = "attacker", to = "ar1", ip6 = { dst = HA }, dopt = { hao = HOA },
    mh = { type = "bu", seq = seq, flags = { A = 1, H = 1 }, lifetime = 25, opts = opts } }
end
local function has(list, v)
  for _, x in ipairs(list or {}) do if x == v then return true end end
  return false
end

at(1, function()
  -- RR options without RFC 4285 authentication: refused
  bu(10, { { type = "replay", ts = ntp_now() }, { type = "ni", home = 3, coa = 4 },
           { type = "bad", kbm = "000102030405060708090a0b0c0d0e0f10111213" } })
  local r, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 6 } }
  if check(r, "ha answers a BU authorised by RR options only" .. why_s(why)) then
    check(r["mh.ba.status"] == 146, "RR options do not authorise a home registration: expected 146 vs " .. r["mh.ba.status"])
  end
  check(not binding(), "no binding from RR options: " .. ctl("ha", "bindings"))

  -- with valid RFC 4285 authentication: the Nonce Indices option is ignored
  bu(11, { { type = "replay", ts = ntp_now() }, { type = "ni", home = 3, coa = 4 },
           { type = "auth", spi = SPI, key = KEY } })
  r, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 6 } }
  if check(r, "ha answers a BU with Nonce Indices and MN-HA authentication" .. why_s(why)) then
    check(r["mh.ba.status"] == 0, "the Nonce Indices option is ignored: expected status 0 vs " .. r["mh.ba.status"])
    check(r["mh.ba.seq"] == 11, "the BA acknowledges seq 11")
    check(not has(r.all["mh.opt.type"], 5), "the BA carries no Binding Authorization Data")
    check(has(r.all["mh.opt.type"], 9), "the BA carries the MN-HA authentication option")
  end
  local b = binding()
  check(b and b:match(" coa fd00:1:0:2::3 seq 11 .* home "), "ha binds it as a home registration: " .. tostring(b))
  finish()
end)
