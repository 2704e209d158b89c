-- A finalizer with an endless loop: Lua runs __gc with hooks off, so roam
-- refuses it (it would hang lua_close, out of the watchdog's reach).
setmetatable({}, { __gc = function() while true do end end })
return topology { name = "gc", nodes = { node { "a" } } }
