-- expect: bad-typo-select.lua:2: rule x.typo: unknown key 'selct' (known: id, rfc, text, select, check, never)
rule {
  id = "x.typo", text = "t",
  selct = { ["mh.type"] = 5 },
  never = true,
}
