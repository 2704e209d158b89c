-- error() with nothing: the message must still say where.
local x = 1
error()
