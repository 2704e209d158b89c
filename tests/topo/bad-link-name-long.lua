-- expect: bad-link-name-long.lua:8: link name "abcdefghijklmnop-qrstuvwxyzABCDEF" is too long
return topology {
  nodes = {
    node { "abcdefghijklmnop" },
    node { "qrstuvwxyzABCDEF" },
  },
  links = {
    link { "abcdefghijklmnop", "qrstuvwxyzABCDEF" },
  },
}
