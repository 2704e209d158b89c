-- expect: bad-sandbox-require.lua:2: attempt to call a nil value (global 'require')
local x = require("io")
return topology { }
