-- expect: bad-segment-dir.lua:4: segment 'lan': profile[1]: dir: a segment has one direction
return topology {
  nodes = { node { "a" } },
  links = { segment { "lan", nodes = { "a" }, profile = { { t = 1, dir = "forward", loss = "1%" } } } },
}
