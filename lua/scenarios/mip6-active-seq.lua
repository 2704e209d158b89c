-- mip6-active-seq: the home agent's sequence number window (RFC 6275
-- §9.5.1, applied to home registrations by §10.3.1; numbers modulo 2^16,
-- "less than" as in §9.5.1: a number is newer when it is less than 2^15
-- ahead; with last 15, 0-15 and 32783-65535 are "less than or equal"). Crafted home registrations from the station "attacker" on cell1
-- (a tester here), with valid RFC 4285 MN-HA authentication (§5, the
-- topology's key and SPI) and a fresh replay protection timestamp (§6), for
-- a home address nobody uses (fd00:1:0:1::1ff). After 15 is accepted:
-- 16 and 32782 are accepted; 14, 15 (the same), 32783 and 32784 are
-- refused with status 135 carrying the last accepted number; and from
-- 32782, 15 and 14 (2^15 + 1 and 2^15 ahead) are refused, 13 (the wrap,
-- 2^15 - 1 ahead) is accepted. Each answer is read on cell1, on its way to the
-- care-of address; the binding's sequence number is read from ha's
-- control socket.
scenario { topology = "../../topologies/mip6.lua", set = { attacker = "cell1" }, duration = 30 }


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

-- RFC 4285 §6: a 64-bit NTP timestamp (seconds since 1900, 32-bit
-- fraction) from the attacker's clock (the scenario has no clock of its own)
local function ntp_now()
  local out = node("attacker"):exec { "date", "+%s %N" }.output
  local s, ns = out:match("(%d+) (%d+)")
  return (tonumber(s) + 2208988800) << 32 | ((tonumber(ns) << 32) // 1000000000)
end

-- a home registration BU for HOA from the attacker's care-of address
local function bu(seq, life)
  local ts = ntp_now()
  sync()
  return send { from = "attacker", to = "ar1", ip6 = { dst = HA }, dopt = { hao = HOA },
    mh = { type = "bu", seq = seq, flags = { A = 1, H = 1 }, lifetime = life or 25,
           opts = { { type = "replay", ts = ts },
                    { type = "auth", spi = SPI, key = KEY } } } }
end

local function ba(what, seq, status, ba_seq)
  bu(seq)
  local r, why = expect { on = "cell1", within = 1,
                          match = { ["mh.type"] = 6, ["ip6.rh2.addr"] = HOA } }
  if not check(r, what .. ": ha answers the BU with seq " .. seq .. (why and ": " .. why or "")) then
    return
  end
  check(r["mh.ba.status"] == status, string.format("%s: expected status %d vs %d",
        what, status, r["mh.ba.status"]))
  check(r["mh.ba.seq"] == ba_seq, string.format("%s: expected the BA's seq %d vs %d",
        what, ba_seq, r["mh.ba.seq"]))
end

local function bound_seq()
  local b = ctl("ha", "bindings")
  return tonumber(b:match("fd00:1:0:1::1ff coa [%x:]+ seq (%d+)"))
end

at(1, function()
  ba("first registration", 15, 0, 15)
  check(bound_seq() == 15, "ha binds seq 15: " .. ctl("ha", "bindings"))
  ba("15 -> 16", 16, 0, 16)
  ba("16 -> 16 (again)", 16, 135, 16)
  ba("16 -> 15 (older)", 15, 135, 16)
  -- back to 15 with a deregistration-free trick is impossible: start over
  -- from 15 by deleting the binding (lifetime 0) and registering again
  bu(17, 0)
  local r, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 6, ["mh.ba.status"] = 0 } }
  check(r, "deregistered to restart the window at 15" .. (why and ": " .. why or ""))
  check(bound_seq() == nil, "no binding left after lifetime 0")
  ba("register at 15 again", 15, 0, 15)
  ba("15 -> 14", 14, 135, 15)
  ba("15 -> 15", 15, 135, 15)
  ba("15 -> 32784 (2^15 + 1 ahead)", 32784, 135, 15)
  ba("15 -> 32783 (2^15 ahead)", 32783, 135, 15)
  ba("15 -> 32782 (2^15 - 1 ahead)", 32782, 0, 32782)
  check(bound_seq() == 32782, "ha binds seq 32782: " .. ctl("ha", "bindings"))
  ba("32782 -> 15 (2^15 + 1 ahead)", 15, 135, 32782)
  ba("32782 -> 14 (2^15 ahead)", 14, 135, 32782)
  ba("32782 -> 13 (wraps, 2^15 - 1 ahead)", 13, 0, 13)
  check(bound_seq() == 13, "ha binds seq 13 after the wrap: " .. ctl("ha", "bindings"))
  finish()
end)
