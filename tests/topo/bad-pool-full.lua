-- expect: bad-pool-full.lua:8: segment 's3': pool4 10.0.0.0/24 has no free /30 left
return topology {
  pool4 = "10.0.0.0/24",
  nodes = { node { "a" }, node { "b" }, node { "c" } },
  links = {
    segment { "s1", nodes = { "a" }, subnet4 = "10.0.0.0/25" },
    segment { "s2", nodes = { "b" }, subnet4 = "10.0.0.128/25" },
    segment { "s3", nodes = { "c" } },
  },
}
