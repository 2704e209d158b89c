-- expect: bad-no-check.lua:2: rule x.nocheck: expected check = function(pkts, ctx) or never = true
rule { id = "x.nocheck", text = "neither check nor never", select = { ["mh.type"] = 5 } }
