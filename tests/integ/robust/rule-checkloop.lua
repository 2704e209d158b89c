-- check() loops for ever, and catches the watchdog's error
rule { id = "robust.loop", rfc = "none", text = "loops", select = { {} },
  check = function(pkts, ctx) while true do pcall(function() while true do end end) end end }
