-- Active test against a fake home agent: a binding update with an old
-- sequence number must get a binding acknowledgement with status 135.
scenario { topology = "none.lua" }

-- craft{} works while the scenario loads: bytes only, nothing sent.
local bytes = craft { eth = { dst = "33:33:00:00:00:01", src = "02:00:00:00:00:09" },
  ip6 = { src = "fe80::1", dst = "ff02::1" }, icmp6 = { type = "echo" } }
check(#bytes == 14 + 40 + 8, "craft returns the frame")

local mid
at(1.01, function() mid = now() end)	-- runs while expect{} waits

at(1, function()
  local n = send { from = "mn", to = "ha",
    dopt = { hao = "2001:db8:1::10" },
    mh = { type = "bu", seq = 14, flags = { A = 1, H = 1 }, lifetime = 100 } }
  check(n == 14 + 40 + 24 + 16, "send returns the frame length, got " .. n)
  local ba, why = expect { on = "lan", from = "ha", within = 0.5,
    match = { ["mh.type"] = 6, ["mh.ba.status"] = 135 } }
  check(ba ~= nil, "BA with status 135: " .. tostring(why))
  check(ba and ba["mh.ba.seq"] == 100 and ba.node == "ha" and ba.link == "lan",
        "record fields")
  check(ba and ba["ip6.rh2.addr"] == "2001:db8:1::10" and ba.verdict == "ok", "decoded")
  check(ba and math.abs(ba.t - 1.02) < 1e-9, "frame time")
  check(math.abs(now() - 1.02) < 1e-9, "the clock follows the frame")
  check(mid == 1.01, "the other coroutine ran during the wait")

  -- A fresh sequence number is accepted; the predicate sees the value.
  send { from = "mn", to = "ha", dopt = { hao = "2001:db8:1::10" },
    mh = { type = "bu", seq = 101, flags = { A = 1, H = 1 } } }
  local ok = expect { on = "lan", match = {
    ["mh.ba.status"] = function(v) return v < 128 end, ["mh.ba.seq"] = 101 } }
  check(ok ~= nil, "BA status 0")

  -- Nothing answers an echo request; the request itself is on the tap.
  local e = listen { on = "lan" }
  send { from = "mn", to = "ha", icmp6 = { type = "echo", id = 1 }, ip6 = {} }
  check(e:expect_none { match = { ["icmp6.type"] = 129 }, within = 0.2 }, "no echo reply")
  local r = e:expect { match = { ["icmp6.type"] = 128, ["ip6.dst"] = "2001:DB8:1::1" }, within = 0.1 }
  check(r and r.node == "mn" and r["icmp6.echo.id"] == 1, "own frame seen on the tap")
  local again = e:expect { match = { ["icmp6.type"] = 128 }, within = 0.1 }
  check(again == nil, "a matched frame is consumed")

  -- An old BA is not matched again after a new send{}.
  send { from = "mn", to = "ha", ip = {}, udp = { dport = 7 } }
  local none, why2 = expect { on = "lan", match = { ["mh.type"] = 6 }, within = 0.3 }
  check(none == nil and why2:match("no frame on lan matched within 0.300s"), "timeout: " .. tostring(why2))
  local silent, why3, rec = expect_none { on = "lan", match = { ["udp.dport"] = 7 }, within = 0.1 }
  check(silent == false and why3:match("matched, expected none") and rec["udp.dport"] == 7,
        "expect_none reports the frame")
  e:close()
end)
