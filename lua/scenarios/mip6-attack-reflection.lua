-- mip6-attack-reflection: reflection through the Home Address option
-- (RFC 4225 §3.3 reflection and amplification; RFC 6275 §9.3.1: a node
-- that receives a packet with a Home Address option and has no binding for
-- that home address must not process it — it answers with Binding Error
-- status 1 to the packet's source — so the option cannot be used to make a
-- node answer to the address it names). The attacker on cell1 names mn1's
-- home address (mn1 is at home, with no binding anywhere) in the option of
-- echo requests, UDP datagrams and a TCP SYN sent to the cn and to the home
-- agent. Neither answers the victim: nothing from them reaches the home
-- link, and the only answers are Binding Errors to the attacker, one per
-- packet at most (no amplification).
scenario { topology = "../../topologies/mip6.lua", set = { attacker = "cell1" }, duration = 20 }

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
local ME, VICTIM = "fd00:1:0:2::3", HOA

at(1, function()
  local home = listen { on = "home" }
  local cell = listen { on = "cell1" }
  local n = 0
  for _, peer in ipairs { CN, HA } do
    for i = 1, 5 do
      send { from = "attacker", to = "ar1", ip6 = { dst = peer }, dopt = { hao = VICTIM },
             icmp6 = { type = "echo", id = 99, seq = i, payload = string.rep("x", 500) } }
      send { from = "attacker", to = "ar1", ip6 = { dst = peer }, dopt = { hao = VICTIM },
             udp = { sport = 7, dport = 7, payload = string.rep("y", 500) } }
      send { from = "attacker", to = "ar1", ip6 = { dst = peer }, dopt = { hao = VICTIM },
             tcp = { sport = 40000 + i, dport = 22, flags = 0x002 } }
      n = n + 3
    end
  end
  wait(1)
  sync()
  local ok, why = home:expect_none { within = 1, match = { ["ip6.dst"] = VICTIM,
    ["ip6.src"] = function(s) return s == CN or s == HA end } }
  check(ok, "nothing is reflected to the victim's home address" .. why_s(why))
  local be = 0
  while true do
    local r = cell:expect { within = 0.2, match = { ["mh.type"] = 7, ["ip6.dst"] = ME } }
    if not r then break end
    be = be + 1
    check(r["mh.be.status"] == 1 and r["mh.be.home"] == VICTIM,
          "a Binding Error status 1 naming the home address: " .. r["mh.be.status"] .. " " .. tostring(r["mh.be.home"]))
  end
  ok, why = cell:expect_none { within = 0.2, match = { ["ip6.dst"] = ME,
    ["icmp6.type"] = function(t) return t == 129 end } }
  check(ok, "no echo reply to the attacker either" .. why_s(why))
  log("%d packets with a HAO, %d Binding Errors to the attacker", n, be)
  check(be > 0 and be <= n, string.format("Binding Errors to the source, at most one per packet: %d for %d", be, n))
  check(counter("cn", "hao_no_binding") >= 15 and counter("ha", "hao_no_binding") >= 15,
        "both counted the packets with no binding: cn " .. counter("cn", "hao_no_binding") .. ", ha " .. counter("ha", "hao_no_binding"))
  finish()
end)
