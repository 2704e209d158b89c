-- expect: bad-no-id.lua:2: rule: expected id = "family.name" vs seen none
rule {
  text = "no id", never = true,
}
