-- mip6-active-dereg: home deregistration (RFC 6275 §10.3.2). A binding is
-- deleted by a valid, authenticated BU (RFC 4285 §5, §6) whose lifetime is
-- zero, or whose care-of address equals the home address (§6.1.7 "the
-- care-of address ... equal to the home address"; §10.3.2). Both are
-- answered with a BA of status 0, and the binding is gone from ha's control
-- socket. The second form is made from the foreign link with an Alternate
-- Care-of Address option (§6.2.5) naming the home address. A deregistration
-- for a home address with no binding is refused with status 133 (not home
-- agent for this mobile node, §10.3.2).
scenario { topology = "../../topologies/mip6.lua", set = { attacker = "cell1" }, duration = 20 }

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

-- a home registration BU for HOA; extra: more options before the auth option
local function bu(seq, life, extra)
  local opts = { { type = "replay", ts = ntp_now() } }
  for _, o in ipairs(extra or {}) do opts[#opts + 1] = o end
  opts[#opts + 1] = { type = "auth", spi = SPI, key = KEY }
  sync()
  return send { from = "attacker", to = "ar1", ip6 = { dst = HA }, dopt = { hao = HOA },
    mh = { type = "bu", seq = seq, flags = { A = 1, H = 1 }, lifetime = life, opts = opts } }
end
local function ba(what, status)
  local r, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 6 } }
  if check(r, what .. ": ha answers" .. why_s(why)) then
    check(r["mh.ba.status"] == status, string.format("%s: expected status %d vs %d", what,
          status, r["mh.ba.status"]))
  end
  return r
end
local function bound() return ctl("ha", "bindings"):match("^fd00:1:0:1::1ff ") ~= nil
                              or ctl("ha", "bindings"):match("\nfd00:1:0:1::1ff ") ~= nil end

at(1, function()
  -- 1. lifetime 0
  bu(100, 25); ba("register", 0)
  check(bound(), "ha binds the home address: " .. ctl("ha", "bindings"))
  bu(101, 0)
  local r = ba("lifetime 0", 0)
  check(r and r["mh.ba.lifetime"] == 0, "the deregistration BA grants lifetime 0")
  check(not bound(), "no binding after lifetime 0: " .. ctl("ha", "bindings"))
  -- a follow-up: the same deregistration again finds no binding (133)
  bu(102, 0); ba("deregistration with no binding", 133)

  -- 2. care-of address = home address (Alternate Care-of Address option)
  bu(200, 25); ba("register again", 0)
  check(bound(), "ha binds the home address again")
  bu(201, 25, { { type = "acoa", addr = HOA } })
  r = ba("care-of = home address", 0)
  check(r and r["mh.ba.lifetime"] == 0, "the deregistration BA grants lifetime 0")
  check(not bound(), "no binding after care-of = home: " .. ctl("ha", "bindings"))
  bu(202, 25, { { type = "acoa", addr = HOA } }); ba("care-of = home with no binding", 133)
  check(not bound(), "still no binding")
  finish()
end)
