-- mip6-active-mh: Mobility Header processing at the correspondent and the
-- home agent (RFC 6275 §9.2, §9.3.1, §9.4.1, §9.4.2), from the station
-- "attacker" on cell1 (a tester here).
-- - an unknown MH type is answered with Binding Error status 2 (§9.2, §6.1.9);
-- - an MH with a wrong checksum is silently discarded (§9.2: "the checksum
--   MUST be verified", the packet is discarded otherwise): a HoTI (which
--   would get a HoT) and an authenticated home registration (which would
--   get a BA) get nothing;
-- - a packet with a Home Address option for which there is no binding is
--   answered with Binding Error status 1 naming that home address (§9.3.1),
--   sent to the packet's source, and not processed;
-- - a HoTI or CoTI carrying a Home Address option is silently discarded
--   (§9.4.1, §9.4.2; §6.1: the HAO is used only with a BU); the same
--   messages without it are answered (HoT, CoT).
scenario { topology = "../../topologies/mip6.lua", set = { attacker = "cell1" }, duration = 20 }

local KEY, SPI = "00112233445566778899aabbccddeeff", 1000	-- topology conf
local HA, CN = "fd00:1:0:1::1", "fd00:0:0:9::1"
local HOA = "fd00:1:0:1::1ff"		-- bound nowhere
local ME = "fd00:1:0:2::3"		-- the attacker's address on cell1
-- now() does not count time spent in exec (control socket queries, the
-- clock): a frame the attacker sends and sees brings the scenario clock to
-- the wall clock, so that the next expectation gets its whole window
local function sync()
  send { from = "attacker", to = "ar1", ip6 = { dst = "fd00:1:0:2::1" }, payload = "sync" }
  expect { on = "cell1", from = "attacker", within = 5, match = { ["ip6.nxt"] = 59 } }
end
local function why_s(why) return why and ": " .. why or "" end
local function ntp_now()	-- RFC 4285 §6, from the attacker's clock
  local s, ns = node("attacker"):exec { "date", "+%s %N" }.output:match("(%d+) (%d+)")
  return (tonumber(s) + 2208988800) << 32 | ((tonumber(ns) << 32) // 1000000000)
end
local function to(dst, t)
  sync()
  t.from, t.to = "attacker", "ar1"
  t.ip6 = t.ip6 or {}
  t.ip6.dst = dst
  return send(t)
end
local function answered(what, match, within)
  local r, why = expect { on = "cell1", within = within or 1, match = match }
  check(r, what .. why_s(why))
  return r
end
local function silent(what, match, within)
  local ok, why = expect_none { on = "cell1", within = within or 1, match = match }
  check(ok, what .. why_s(why))
end

at(1, function()
  -- unknown MH type 42 (§9.2): BE status 2, at the cn and at ha
  for _, peer in ipairs { { "cn", CN }, { "ha", HA } } do
    to(peer[2], { mh = { type = 42, payload = string.rep("\0", 10) } })
    local r = answered(peer[1] .. " answers MH type 42 with a Binding Error",
                       { ["mh.type"] = 7, ["ip6.src"] = peer[2], ["ip6.dst"] = ME })
    if r then
      check(r["mh.be.status"] == 2, string.format("%s: expected BE status 2 vs %d", peer[1], r["mh.be.status"]))
    end
  end

  -- a correct HoTI is answered; the same with a wrong checksum is not (§9.2)
  to(CN, { mh = { type = "hoti", cookie = "0102030405060708" } })
  answered("cn answers a HoTI with a HoT", { ["mh.type"] = 3, ["mh.hot.cookie"] = "0102030405060708" })
  to(CN, { mh = { type = "hoti", cookie = "1112131415161718", cksum = 0x1234 } })
  silent("cn discards a HoTI with a wrong checksum", { ["ip6.src"] = CN, ["mh.type"] = true })
  -- an authenticated home registration with a wrong checksum: no BA at all
  to(HA, { dopt = { hao = HOA }, mh = { type = "bu", seq = 7, flags = { A = 1, H = 1 }, lifetime = 25,
           cksum = 0xbeef, opts = { { type = "replay", ts = ntp_now() },
                                    { type = "auth", spi = SPI, key = KEY } } } })
  silent("ha discards a BU with a wrong checksum", { ["ip6.src"] = HA, ["mh.type"] = true })

  -- a Home Address option with no binding (§9.3.1): BE status 1, no echo reply
  for _, peer in ipairs { { "cn", CN }, { "ha", HA } } do
    to(peer[2], { dopt = { hao = HOA }, icmp6 = { type = "echo", id = 77, seq = 1 } })
    local r = answered(peer[1] .. " answers a HAO with no binding with a Binding Error",
                       { ["mh.type"] = 7, ["ip6.src"] = peer[2] })
    if r then
      check(r["mh.be.status"] == 1, string.format("%s: expected BE status 1 vs %d", peer[1], r["mh.be.status"]))
      check(r["mh.be.home"] == HOA, peer[1] .. ": the BE names the home address " .. HOA .. " vs " .. tostring(r["mh.be.home"]))
      check(r["ip6.dst"] == ME, peer[1] .. ": the BE goes to the packet's source, not the HAO: " .. r["ip6.dst"])
    end
    silent(peer[1] .. " does not process it: no echo reply", { ["icmp6.type"] = 129 }, 0.5)
  end

  -- HoTI / CoTI with a Home Address option (§9.4.1, §9.4.2): silently discarded
  to(CN, { dopt = { hao = HOA }, mh = { type = "hoti", cookie = "2122232425262728" } })
  silent("cn discards a HoTI carrying a HAO (§9.4.1)", { ["ip6.src"] = CN, ["mh.type"] = true })
  to(CN, { dopt = { hao = HOA }, mh = { type = "coti", cookie = "3132333435363738" } })
  silent("cn discards a CoTI carrying a HAO (§9.4.2)", { ["ip6.src"] = CN, ["mh.type"] = true })
  to(CN, { mh = { type = "coti", cookie = "4142434445464748" } })
  answered("cn answers the same CoTI without the HAO", { ["mh.type"] = 4, ["mh.cot.cookie"] = "4142434445464748" })
  finish()
end)
