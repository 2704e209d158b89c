-- expect: bad-param-type.lua:2: param("n", default): expected a number, string or boolean default, got table
local n = param("n", {})
return topology { }
