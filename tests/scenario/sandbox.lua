-- Only base, string, table and math: none of these may be reachable.
scenario { topology = "none.lua" }
local gone = { "io", "os", "require", "load", "loadfile", "dofile", "debug",
               "package", "coroutine", "utf8", "loadstring" }
at(1, function()
  for _, k in ipairs(gone) do check(_ENV[k] == nil, k .. " is absent") end
  check(string.dump == nil, "string.dump is absent")
  check(type(string.format) == "function" and type(table.concat) == "function"
        and type(math.floor) == "function", "string, table, math are there")
  check(type(collectgarbage("count")) == "number", "collectgarbage count")
  check(not pcall(collectgarbage, "stop"), "collectgarbage stop refused")
end)
