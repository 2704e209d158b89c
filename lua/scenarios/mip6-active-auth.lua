-- mip6-active-auth: home registrations with broken RFC 4285 protection.
-- RFC 4285 §5 (MN-HA authentication option: the home agent verifies the
-- authenticator with the key of the SPI) and §6 (the replay protection
-- option is required; its timestamp must be close to the HA's clock), with
-- the status codes of §8 (IANA): 144 MIPV6-ID-MISMATCH, 145
-- MIPV6-MESG-ID-REQD, 146 MIPV6-AUTH-FAIL. A BU whose authenticator is
-- wrong, whose SPI is unknown, or that has no authentication option gets
-- no BA with status 0 (it is refused with 146) and no binding; a BU with
-- no replay option gets 145; a timestamp an hour off gets 144, and that
-- BA carries the HA's own time (RFC 4285 §6). A valid BU after all of them
-- is accepted, with seq 1: none of the refused BUs moved the window.
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
local function bound() return ("\n" .. ctl("ha", "bindings")):match("\nfd00:1:0:1::1ff ") ~= nil end

local function bu(seq, opts)
  sync()
  return send { from = "attacker", to = "ar1", ip6 = { dst = HA }, dopt = { hao = HOA },
    mh = { type = "bu", seq = seq, flags = { A = 1, H = 1 }, lifetime = 25, opts = opts } }
end
-- the BU is refused with STATUS, and never accepted
local function refused(what, status)
  local r, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 6 } }
  if check(r, what .. ": ha answers" .. why_s(why)) then
    check(r["mh.ba.status"] == status, string.format("%s: expected status %d vs %d", what,
          status, r["mh.ba.status"]))
    check(r["mh.ba.lifetime"] == 0, what .. ": the refusal grants no lifetime")
  end
  local ok = expect_none { on = "cell1", within = 0.3, match = { ["mh.type"] = 6, ["mh.ba.status"] = 0 } }
  check(ok, what .. ": no BA with status 0")
  check(not bound(), what .. ": no binding: " .. ctl("ha", "bindings"))
  return r
end

at(1, function()
  bu(1, { { type = "replay", ts = ntp_now() },
          { type = "auth", spi = SPI, authenticator = "000102030405060708090a0b" } })
  refused("a wrong authenticator", 146)
  bu(1, { { type = "replay", ts = ntp_now() },
          { type = "auth", spi = SPI, key = "ffeeddccbbaa99887766554433221100" } })
  refused("the authenticator of another key", 146)
  bu(1, { { type = "replay", ts = ntp_now() }, { type = "auth", spi = 4242, key = KEY } })
  refused("an unknown SPI", 146)
  bu(1, { { type = "replay", ts = ntp_now() } })
  refused("no authentication option", 146)
  bu(1, { { type = "auth", spi = SPI, key = KEY } })
  refused("no replay protection option", 145)
  local off = ntp_now() - (3600 << 32)
  bu(1, { { type = "replay", ts = off }, { type = "auth", spi = SPI, key = KEY } })
  local r = refused("a timestamp one hour old", 144)
  if r then
    local d = ((r["mh.opt.replay.ts"] or 0) - ntp_now()) / 4294967296.0
    check(math.abs(d) < 5, string.format("the 144 BA carries the HA's time: %.1f s from ours", d))
  end
  -- the valid BU: accepted with seq 1 (no refused BU moved the window)
  bu(1, { { type = "replay", ts = ntp_now() }, { type = "auth", spi = SPI, key = KEY } })
  local ok, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 6, ["mh.ba.status"] = 0, ["mh.ba.seq"] = 1 } }
  check(ok, "a valid BU with seq 1 is accepted after the refused ones" .. why_s(why))
  check(bound(), "ha binds the home address: " .. ctl("ha", "bindings"))
  finish()
end)
