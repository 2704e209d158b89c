-- A failed expectation returns nil and a reason; the scenario decides.
scenario { topology = "none.lua" }
at(0.5, function()
  send { from = "mn", to = "ha", dopt = { hao = "2001:db8:1::10" },
    mh = { type = "bu", seq = 5 } }
  local ba, why = expect { on = "lan", from = "ha", within = "100ms",
    match = { ["mh.type"] = 6, ["mh.ba.status"] = 0 } }
  check(ba ~= nil, why)
  log("%s", why)
  check(why:match("closest at 0.520s: mh.ba.status = 135, expected 0") ~= nil, why)
  check(now() >= 0.6 - 1e-9, "the clock waited")
end)
