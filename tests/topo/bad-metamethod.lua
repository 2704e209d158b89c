-- expect: bad-metamethod.lua:2: sneaky role
local args = setmetatable({ "a" }, { __index = function(_, k) error("sneaky " .. k) end })
return topology { nodes = { node(args) } }
