-- expect: bad-sandbox-io.lua:2: attempt to index a nil value (global 'io')
local h = io.open("/etc/passwd")
return topology { }
