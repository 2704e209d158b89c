-- expect: bad-error-table.lua:3: error object is a table value
local x = 1
error({ code = 7 })
