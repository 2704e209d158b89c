-- expect: bad-sandbox-os.lua:2: attempt to index a nil value (global 'os')
os.execute("true")
return topology { }
