-- Both ends of the pair flood each other with pings for most of the run:
-- a steady stream of frames into a-b.pcap (the capture tests).
local secs = param("secs", 4)
scenario { topology = "../topo/pair.lua", duration = secs + 1 }
at(0.1, function()
  node("b"):spawn{ "ping", "-q", "-f", "-s", "1000", "-w", tostring(secs), "10.9.0.1" }
  node("a"):exec{ "ping", "-q", "-f", "-s", "1000", "-w", tostring(secs), "10.9.0.2",
                  timeout = secs + 1 }
end)
