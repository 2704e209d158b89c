-- expect: bad-select-field.lua:2: select: unknown field "mh.bu.sequence" (see docs/decoders.md)
rule { id = "x.field", text = "a field the decoders do not have", select = { ["mh.bu.sequence"] = 1 }, never = true }
