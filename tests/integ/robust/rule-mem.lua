-- check() asks for 1 GB
rule { id = "robust.mem", rfc = "none", text = "eats memory", select = { {} },
  check = function(pkts, ctx)
    local t = {}
    for i = 1, 64 do t[i] = string.rep("x", 16 << 20) .. i end
    return pass()
  end }
