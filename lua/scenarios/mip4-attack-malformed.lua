-- mip4-attack-malformed: malformed Registration Requests from the home link
-- to the home agent: empty and short UDP payloads, bad extension lengths,
-- truncated extensions, unknown extensions in the must-understand (0-127) and
-- skippable (128-255) ranges, duplicated and short MN-HA extensions, other
-- message types, a lying UDP length. Each is answered with code 134 (poorly
-- formed), another denial where the message is well formed but not
-- authentic, or dropped; never a crash: afterwards the home agent still
-- registers the real mobile node and no daemon has exited.
scenario { topology = "../../topologies/mip4.lua", set = { attacker = "home" }, duration = 20 }

local CTL = [[use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Peer => "$ENV{ROAM_OUT}/$ARGV[0].ctl")
  or die "connect $ARGV[0].ctl: $!\n"; print $s "$ARGV[1]\n"; shutdown($s, 1); print grep { $_ ne "ok\n" } <$s>;]]
local function ctl(name, req)
  return node(name):exec { "perl", "-e", CTL, name, req, timeout = 5 }.output
end
local function wait_state(name, pat, secs)
  for _ = 1, secs * 5 do
    local st = ctl(name, "status")
    if st:match(pat) then return true, st end
    wait(0.2)
  end
  return false, ctl(name, "status")
end

local KEY = "00112233445566778899aabbccddeeff"
local HOA = "10.1.0.150"	-- a home address no mobile node uses
local function rrq(t)	-- a request for HOA; t's fields override
  local m = { type = "rrq", lifetime = 30, home = HOA, ha = "10.1.0.1", coa = "10.0.2.2",
              id = 0x0102030405060708, ext = { { type = "mnha", spi = 1000, key = KEY } } }
  for k, v in pairs(t or {}) do m[k] = v end
  return m
end
local valid = craft { eth = { dst = "02:00:00:00:00:01" }, ip = { src = "10.1.0.3", dst = "10.1.0.1" }, udp = { sport = 434 }, mip4 = rrq() }
local valid_msg = valid:sub(14 + 20 + 8 + 1)	-- without eth, ip, udp

-- expect: a list of acceptable reply codes, or "drop"
local cases = {
  { what = "a zero-length UDP payload", udp = { dport = 434, payload = "" }, expect = "drop" },
  { what = "one byte", udp = { dport = 434, payload = "\1" }, expect = "drop" },
  { what = "a request cut inside its fixed part (23 bytes)", mip4 = { raw = valid_msg:sub(1, 23) }, expect = "drop" },
  { what = "the fixed part alone", mip4 = { raw = valid_msg:sub(1, 24) }, expect = { 131 } },
  { what = "a request cut inside its MN-HA extension", mip4 = { raw = valid_msg:sub(1, #valid_msg - 5) }, expect = { 134 } },
  { what = "an extension type with no length byte", mip4 = rrq { ext = {}, payload = "\32" }, expect = { 134 } },
  { what = "an MN-HA extension longer than the message",
    mip4 = rrq { ext = { { type = "mnha", spi = 1000, key = KEY, len = 200 } } }, expect = { 134 } },
  { what = "an MN-HA extension too short for its SPI",
    mip4 = rrq { ext = { { type = "mnha", spi = 3, auth = "", len = 2 } } }, expect = { 134 } },
  { what = "two MN-HA extensions",
    mip4 = rrq { ext = { { type = "mnha", spi = 1000, key = KEY }, { type = "mnha", spi = 1000, key = KEY } } },
    expect = { 134 } },
  { what = "an unknown must-understand extension (100) before MN-HA",
    mip4 = rrq { ext = { { type = 100, data = "00112233" }, { type = "mnha", spi = 1000, key = KEY } } },
    expect = { 134, "drop" } },
  { what = "an unknown must-understand extension (127) after MN-HA",
    mip4 = rrq { ext = { { type = "mnha", spi = 1000, key = KEY }, { type = 127, data = "" } } },
    expect = { 134, "drop" } },
  { what = "an unknown skippable extension (200) after MN-HA (not authenticated)",
    mip4 = rrq { ext = { { type = "mnha", spi = 1000, key = KEY }, { type = 200, data = "0102" } } },
    expect = { 131 } },
  { what = "a zero-length extension of type 0 then garbage",
    mip4 = rrq { ext = { { type = 0, data = "", len = 0 } }, payload = "\255\255\255" }, expect = { 134, "drop" } },
  { what = "255 bytes of skippable extensions and no MN-HA",
    mip4 = rrq { ext = { { type = 255, data = string.rep("ff", 253) }, { type = 254, data = string.rep("00", 200) } } },
    expect = { 131 } },
  { what = "a Registration Reply sent to the home agent",
    mip4 = { type = "rrp", code = 0, home = HOA, ha = "10.1.0.1", id = 5,
             ext = { { type = "mnha", spi = 1000, key = KEY } } }, expect = { 134, "drop" } },
  { what = "an unknown message type (2)", mip4 = { raw = "\2" .. valid_msg:sub(2) }, expect = { 134, "drop" } },
  { what = "a UDP length longer than the datagram", udp = { sport = 434, len = 400 },
    mip4 = rrq(), expect = "drop" },
  { what = "a UDP length shorter than the request", udp = { sport = 434, len = 20 },
    mip4 = rrq(), expect = { 134, "drop" } },
  { what = "a bad UDP checksum", udp = { sport = 434, cksum = 0x1234 }, mip4 = rrq(), expect = "drop" },
}

local function accepts(list, what)
  if list == "drop" then return what == "drop" end
  for _, c in ipairs(list) do if c == what then return true end end
  return false
end

at(1, function()
  local me = node("attacker").addr4
  for i, c in ipairs(cases) do
    local pkt = { from = "attacker", to = "ha", ip = { dst = "10.1.0.1" },
                  udp = c.udp or { sport = 434 }, mip4 = c.mip4 }
    if not pkt.udp.sport then pkt.udp.sport = 434 end
    send(pkt)
    local r = expect { on = "home", from = "ha", within = 0.5,
                       match = { ["mip4.type"] = 3, ["ip.dst"] = me } }
    local got = r and r["mip4.rrp.code"] or "drop"
    check(accepts(c.expect, got), string.format("case %d, %s: expected %s vs %s", i, c.what,
          type(c.expect) == "table" and table.concat(c.expect, " or ") or c.expect, tostring(got)))
    if r then check(r["mip4.rrp.lifetime"] == 0, "case " .. i .. ": a denial grants no lifetime") end
  end

  -- a skippable extension before MN-HA is covered by the authenticator and
  -- skipped: with a fresh Identification (the home agent's clock, learnt from
  -- a 133 as a mobile node would) the request is accepted, then deregistered
  send { from = "attacker", to = "ha", ip = { dst = "10.1.0.1" }, udp = { sport = 434 },
         mip4 = rrq { id = 1 } }
  local r, why = expect { on = "home", from = "ha", within = 0.5, match = { ["mip4.rrp.code"] = 133 } }
  if check(r, "a stale Identification gets 133 with the home agent's clock: " .. tostring(why)) then
    local id = (r["mip4.rrp.id"] & ~0xffffffff) | 0x1234
    send { from = "attacker", to = "ha", ip = { dst = "10.1.0.1" }, udp = { sport = 434 },
           mip4 = rrq { id = id, ext = { { type = 200, data = "abcdef" }, { type = "mnha", spi = 1000, key = KEY } } } }
    r, why = expect { on = "home", from = "ha", within = 0.5, match = { ["mip4.type"] = 3 } }
    check(r and r["mip4.rrp.code"] == 0, "a skippable extension before MN-HA is skipped: accepted: " ..
          tostring(r and r["mip4.rrp.code"] or why))
    send { from = "attacker", to = "ha", ip = { dst = "10.1.0.1" }, udp = { sport = 434 },
           mip4 = rrq { id = id + 1, lifetime = 0, coa = HOA } }
    r, why = expect { on = "home", from = "ha", within = 0.5, match = { ["mip4.type"] = 3 } }
    check(r and r["mip4.rrp.code"] == 0, "and deregistered: " .. tostring(r and r["mip4.rrp.code"] or why))
  end

  -- the home agent is alive and serves the real mobile node
  local st = ctl("ha", "status")
  check(st:match("role mip4%.ha"), "ha answers its control socket: " .. st)
  move("mn1", "cell1")
  local ok
  ok, st = wait_state("mn1", "\nstate registered\n.*agent 10%.2%.0%.1 ", 8)
  check(ok and ctl("ha", "bindings"):match("^10%.1%.0%.101 coa 10%.0%.2%.2 "),
        "the mobile node registers through fa1 afterwards: " .. st)
  local ex = node("ha"):exec { "sh", "-c", 'grep -c \'"type":"proc_exit"\' "$ROAM_OUT/events.jsonl"' }
  check(tonumber(ex.output:match("%d+")) == 0, "no daemon exited during the run: " .. ex.output)
  finish()
end)
