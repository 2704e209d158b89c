-- expect: bad-memory.lua: not enough memory
local s = string.rep("x", 1 << 20)
local t = {}
for i = 1, 1000 do t[i] = s .. i end
return topology { }
