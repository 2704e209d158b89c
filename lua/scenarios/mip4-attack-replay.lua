-- mip4-attack-replay: an attacker on the home link captures the mobile
-- node's real Registration Request (as it crosses cell1 on its way to fa1)
-- and replays it verbatim to the home agent. RFC 5944 §5.7: the home agent
-- must deny it with code 133 (registration Identification mismatch) and keep
-- the mobile node's binding as it was. Works with both replay styles
-- (--set replay=nonce).
scenario { topology = "../../topologies/mip4.lua", set = { attacker = "home" }, duration = 12 }

-- A request to a daemon's control socket <out>/<node>.ctl, from inside the
-- node (a two-line client: the scenario API has no socket of its own).
local CTL = [[use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Peer => "$ENV{ROAM_OUT}/$ARGV[0].ctl")
  or die "connect $ARGV[0].ctl: $!\n"; print $s "$ARGV[1]\n"; shutdown($s, 1); print grep { $_ ne "ok\n" } <$s>;]]
local function ctl(name, req)
  local r = node(name):exec { "perl", "-e", CTL, name, req, timeout = 5 }
  return r.output, r.status
end
local function counter(name, key)
  local out = ctl(name, "counters")
  return tonumber(out:match("\n" .. key .. " (%d+)") or out:match("^" .. key .. " (%d+)")) or 0
end
-- The binding table without the remaining-time column, which always moves.
local function bindings()
  return (ctl("ha", "bindings"):gsub(" remaining [%d.]+", ""))
end
-- The UDP payload (the registration message) of a decoded frame.
local function udp_payload(r)
  local off = 14 + r["ip.hl"] + 8
  return r.bytes:sub(off + 1, 14 + r["ip.hl"] + r["udp.len"])
end

at(1, function()
  local tap = listen { on = "cell1" }
  move("mn1", "cell1")
  -- the accepted request: with nonces the first one is refused (133) and
  -- sent again with the home agent's nonce
  local rq, rp, why
  for _ = 1, 4 do
    rq, why = tap:expect { from = "mn1", within = 6, match = { ["mip4.type"] = 1 } }
    if not check(rq, "the mobile node sends a Registration Request on cell1: " .. tostring(why)) then
      return fail("nothing to replay")
    end
    local low = rq["mip4.rrq.id"] & 0xffffffff
    rp, why = tap:expect { within = 3, match = { ["mip4.type"] = 3,
      ["mip4.rrp.id"] = function(id) return id & 0xffffffff == low end } }
    if not rp or rp["mip4.rrp.code"] == 0 then break end
  end
  check(rp and rp["mip4.rrp.code"] == 0, "the real registration is accepted: " ..
        tostring(rp and rp["mip4.rrp.code"] or why))
  wait(0.5)
  local before = bindings()
  check(before:match("^10%.1%.0%.101 coa 10%.0%.2%.2 "), "ha binds 10.1.0.101 to fa1's care-of address: " .. before)
  local replays = counter("ha", "req_replay")
  local msg = udp_payload(rq)
  log("replaying the %d-byte request (Identification %s) from the attacker", #msg,
      string.format("%016x", rq["mip4.rrq.id"]))

  -- verbatim, three times: each is refused with 133
  for i = 1, 3 do
    send { from = "attacker", to = "ha", ip = { dst = "10.1.0.1" }, udp = { sport = 434 },
           mip4 = { raw = msg } }
    local r
    r, why = expect { on = "home", from = "ha", within = 1,
                      match = { ["mip4.type"] = 3, ["mip4.rrp.home"] = "10.1.0.101" } }
    check(r, "replay " .. i .. ": the home agent answers: " .. tostring(why))
    if r then
      check(r["mip4.rrp.code"] == 133, string.format(
        "replay %d: expected code 133 (identification mismatch) vs %d", i, r["mip4.rrp.code"]))
      check(r["mip4.rrp.lifetime"] == 0, "replay " .. i .. ": a denial grants no lifetime")
      check(r["ip.dst"] == node("attacker").addr4, "the denial goes to the replayer, not to the mobile node")
    end
  end
  wait(0.3)
  local after = bindings()
  check(after == before, "the binding is unchanged by the replays: before [" .. before ..
        "] after [" .. after .. "]")
  check(counter("ha", "req_replay") >= replays + 3,
        "ha counted the replays (req_replay " .. replays .. " -> " .. counter("ha", "req_replay") .. ")")

  -- the mobile node's own registration is untouched
  local st = ctl("mn1", "status")
  check(st:match("state registered") and st:match("agent 10%.2%.0%.1 "),
        "the mobile node is still registered through fa1: " .. st)
  -- and the tunnel still works: cn reaches the mobile node's home address
  local p = node("cn"):exec { "ping", "-c", "2", "-i", "0.3", "-W", "2", "10.1.0.101", timeout = 5 }
  check(p.status == 0, "cn reaches the mobile node after the replays: " .. p.output)
  finish()
end)
