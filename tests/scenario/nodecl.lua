at(1, function() end)
