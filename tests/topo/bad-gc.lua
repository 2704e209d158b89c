-- expect: bad-gc.lua:2: setmetatable: a __gc finalizer is not allowed
setmetatable({}, { __gc = function() while true do end end })
return topology { nodes = { node { "a" } } }
