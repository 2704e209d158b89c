-- mip6-attack-flood: Binding Update floods (RFC 4225 §3.4 "flooding" and
-- state exhaustion; RFC 6275 §15.x: a node must not create state for an
-- unauthenticated BU), bounded: 3000 BUs at 1000/s each, at the home agent
-- (random home addresses on the home prefix, random SPIs, sequence numbers,
-- timestamps and authenticators) and at the cn (random home addresses,
-- nonce indices and Binding Authorization Data), from the attacker on
-- cell1. mn1 is away in cell2 with bindings at both. Expected: the home
-- agent refuses every one (146 MIPV6-AUTH-FAIL, RFC 4285 §5, or 145/144
-- when the replay option is missing or stale) and creates no binding; the
-- cn silently discards or refuses them (§9.5.1) and creates none; both
-- binding caches hold mn1 alone, with its care-of address; the daemons'
-- memory stays flat (VmRSS); mn1 stays registered and reachable.
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
local N, RATE = 3000, 1000
local RSS = [[for p in $(pidof roam-mip6); do
  [ "$(readlink /proc/$p/ns/net)" = "$(readlink /proc/self/ns/net)" ] &&
  awk '/^VmRSS/ { print $2 }' /proc/$p/status; done]]
local function rss(name)
  return tonumber(node(name):exec { "sh", "-c", RSS, timeout = 5 }.output:match("(%d+)"))
end
local function lines(s) local k = 0; for _ in s:gmatch("[^\n]+") do k = k + 1 end; return k end
local HEX = "0123456789abcdef"
local function rand_hex(n)
  local t = {}
  for i = 1, n do local k = math.random(16); t[i] = HEX:sub(k, k) end
  return table.concat(t)
end
local function rand_hoa() return string.format("fd00:1:0:1::%x:%x", math.random(0, 0xffff), math.random(0, 0xffff)) end
local function bu_ha()
  local opts = {}
  if math.random(8) > 1 then opts[#opts + 1] = { type = "replay", ts = math.random(0, 0x7fffffff) << 32 } end
  opts[#opts + 1] = { type = "auth", spi = math.random(3) == 1 and SPI or math.random(256, 0x7fffffff),
                      authenticator = rand_hex(24) }
  return { dst = HA, hao = rand_hoa(), mh = { type = "bu", seq = math.random(0, 0xffff), flags = { A = 1, H = 1 },
           lifetime = math.random(1, 0xffff), opts = opts } }
end
local function bu_cn()
  return { dst = CN, hao = math.random(4) == 1 and HOA or rand_hoa(),
           mh = { type = "bu", seq = math.random(0, 0xffff), flags = { A = math.random(0, 1) },
                  lifetime = math.random(1, 105), opts = {
                  { type = "ni", home = math.random(0, 3), coa = math.random(0, 3) },
                  { type = "bad", authenticator = rand_hex(24) } } } }
end
local function flood(make)
  local per_tick = RATE // 500
  for _ = 1, N // per_tick do
    for _ = 1, per_tick do
      local b = make()
      send { from = "attacker", to = "ar1", ip6 = { dst = b.dst }, dopt = { hao = b.hao }, mh = b.mh }
    end
    wait(0.002)
  end
end

at(1, function()
  move("mn1", "cell2")
  local ok, st = wait_for("mn1", "status", "state registered", 8)
  if not check(ok, "mn1 registers from cell2: " .. st) then return fail("no registration") end
  node("cn"):exec { "ping", "-c", "2", "-i", "0.2", "-W", "1", HOA, timeout = 5 }
  ok, st = wait_for("cn", "bindings", "fd00:1:0:1::101 coa fd00:1:0:3:", 8)
  if not check(ok, "the cn binds mn1: " .. st) then return fail("no cn binding") end
  local ha_b, cn_b = binding("ha", HOA):gsub(" seq.*", ""), binding("cn", HOA):gsub(" seq.*", "")

  for _, t in ipairs { { "ha", bu_ha }, { "cn", bu_cn } } do
    local name = t[1]
    local rx0, acc0, rss0 = counter(name, "bu_rx"), counter(name, "bu_accepted"), rss(name)
    sync()
    local t0 = now()
    flood(t[2])
    log("sent %d BUs to %s in %.2f s of run time", N, name, now() - t0)
    wait(1)
    local rx, acc, rss1 = counter(name, "bu_rx") - rx0, counter(name, "bu_accepted") - acc0, rss(name)
    log("%s received %d, accepted %d, VmRSS %s -> %s kB, %s", name, rx, acc, rss0, rss1,
        ctl(name, "counters"):gsub("\n", " "):match("bu_refused %d+ bu_discarded %d+ auth_fail %d+") or "")
    check(rx >= N * 0.9, string.format("%s received most of the flood: %d of %d", name, rx, N))
    check(acc == 0, string.format("%s accepted none of them: %d", name, acc))
    local b = ctl(name, "bindings")
    check(lines(b) == 1, name .. "'s binding cache holds mn1 alone: " .. lines(b) .. " entries")
    check(rss0 and rss1 and rss1 - rss0 < 1024, string.format("%s's memory stays flat: VmRSS %s -> %s kB", name, rss0, rss1))
  end
  check(binding("ha", HOA):gsub(" seq.*", "") == ha_b, "ha still binds mn1 to its care-of address: " .. binding("ha", HOA))
  check((binding("cn", HOA) or ""):gsub(" seq.*", "") == cn_b, "the cn still binds mn1 to its care-of address: " .. tostring(binding("cn", HOA)))
  st = ctl("mn1", "status")
  check(st:match("state registered"), "mn1 is still registered: " .. st)
  local p = node("cn"):exec { "ping", "-c", "3", "-i", "0.2", "-W", "1", HOA, timeout = 5 }
  check(p.status == 0, "the cn reaches mn1 after the floods: " .. p.output)
  finish()
end)
