-- expect: error
-- A check that raises a Lua error on a frame: its verdict is `error` with the
-- message and the frame, the next rule still runs, roam check exits 1.
rule {
  id = "x.boom", text = "indexes a field that is absent",
  select = { ["ip.proto"] = 17 },
  check = function(pkts)
    for _, p in ipairs(pkts) do
      if p["udp.dport"] + p["mh.bu.seq"] > 0 then return pass() end
    end
    return na("no frame")
  end,
}
rule {
  id = "x.after", text = "runs after the failing rule",
  select = { ["ip.proto"] = 17 },
  check = function(pkts) return #pkts > 0 and pass() or na("no UDP") end,
}
