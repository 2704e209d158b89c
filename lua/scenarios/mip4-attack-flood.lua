-- mip4-attack-flood: registration floods, bounded (5000 requests at 2000/s
-- each), with random home addresses, SPIs, Identifications and
-- authenticators. First at the home agent from the home link, then at the
-- foreign agent fa1 from its cell (each request names fa1's care-of address,
-- so fa1 keeps it pending and relays it). Neither agent's state may grow
-- without bound: the home agent creates no binding for an unauthenticated
-- request and its memory stays flat; fa1's pending list is capped and drains
-- after pending_timeout (7 s). The real mobile node's registrations still
-- succeed after each flood.
scenario { topology = "../../topologies/mip4.lua", set = { attacker = "home" }, duration = 40 }

local CTL = [[use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Peer => "$ENV{ROAM_OUT}/$ARGV[0].ctl")
  or die "connect $ARGV[0].ctl: $!\n"; print $s "$ARGV[1]\n"; shutdown($s, 1); print grep { $_ ne "ok\n" } <$s>;]]
local function ctl(name, req)
  return node(name):exec { "perl", "-e", CTL, name, req, timeout = 5 }.output
end
local function counter(name, key)
  local out = "\n" .. ctl(name, "counters")
  return tonumber(out:match("\n" .. key .. " (%d+)")) or 0
end
local function lines(s) local n = 0; for _ in s:gmatch("[^\n]+") do n = n + 1 end; return n end
-- VmRSS (kB) of the node's roam-mip4 daemon: the one in this network namespace
local RSS = [[for p in $(pidof roam-mip4); do
  [ "$(readlink /proc/$p/ns/net)" = "$(readlink /proc/self/ns/net)" ] &&
  awk '/^VmRSS/ { print $2 }' /proc/$p/status; done]]
local function rss(name)
  local r = node(name):exec { "sh", "-c", RSS, timeout = 5 }
  return tonumber(r.output:match("(%d+)"))
end
-- lines in the node's log file (the daemon's stderr)
local function log_lines(name)
  local r = node(name):exec { "sh", "-c", 'wc -l < "$ROAM_OUT/' .. name .. '.log"' }
  return tonumber(r.output:match("%d+")) or 0
end
local function wait_state(name, pat, secs)
  for _ = 1, secs * 5 do
    local st = ctl(name, "status")
    if st:match(pat) then return true, st end
    wait(0.2)
  end
  return false, ctl(name, "status")
end

local N, RATE = 5000, 2000
local HEX = "0123456789abcdef"
local function rand_hex(n)
  local t = {}
  for i = 1, n do local k = math.random(16); t[i] = HEX:sub(k, k) end
  return table.concat(t)
end
local function rand_req(coa)
  local hoa = math.random(4) > 1 and string.format("10.1.0.%d", math.random(2, 254))
              or string.format("10.%d.%d.%d", math.random(255), math.random(0, 255), math.random(254))
  local spi = math.random(3) == 1 and 1000 or math.random(256, 0x7fffffff)
  -- half name a home agent nobody routes to: fa1 keeps those pending
  local ha = math.random(2) == 1 and "10.1.0.1" or string.format("10.200.%d.%d", math.random(0, 255), math.random(254))
  return { type = "rrq", lifetime = math.random(1, 120), home = hoa, ha = ha,
           coa = coa, id = math.random(0, 0x7fffffff) << 32 | math.random(0, 0x7fffffff),
           ext = { { type = "mnha", spi = spi, auth = rand_hex(32) } } }
end
-- n requests at rate per second from the attacker, 2 per millisecond tick
local function flood(to, dst, coa)
  local per_tick = RATE // 1000
  for _ = 1, N // per_tick do
    for _ = 1, per_tick do
      send { from = "attacker", to = to, ip = { dst = dst }, udp = { sport = 434 }, mip4 = rand_req(coa) }
    end
    wait(0.001)
  end
end

at(1, function()
  move("mn1", "cell1")
  local ok, st = wait_state("mn1", "\nstate registered", 8)
  if not check(ok, "the mobile node registers through fa1 before the floods: " .. st) then
    return fail("no registration")
  end

  -- 1. the home agent
  local rx0, bad0, acc0 = counter("ha", "req_rx"), counter("ha", "req_auth_fail"), counter("ha", "req_accepted")
  local rss0, log0 = rss("ha"), log_lines("ha")
  local t0 = now()
  flood("ha", "10.1.0.1", "10.0.2.2")
  log("sent %d requests to ha in %.2f s of run time", N, now() - t0)
  wait(1)
  local rx, bad = counter("ha", "req_rx") - rx0, counter("ha", "req_auth_fail") - bad0
  log("ha received %d, %d failed authentication, VmRSS %s -> %s kB", rx, bad, rss0, rss("ha"))
  check(rx >= N * 0.5, string.format("ha received most of the flood: %d of %d", rx, N))
  check(bad == rx, string.format("every flooded request failed authentication: %d of %d", bad, rx))
  check(counter("ha", "req_accepted") == acc0, "ha accepted none of them")
  local b = ctl("ha", "bindings")
  check(lines(b) == 1 and b:match("^10%.1%.0%.101 "), "ha's binding table holds only the mobile node: " .. b)
  local rss1 = rss("ha")
  check(rss0 and rss1 and rss1 - rss0 < 2048, string.format(
        "ha's memory stays flat: VmRSS %s -> %s kB", rss0, rss1))
  local grown = log_lines("ha") - log0
  check(grown < 200, "ha's log grew by " .. grown .. " lines for " .. N .. " denials (a quota per second)")

  -- the mobile node registers again (through fa2) right after
  move("mn1", "cell2")
  ok, st = wait_state("mn1", "\nstate registered\n.*agent 10%.3%.0%.1 ", 8)
  check(ok and ctl("ha", "bindings"):match("^10%.1%.0%.101 coa 10%.0%.3%.2 "),
        "the mobile node registers through fa2 after the flood: " .. st)

  -- 2. the foreign agent fa1, from its cell
  move("attacker", "cell1")
  wait(0.5)
  local frx0 = counter("fa1", "req_rx")
  local frss0, flog0 = rss("fa1"), log_lines("fa1")
  flood("fa1", "10.2.0.1", "10.0.2.2")
  wait(0.5)
  local vis = lines(ctl("fa1", "visitors"))
  local frx = counter("fa1", "req_rx") - frx0
  log("fa1 received %d, holds %d entries, VmRSS %s -> %s kB", frx, vis, frss0, rss("fa1"))
  check(frx >= N * 0.5, string.format("fa1 received most of the flood: %d of %d", frx, N))
  check(vis > 256 and vis <= 1024, "fa1's pending list filled up and is bounded (1024): " .. vis .. " entries")
  check(counter("fa1", "rep_relayed") > 0, "fa1 relayed the home agent's denials")
  local frss1 = rss("fa1")
  check(frss0 and frss1 and frss1 - frss0 < 4096, string.format(
        "fa1's memory stays bounded: VmRSS %s -> %s kB", frss0, frss1))
  -- the pending entries time out (pending_timeout 7 s)
  wait(8)
  vis = ctl("fa1", "visitors")
  check(lines(vis) <= 1, "fa1's pending entries drained after pending_timeout: " .. lines(vis) .. " left")
  local fgrown = log_lines("fa1") - flog0
  check(fgrown < 400, "fa1's log grew by " .. fgrown .. " lines for the flood and its timeouts")

  -- the mobile node registers through fa1 again
  move("mn1", "cell1")
  ok, st = wait_state("mn1", "\nstate registered\n.*agent 10%.2%.0%.1 ", 8)
  check(ok and ctl("ha", "bindings"):match("^10%.1%.0%.101 coa 10%.0%.2%.2 "),
        "the mobile node registers through fa1 after the flood: " .. st)
  finish()
end)
