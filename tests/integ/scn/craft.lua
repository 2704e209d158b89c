-- Active tests against the live run: crafted frames go out of a node's
-- interface and the expected answers are seen on the link.
scenario { topology = "../topo/pair.lua", duration = 3 }
at(0.5, function()
  -- an ICMPv6 echo request from a to b: b's kernel answers it
  send { from = "a", to = "b", icmp6 = { type = 128, code = 0, id = 7, seq = 1 } }
  local r, why = expect { on = "a-b", from = "b", within = 1,
                          match = { ["icmp6.type"] = 129 } }
  check(r, "b answers a crafted echo request: " .. tostring(why))
  -- nobody answers an echo request to an address no node has
  send { from = "a", to = "b", ip6 = { dst = "fd00:dead::1" }, icmp6 = { type = 128, id = 7, seq = 2 } }
  local none = expect_none { on = "a-b", within = 0.5, match = { ["icmp6.type"] = 129 } }
  check(none, "no answer from an address nobody has")
end)
