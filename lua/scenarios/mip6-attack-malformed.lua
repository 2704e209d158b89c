-- mip6-attack-malformed: malformed Mobility Headers (RFC 4225 §3.5, denial
-- of service against the protocol implementation; RFC 6275 §9.2: a
-- Mobility Header whose length is below the type's minimum, or that is
-- inconsistent, is discarded — with an ICMP Parameter Problem at most; an
-- unknown type gets Binding Error status 2; §6.2.1: options are walked
-- within the header) sent by the attacker on cell1 to the home agent, the
-- cn, and mn1 (away in cell1, at its care-of address): header lengths below
-- the minimum and beyond the bytes, truncated and overrunning options, bad
-- padding, misaligned options, empty and one-byte headers, broken
-- destination options and type 2 routing headers, and 600 frames of
-- random bytes after a plausible MH header. Expected: no daemon exits (the
-- integration test reads events.jsonl for proc_exit), each daemon counts
-- what it dropped, and each still answers: ha accepts a valid home
-- registration, the cn answers a HoTI, mn1 stays registered and reachable,
-- and every control socket answers.
scenario { topology = "../../topologies/mip6.lua", set = { attacker = "cell1", ro = "no" }, duration = 60 }

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
local TEST_HOA = "fd00:1:0:1::1ff"
local function ntp_now()	-- RFC 4285 §6, from the attacker's clock
  local s, ns = node("attacker"):exec { "date", "+%s %N" }.output:match("(%d+) (%d+)")
  return (tonumber(s) + 2208988800) << 32 | ((tonumber(ns) << 32) // 1000000000)
end
-- the malformed Mobility Headers (each a send{} table without from/to/ip6)
local BAD = {
  { mh = { type = "bu", len = 0 } },				-- below the BU's minimum
  { mh = { type = "bu", len = 12 } },				-- beyond the bytes
  { mh = { type = "ba", len = 0 } },
  { mh = { type = "hoti", len = 0 } },
  { mh = { type = "hot", len = 1 } },
  { mh = { type = "be", len = 1 } },
  { mh = { type = "bu", opts = { { type = "acoa", len = 4 } } } },	-- truncated option
  { mh = { type = "bu", opts = { { type = "ni", len = 1 } } } },
  { mh = { type = "bu", opts = { { type = "auth", spi = 1000, len = 3 } } } },
  { mh = { type = "bu", opts = { { type = "replay", len = 2 } } } },
  { mh = { type = "bu", opts = { { type = "bad", len = 200 } } } },	-- overruns the header
  { mh = { type = "bu", opts = { { type = "padn", len = 255 } } } },
  { mh = { type = "bu", opts = { { type = 255, data = "00", len = 255 } } } },
  { mh = { type = "bu", align = false, opts = { { type = "padn", data = "ffffffff" },
                                               { type = "auth", spi = 1000, authenticator = "00" } } } },
  { mh = { type = "bu", align = false, opts = { { type = "pad1" }, { type = "acoa", addr = "::1" } } } },
  { mh = { type = "ba", opts = { { type = "auth", spi = 1000, authenticator = "0102" } } } },
  { mh = { type = "be", status = 255, home = "::" } },
  { mh = { raw = "" } },
  { mh = { raw = "\59" } },
  { mh = { raw = "\59\0" } },
  { mh = { raw = "\59\255\5\0\0\0\0\0" } },
  { mh = { raw = "\59\0\5\0\0\0\0\1\0\0\1\255" } },
  { dopt = { len = 3, hao = TEST_HOA }, mh = { type = "bu" } },		-- dopt length wrong
  { dopt = { opts = { { type = 201, data = "0011", len = 2 } } }, mh = { type = "bu" } },	-- a short HAO
  { rh = { type = 2, addr = TEST_HOA, segleft = 0 }, mh = { type = "ba" } },
  { rh = { type = 2, addr = TEST_HOA, segleft = 2 }, mh = { type = "ba" } },
  { rh = { type = 2, addr = TEST_HOA, len = 4 }, mh = { type = "ba" } },
}
local function rand_bytes(n)
  local t = {}
  for i = 1, n do t[i] = string.char(math.random(0, 255)) end
  return table.concat(t)
end

at(1, function()
  move("mn1", "cell1")
  local ok, st = wait_for("mn1", "status", "state registered", 8)
  if not check(ok, "mn1 registers from cell1: " .. st) then return fail("no registration") end
  local mn_coa = st:match("\ncare_of ([%x:]+)")
  local targets = { { "ha", HA, "ar1" }, { "cn", CN, "ar1" }, { "mn1", mn_coa, "mn1" } }
  local drop0 = {}
  for _, t in ipairs(targets) do
    drop0[t[1]] = counter(t[1], "parse_malformed") + counter(t[1], "parse_truncated")
  end
  local sent = 0
  for _, t in ipairs(targets) do
    for _, b in ipairs(BAD) do
      local p = { from = "attacker", to = t[3], ip6 = { dst = t[2] }, mh = b.mh, dopt = b.dopt, rh = b.rh }
      local okc, err = pcall(send, p)
      if okc then sent = sent + 1 else log("not sent (%s): %s", t[1], err) end
      wait(0.005)
    end
    -- random bytes after a plausible header: proto 59, a length, a type 0-9
    for _ = 1, 200 do
      local body = rand_bytes(math.random(0, 60))
      local raw = string.char(59, math.random(0, 9), math.random(0, 9), 0, 0, 0) .. body
      send { from = "attacker", to = t[3], ip6 = { dst = t[2] }, mh = { raw = raw } }
      sent = sent + 1
      if sent % 20 == 0 then wait(0.005) end
    end
  end
  log("sent %d malformed or random Mobility Headers", sent)
  wait(1)
  for _, t in ipairs(targets) do
    local d = counter(t[1], "parse_malformed") + counter(t[1], "parse_truncated") - drop0[t[1]]
    log("%s dropped %d as malformed or truncated", t[1], d)
    check(d > 0, t[1] .. " counted malformed or truncated headers: " .. d)
    check(ctl(t[1], "status") ~= "", t[1] .. "'s control socket answers")
  end
  -- still answering
  sync()
  send { from = "attacker", to = "ar1", ip6 = { dst = HA }, dopt = { hao = TEST_HOA },
         mh = { type = "bu", seq = 1, flags = { A = 1, H = 1 }, lifetime = 25,
                opts = { { type = "replay", ts = ntp_now() }, { type = "auth", spi = SPI, key = KEY } } } }
  local r, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 6, ["ip6.src"] = HA, ["mh.ba.status"] = 0 } }
  check(r, "ha still accepts a valid home registration" .. why_s(why))
  send { from = "attacker", to = "ar1", ip6 = { dst = CN }, mh = { type = "hoti", cookie = "0102030405060708" } }
  r, why = expect { on = "cell1", within = 1, match = { ["mh.type"] = 3, ["mh.hot.cookie"] = "0102030405060708" } }
  check(r, "the cn still answers a HoTI" .. why_s(why))
  st = ctl("mn1", "status")
  check(st:match("state registered"), "mn1 is still registered: " .. st)
  local p = node("cn"):exec { "ping", "-c", "2", "-i", "0.2", "-W", "1", HOA, timeout = 5 }
  check(p.status == 0, "the cn reaches mn1: " .. p.output)
  finish()
end)
