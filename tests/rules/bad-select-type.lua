-- expect: bad-select-type.lua:2: rule x.seltype: expected select = {field = value, ...} vs seen a string
rule { id = "x.seltype", text = "select is not a table", select = "mh.type", never = true }
