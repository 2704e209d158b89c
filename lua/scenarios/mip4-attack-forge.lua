-- mip4-attack-forge: an attacker on the mobile node's cell (cell1) forges
-- Registration Requests for the mobile node's home address and sends them to
-- the foreign agent fa1, as a mobile node would: with a wrong MN-HA
-- authenticator, with an unknown SPI, and with no MN-HA extension at all.
-- RFC 5944 §3.8.2.1: the home agent denies each with code 131 (mobile node
-- failed authentication); the binding stays as it was, and the real mobile
-- node's traffic (a flow from cn to its home address, tunnelled by ha and
-- delivered by fa1) keeps reaching it — not the attacker.
scenario { topology = "../../topologies/mip4.lua", set = { attacker = "cell1" }, duration = 14 }

local CTL = [[use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Peer => "$ENV{ROAM_OUT}/$ARGV[0].ctl")
  or die "connect $ARGV[0].ctl: $!\n"; print $s "$ARGV[1]\n"; shutdown($s, 1); print grep { $_ ne "ok\n" } <$s>;]]
local function ctl(name, req)
  return node(name):exec { "perl", "-e", CTL, name, req, timeout = 5 }.output
end
local function counter(name, key)
  local out = "\n" .. ctl(name, "counters")
  return tonumber(out:match("\n" .. key .. " (%d+)")) or 0
end
local function bindings()
  return (ctl("ha", "bindings"):gsub(" remaining [%d.]+", ""))
end

local KEY = "00112233445566778899aabbccddeeff"	-- the real MN-HA key (topology)
local mn_mac, coa, flow_id

at(1, function()
  local tap = listen { on = "cell1" }
  move("mn1", "cell1")
  local rq, why = tap:expect { from = "mn1", within = 6, match = { ["mip4.type"] = 1 } }
  if not check(rq, "the mobile node registers through fa1: " .. tostring(why)) then
    return fail("no registration to attack")
  end
  mn_mac, coa = rq["eth.src"], rq["mip4.rrq.coa"]
  local rp
  rp, why = tap:expect { from = "fa1", within = 3, match = { ["mip4.type"] = 3, ["mip4.rrp.code"] = 0 } }
  check(rp, "the real registration is accepted: " .. tostring(why))
  tap:close()
  flow_id = flow { from = "cn", to = "mn1", addr = "10.1.0.101", rate = 100, size = 64 }.id
end)

-- forged requests, each sent to fa1 like a mobile node's
local forgeries = {
  { what = "a wrong authenticator", ext = { { type = "mnha", spi = 1000, auth = string.rep("5a", 16) } } },
  { what = "an authenticator computed with a wrong key",
    ext = { { type = "mnha", spi = 1000, key = "ffeeddccbbaa99887766554433221100" } } },
  { what = "an unknown SPI (with the real key)", ext = { { type = "mnha", spi = 4242, key = KEY } } },
  { what = "no MN-HA extension", ext = {} },
}

at(3, function()
  local before = bindings()
  check(before:match("^10%.1%.0%.101 coa 10%.0%.2%.2 "), "ha binds the mobile node to fa1: " .. before)
  local fails0 = counter("ha", "req_auth_fail")
  local me = node("attacker").addr4
  for i, f in ipairs(forgeries) do
    send { from = "attacker", to = "fa1", ip = { dst = "10.2.0.1" }, udp = { sport = 434 },
      mip4 = { type = "rrq", lifetime = 120, home = "10.1.0.101", ha = "10.1.0.1", coa = coa,
               id = 0x0123456700000000 + i, ext = f.ext } }
    local r, why = expect { on = "cell1", from = "fa1", within = 1,
                            match = { ["mip4.type"] = 3, ["ip.dst"] = me } }
    if check(r, f.what .. ": a reply comes back to the attacker: " .. tostring(why)) then
      check(r["mip4.rrp.code"] == 131, string.format("%s: expected code 131 vs %d",
            f.what, r["mip4.rrp.code"]))
    end
  end
  wait(0.3)
  local after = bindings()
  check(after == before, "the binding is unchanged: before [" .. before .. "] after [" .. after .. "]")
  local fails = counter("ha", "req_auth_fail")
  check(fails == fails0 + #forgeries, string.format("ha counted %d authentication failures, expected %d",
        fails - fails0, #forgeries))
  local vis = ctl("fa1", "visitors")
  check(vis:match("^10%.1%.0%.101 ha 10%.1%.0%.1 mac " .. mn_mac:lower() .. " registered"),
        "fa1 still delivers to the real mobile node's MAC " .. mn_mac .. ": " .. vis)

  -- the flow keeps reaching the mobile node, never the attacker
  local tap = listen { on = "cell1" }
  local r, why = tap:expect { from = "fa1", within = 1,
                              match = { ["traffic.flow"] = flow_id, ["eth.dst"] = mn_mac } }
  check(r, "the flow still reaches the mobile node: " .. tostring(why))
  local ok
  ok, why = tap:expect_none { within = 1, match = { ["traffic.flow"] = flow_id,
                                                    ["eth.dst"] = function(m) return m ~= mn_mac end } }
  check(ok, "no packet of the flow goes anywhere but the mobile node: " .. tostring(why))
  tap:close()
  local st = ctl("mn1", "status")
  check(st:match("state registered"), "the mobile node stays registered: " .. st)
end)

-- a few seconds later the mobile node's own renewal still works
at(10, function()
  local st = ctl("mn1", "status")
  check(st:match("state registered") and st:match("agent 10%.2%.0%.1 "),
        "the mobile node is registered through fa1 at the end: " .. st)
  check(bindings():match("^10%.1%.0%.101 coa 10%.0%.2%.2 "), "ha still binds it to fa1")
  finish()
end)
