-- expect: bad-runtime.lua:3: attempt to call a nil value
local f
f()
return topology { }
