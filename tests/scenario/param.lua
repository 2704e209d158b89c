-- param(): the scenario's own parameters; their --set is not the topology's.
local secs = param("secs", 60)
local mode = param("mode", "tunnel")
local fast = param("fast", false)
scenario { name = "param", topology = "../../topologies/two-cells.lua",
           set = { gap = "20ms" }, duration = secs }
at(0, function()
  check(type(secs) == "number", "secs is a number")
  check(mode == "ro", "mode comes from --set")
  check(fast == true, "fast is a boolean")
end)
