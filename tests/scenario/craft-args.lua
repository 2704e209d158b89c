-- Bad arguments of send{}, expect{} and listen{} are errors naming what
-- was expected.
scenario { topology = "none.lua" }

local function err(f, t)
  local ok, e = pcall(f, t)
  return not ok and tostring(e) or ""
end

check(err(expect, { on = "lan", match = {} }):match("inside an at/every function") ~= nil,
      "expect needs the run")
at(0.5, function()
  local e = err(send, { mh = { type = "bu" } })
  check(e:match("send{from=}: expected the sending node") ~= nil, e)
  e = err(send, { from = "mn", to = "nobody", mh = { type = "bu" } })
  check(e:match("expected a node of topology fake") ~= nil, e)
  e = err(send, { from = "mn", iface = "wlan9", mh = { type = "bu" } })
  check(e:match("send{iface=}: expected an interface of mn") ~= nil, e)
  e = err(send, { from = "mn", ip6 = { dst = "2001:db8::99" }, mh = { type = "bu" } })
  check(e:match("eth.dst: expected a MAC") ~= nil, e)
  e = err(expect, { on = "lan", match = { ["mh.nope"] = 1 } })
  check(e:match("\"mh.nope\" is not a decoded field") ~= nil, e)
  e = err(expect, { on = "nolink", match = {} })
  check(e:match("expected a link of topology fake") ~= nil, e)
  e = err(expect, { on = "lan" })
  check(e:match("expect{match=}: expected a table") ~= nil, e)
  e = err(listen, {})
  check(e:match("listen{on=}: expected a link name") ~= nil, e)
  local tap = listen { on = "far" }
  tap:close()
  e = err(tap.expect, tap)
  check(e ~= "", "a closed tap: " .. e)
  -- A frame crafted from a node's defaults.
  local b = craft { from = "mn", to = "ha", mh = { type = "brr" } }
  check(#b == 14 + 40 + 8 and b:sub(1, 6) == "\2\0\0\0\0\2", "craft with from/to")
end)
