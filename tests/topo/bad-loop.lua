-- expect: bad-loop.lua:2: topology ran too long
while true do end
return topology { }
