-- expect: bad-return.lua: expected the file to return topology { ... }, got table
return { nodes = {} }
