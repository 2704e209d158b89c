-- loops at load
while true do end
