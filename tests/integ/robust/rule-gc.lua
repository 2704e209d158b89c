-- a finalizer that never ends
local t = setmetatable({}, { __gc = function() while true do end end })
