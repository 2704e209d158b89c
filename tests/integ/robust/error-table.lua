-- error() with a table: the message must still say where.
local x = 1
error({ code = 7 })
