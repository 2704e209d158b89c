-- expect: bad-sandbox-debug.lua:2: attempt to index a nil value (global 'debug')
local i = debug.getinfo(1)
return topology { }
