-- An endless loop that catches the watchdog's error and goes on.
while true do pcall(function() while true do end end) end
