-- Only base, string, table and math: none of these may be reachable.
scenario { topology = "none.lua" }
local gone = { "io", "os", "load", "loadfile", "dofile", "debug",
               "package", "coroutine", "utf8", "loadstring" }
at(1, function()
  for _, k in ipairs(gone) do check(_ENV[k] == nil, k .. " is absent") end
  check(string.dump == nil, "string.dump is absent")
  check(type(string.format) == "function" and type(table.concat) == "function"
        and type(math.floor) == "function", "string, table, math are there")
  check(type(collectgarbage("count")) == "number", "collectgarbage count")
  check(not pcall(collectgarbage, "stop"), "collectgarbage stop refused")
  -- require reaches roam's own lua tree only, in a sandbox like this one
  local h = require("models.handoff")
  check(type(h) == "table" and require("models.handoff") == h, "require loads a module once")
  check(math.abs(h.ra_residual(0.03, 0.07) - 0.0267) < 0.001, "the module runs")
  for _, bad in ipairs({ "../x", "/etc/passwd", "models..handoff", "Models.x", "nosuch" }) do
    check(not pcall(require, bad), "require " .. bad .. " is refused")
  end
end)
