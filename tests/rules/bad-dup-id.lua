-- expect: bad-dup-id.lua:3: rule x.dup: id already used at
rule { id = "x.dup", text = "first", never = true }
rule { id = "x.dup", text = "second", never = true }
