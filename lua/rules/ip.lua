-- ip.lua — IPv4, IPv6, UDP, ICMPv6 and ARP basics every node must get right
-- on the wire. Each rule cites its RFC section (docs/rules.md).

rule {
  id = "ip.checksum", rfc = "RFC 791 §3.1",
  text = "every IPv4 header checksum is valid",
  select = { { ["ip.cksum_ok"] = 0 }, { ["inner.ip.cksum_ok"] = 0 } },
  never = true,
}

rule {
  id = "ip.ttl", rfc = "RFC 1122 §3.2.1.7, RFC 1812 §4.2.2.9",
  text = "no IPv4 packet is on the wire with TTL 0",
  select = { { ["ip.ttl"] = 0 }, { ["inner.ip.ttl"] = 0 } },
  never = true,
}

rule {
  id = "ip6.hoplimit", rfc = "RFC 8200 §3",
  text = "no IPv6 packet is on the wire with hop limit 0",
  select = { { ["ip6.hlim"] = 0 }, { ["inner.ip6.hlim"] = 0 } },
  never = true,
}

rule {
  id = "ip.udp.checksum", rfc = "RFC 768, RFC 8200 §8.1",
  text = "every UDP checksum is valid (and present over IPv6)",
  select = { { ["udp.cksum_ok"] = 0 }, { ["inner.udp.cksum_ok"] = 0 },
             { ["ip6.upper"] = 17, ["udp.cksum"] = 0 } },
  never = true,
}

rule {
  id = "ip.icmp6.checksum", rfc = "RFC 4443 §2.3",
  text = "every ICMPv6 checksum is valid",
  select = { { ["icmp6.cksum_ok"] = 0 }, { ["inner.icmp6.cksum_ok"] = 0 } },
  never = true,
}

-- A fragment carries roam's traffic payload when its first fragment holds a
-- UDP header to ports 9000-9999 followed by the payload magic "RoAm".
local function roam_udp(raw, at)
  local dport = raw:byte(at + 2) and (raw:byte(at + 2) * 256 + raw:byte(at + 3))
  return dport and dport >= 9000 and dport <= 9999 and raw:sub(at + 8, at + 11) == "RoAm"
end

rule {
  id = "ip.nofrag.traffic", rfc = "RFC 8200 §5, RFC 791 §3.2",
  text = "roam's traffic is never fragmented (flows are sized to the path MTU)",
  select = { { ["ip.flags.MF"] = 1 }, { ["ip.frag"] = { ne = 0 } }, { ["ip6.frag"] = true } },
  check = function(pkts)
    local bad = {}
    -- first fragments that carry the payload; a frame cut before the UDP
    -- header (or with no header position) is not judged
    for _, p in ipairs(pkts) do
      local raw = p:bytes()
      if p["ip.proto"] == 17 and (p["ip.frag"] or 0) == 0 then
        local at, hl = p:offset("ip"), p["ip.hl"]
        if at and hl and roam_udp(raw, at + hl) then bad[#bad + 1] = p end
      elseif p["ip6.frag"] and p["ip6.frag.off"] == 0 then
        local at = p:offset("ip6.frag")
        if at and raw:byte(at) == 17 and roam_udp(raw, at + 8) then bad[#bad + 1] = p end
      end
    end
    if #bad == 0 then return pass("no fragment of roam traffic") end
    return fail { expected = "no fragment of roam traffic", seen = #bad .. " fragmented datagrams",
                  packet = bad[1], packets = bad }
  end,
}

rule {
  id = "ip.arp.reply", rfc = "RFC 826 (Packet Reception), RFC 1122 §2.3.2.1",
  text = "an ARP request for an address that is answered on the link gets its reply within 1 s",
  select = { ["arp.op"] = { 1, 2 } },
  check = function(pkts)
    -- only ARP for IPv4 whose addresses were captured is judged (a
    -- truncated frame, or ARP for another protocol, has no arp.spa/tpa)
    local function whole(p) return p["arp.spa"] ~= nil and p["arp.tpa"] ~= nil end
    local reps = filter(pkts, function(p) return p["arp.op"] == 2 and whole(p) end)
    local owned = {}
    for _, r in ipairs(reps) do owned[r.link .. "/" .. r["arp.spa"]] = true end
    local reqs = filter(pkts, function(p)
      return p["arp.op"] == 1 and whole(p) and p["arp.spa"] ~= p["arp.tpa"]     -- not gratuitous
        and (owned[p.link .. "/" .. p["arp.tpa"]] or node_of(p["arp.tpa"]) ~= nil)
    end)
    return (expect_reply {
      req = reqs, rep = reps, within = 1, what = "ARP reply",
      key = function(p, kind)    -- a reply's sender is the request's target
        if kind == "req" then return p.link .. "/" .. p["arp.tpa"] .. "/" .. p["arp.spa"] end
        return p.link .. "/" .. p["arp.spa"] .. "/" .. p["arp.tpa"]
      end,
      match = function(q, r)
        return r.link == q.link and r["arp.spa"] == q["arp.tpa"] and r["arp.tpa"] == q["arp.spa"]
      end,
      none = "no ARP request for an owned address", many = true,
    })
  end,
}
