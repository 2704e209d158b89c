-- nd.lua — IPv6 neighbour discovery (RFC 4861) and the mobility changes to
-- router advertisements (RFC 6275 §7). One rule per requirement, each citing
-- its section; helpers are described in docs/rules.md.

local ND = { 133, 134, 135, 136, 137 }	-- RS, RA, NS, NA, Redirect

rule {
  id = "nd.hoplimit", rfc = "RFC 4861 §6.1.1, §6.1.2, §7.1.1, §7.1.2, §8.1",
  text = "every ND message is sent with IP hop limit 255",
  select = { ["icmp6.type"] = ND },
  check = function(pkts)
    return each(pkts, function(p) return p["ip6.hlim"] == 255, p["ip6.hlim"] end,
                255, "no neighbour discovery message seen")
  end,
}

rule {
  id = "nd.code", rfc = "RFC 4861 §6.1.1, §6.1.2, §7.1.1, §7.1.2, §8.1",
  text = "every ND message has ICMP code 0",
  select = { ["icmp6.type"] = ND },
  check = function(pkts)
    return each(pkts, function(p) return p["icmp6.code"] == 0, p["icmp6.code"] end,
                0, "no neighbour discovery message seen")
  end,
}

rule {
  id = "nd.ra.source", rfc = "RFC 4861 §6.1.2",
  text = "a router advertisement comes from a link-local address",
  select = { ["icmp6.type"] = 134 },
  check = function(pkts)
    return each(pkts, function(p) return is_linklocal6(p["ip6.src"]), p["ip6.src"] end,
                "a link-local source (fe80::/10)", "no router advertisement seen")
  end,
}

rule {
  id = "nd.redirect.source", rfc = "RFC 4861 §8.1",
  text = "a redirect comes from a link-local address",
  select = { ["icmp6.type"] = 137 },
  check = function(pkts)
    return each(pkts, function(p) return is_linklocal6(p["ip6.src"]), p["ip6.src"] end,
                "a link-local source (fe80::/10)", "no redirect seen")
  end,
}

rule {
  id = "nd.dad.nosll", rfc = "RFC 4861 §7.1.1",
  text = "a neighbour solicitation from the unspecified address has no source link-layer address option",
  select = { ["icmp6.type"] = 135, ["ip6.src"] = "::", ["nd.opt.sll"] = true },
  never = true,
}

rule {
  id = "nd.dad.dst", rfc = "RFC 4861 §7.1.1",
  text = "a neighbour solicitation from the unspecified address goes to a solicited-node multicast address",
  select = { ["icmp6.type"] = 135, ["ip6.src"] = "::" },
  check = function(pkts)
    return each(pkts, function(p)
      local d = p["ip6.dst"]
      return d:lower():match("^ff02::1:ff%x%x:%x+$") ~= nil, d
    end, "ff02::1:ffXX:XXXX", "no duplicate address detection seen")
  end,
}

rule {
  id = "nd.optlen", rfc = "RFC 4861 §4.6",
  text = "no neighbour discovery option has length 0",
  select = { ["icmp6.type"] = ND, ["nd.opt.len"] = 0 },
  never = true,
}

rule {
  id = "nd.target.unicast", rfc = "RFC 4861 §7.1.1, §7.1.2",
  text = "the target of a neighbour solicitation or advertisement is not a multicast address",
  select = { { ["icmp6.type"] = 135 }, { ["icmp6.type"] = 136 } },
  check = function(pkts)
    return each(pkts, function(p)
      local t = p["nd.ns.target"] or p["nd.na.target"]
      return t == nil or not is_multicast6(t), t
    end, "a unicast or anycast target", "no solicitation or advertisement seen")
  end,
}

rule {
  id = "nd.na.solicited", rfc = "RFC 4861 §7.1.2",
  text = "a neighbour advertisement to a multicast address has the Solicited flag clear",
  select = { ["icmp6.type"] = 136, ["nd.na.flags.S"] = 1 },
  check = function(pkts)
    return each(pkts, function(p) return not is_multicast6(p["ip6.dst"]), p["ip6.dst"] end,
                "a unicast destination when S = 1", "no solicited advertisement seen")
  end,
}

rule {
  id = "nd.ra.interval", rfc = "RFC 6275 §7.3",
  text = "a router sends its unsolicited advertisements no further apart than its Advertisement Interval option says",
  select = { ["icmp6.type"] = 134, ["ip6.dst"] = "ff02::1" },
  check = function(pkts)
    local checked = 0
    for _, series in pairs(group_by(pkts, "ip6.src")) do
      local by_link = group_by(series, "link")
      for _, ras in pairs(by_link) do
        for i = 2, #ras do
          local adv = ras[i - 1]["nd.ra.opt.advint"]
          if adv then
            checked = checked + 1
            local gap, lim = ras[i].t - ras[i - 1].t, adv / 1000 * 1.1
            if gap > lim then
              return fail { expected = string.format("at most %.3f s (interval %d ms + 10%%)", lim, adv),
                            seen = string.format("%.3f s", gap), packet = ras[i],
                            packets = { ras[i - 1], ras[i] } }
            end
          end
        end
      end
    end
    if checked == 0 then return na("no successive advertisements with an Advertisement Interval option") end
    return pass(checked .. " intervals checked")
  end,
}
