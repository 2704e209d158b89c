-- expect: bad-positional.lua:2: rule x.pos: unknown key '1' (known: id, rfc, text, select, check, never)
rule {
  "a positional value",
  id = "x.pos", text = "a value without a key",
  never = true,
}
