-- expect: bad-typo-check.lua:2: rule x.typo: unknown key 'chek' (known: id, rfc, text, select, check, never)
rule {
  id = "x.typo", text = "the check function misspelt",
  select = { ["mh.type"] = 5 },
  chek = function(pkts) return pass() end,
  never = true,
}
