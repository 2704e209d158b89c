-- expect: bad-name-long.lua:4: node name "a_node_name_that_is_far_too_long_x" is too long (34 characters, at most 31)
return topology {
  nodes = {
    node { "a_node_name_that_is_far_too_long_x" },
  },
}
