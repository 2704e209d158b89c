-- mip4.lua — Mobile IPv4 (RFC 5944), IP-in-IP encapsulation (RFC 2003) and
-- reverse tunnelling (RFC 3024): agent discovery, registration, the MN-HA
-- authenticator, foreign agent relaying, tunnels, ARP and retransmission.
-- One rule per requirement a capture can show, each citing its section;
-- docs/mip4-rules.md explains the choices (keys, tolerances, time bounds).

------------------------------------------------------------------------
-- Keys of the MN-HA security associations: every node's conf key
-- (ctx.topo.nodes[n].conf.key, from the run folder's <node>.conf or
-- topology.lua) first, then these, for a capture without its topology: the
-- key of topologies/mip4.lua and roam-mip4's default. Add yours here (text,
-- or "0x" + hex) to check such captures of other keys.
local KEYS = { "0x00112233445566778899aabbccddeeff", "roam-mip4-key" }

local FA_RELAY_WITHIN = 1.0	-- s: FA relays a request / a reply
local HA_REPLY_WITHIN = 3.0	-- s: HA answers a request it received
local REPLAY_WINDOW = 7		-- s: timestamp tolerance (RFC 5944 §5.7)
local NTP_UNIX = 2208988800	-- seconds from 1900 to 1970

------------------------------------------------------------------------
-- hmac_md5(key, data) (RFC 2104 with MD5, for §3.5.1) comes from libcrypto
-- (harness/check/lcrypto.c), with the other helpers.
local M32 = 0xffffffff

local function key_bytes(k)
  if k:match("^0x%x+$") and #k % 2 == 0 then
    return (k:sub(3):gsub("%x%x", function(h) return string.char(tonumber(h, 16)) end))
  end
  return k
end

local function hex(s) return (s:gsub(".", function(ch) return string.format("%02x", ch:byte()) end)) end

------------------------------------------------------------------------
-- Shared views of a capture.
local function low32(id) return id & M32 end
local function high32(id) return (id >> 32) & M32 end
local function is_req(p) return p["mip4.type"] == 1 end
local function is_rep(p) return p["mip4.type"] == 3 end
local function accepted(p) local c = p["mip4.rrp.code"]; return c == 0 or c == 1 end
local function fa_code(c) return c >= 64 and c <= 127 end

-- The agents a capture shows, from their advertisements (§2.1.1):
-- agents(pkts) -> { fa = {addr}, ha = {addr}, fa_at = {link/addr},
-- ha_at = {link/addr} } (F and H advertisers, anywhere and per link).
local function agents(pkts)
  local ag = { fa = {}, ha = {}, fa_at = {}, ha_at = {} }
  for _, p in ipairs(pkts) do
    if p["icmp.type"] == 9 and p["mip4.adv.flags.H"] then
      local a, at = p["ip.src"], p.link .. "/" .. p["ip.src"]
      if p["mip4.adv.flags.F"] == 1 then ag.fa[a] = true ag.fa_at[at] = true end
      if p["mip4.adv.flags.H"] == 1 then ag.ha[a] = true ag.ha_at[at] = true end
    end
  end
  return ag
end

local AGENTS_GROUP = { ["224.0.0.11"] = true, ["255.255.255.255"] = true }

-- A request an FA relays leaves from its care-of address toward the home
-- agent (§3.7.2.2); every other request is the mobile node's own. A request
-- sent to the agents' group, or to an address that advertises F (ag, when
-- the rule selects advertisements), goes to a foreign agent: the mobile
-- node sent it, whatever its source.
local function relayed(p, ag)
  local coa, dst = p["mip4.rrq.coa"], p["ip.dst"]
  return p["ip.src"] == coa and p["mip4.rrq.flags.D"] == 0 and coa ~= p["mip4.rrq.home"]
    and not AGENTS_GROUP[dst] and not (ag and ag.fa[dst])
end
local function mn_req(p, ag) return is_req(p) and not relayed(p, ag) end

-- A mobile node's request addressed to a foreign agent (§3.1, §3.6.1.2):
-- not to the home agent named in it, not a deregistration at home
-- (care-of = home address, sent to the home agent), and either to an
-- address that advertises F or, without D (a foreign agent's care-of
-- address), to one that does not advertise H only. A datagram with a bad
-- UDP checksum is no request: the agent discards it silently (RFC 1122
-- §4.1.3.4, RFC 5944 §3.7.2.1).
local function to_fa(p, ag)
  if not mn_req(p, ag) or p["udp.cksum_ok"] == 0 then return false end
  local dst, coa = p["ip.dst"], p["mip4.rrq.coa"]
  if dst == p["mip4.rrq.ha"] or coa == p["mip4.rrq.home"] then return false end
  return ag.fa[dst] or (p["mip4.rrq.flags.D"] == 0 and not ag.ha[dst])
end

local function adverts(pkts)
  return filter(pkts, function(p) return p["icmp.type"] == 9 and p["icmp.ext.type"] ~= nil end)
end
local function advertised_coas(pkts)
  local set, any = {}, false
  for _, p in ipairs(adverts(pkts)) do
    for _, a in ipairs(p:all("mip4.adv.coa")) do set[a] = true any = true end
  end
  return set, any
end

------------------------------------------------------------------------
-- Indexes. Every rule reads the capture once, in time order, and looks back
-- through tables keyed by what the RFC pairs messages by (home address and
-- Identification, address, link), never by scanning: time linear in the
-- frames. Lists in an index are in capture (time) order.
local function push(idx, key, x)
  local l = idx[key]
  if l then l[#l + 1] = x else idx[key] = { x } end
end

-- first_at(list, t): the position of the first element with .t >= t
-- (#list + 1 if none), by bisection.
local function first_at(list, t)
  local lo, hi = 1, #list + 1
  while lo < hi do
    local mid = (lo + hi) // 2
    if list[mid].t < t then lo = mid + 1 else hi = mid end
  end
  return lo
end

-- groups(pkts, before, after): for each run of frames with one capture
-- time, before(p) on each of them, then after(p) on each: a look-up made
-- in after() sees every frame up to and including that time.
local function groups(pkts, before, after)
  local i, n = 1, #pkts
  while i <= n do
    local t, j = pkts[i].t, i + 1
    while j <= n and pkts[j].t == t do j = j + 1 end
    for k = i, j - 1 do before(pkts[k], k) end
    for k = i, j - 1 do after(pkts[k], k) end
    i = j
  end
end

local function rkey(home, id) return home .. "/" .. low32(id) end

-- Several rules select the same frames and pair them the same way: the
-- pairing and the bindings of one selection are built once. The rule
-- wrapper (below) names each list of frames it hands a check by the frames
-- in it; memo(pkts, what, build) returns what build() made for that name.
local SELECTION = setmetatable({}, { __mode = "k" })	-- frame list -> its name
local BUILT = {}	-- name/what -> what build() returned
local function memo(pkts, what, build)
  local name = SELECTION[pkts]
  if not name then return build() end
  local k = name .. "/" .. what
  local v = BUILT[k]
  if v == nil then v = build() BUILT[k] = v end
  return v
end

-- The request a reply answers: same home address and low-order 32 bits of
-- the Identification (§3.7.3.1), the latest not after it (back: the latest
-- sent from the reply's destination, the requester it goes back to).
-- pairing(pkts) -> { q = {[reply] = request}, back = {[reply] = request},
-- origin = {[relayed request] = the mobile node's request it copies} }.
local function pairing(pkts, ag)
  return memo(pkts, ag and "pairing+agents" or "pairing", function()
    local last, last_from, last_mn = {}, {}, {}
    local q_of, back, origin = {}, {}, {}
    groups(pkts, function(p)
      if is_req(p) then
        local k = rkey(p["mip4.rrq.home"], p["mip4.rrq.id"])
        last[k] = p
        last_from[k .. "/" .. p["ip.src"]] = p
        if mn_req(p, ag) then last_mn[p["mip4.rrq.home"] .. "/" .. p["mip4.rrq.id"]] = p end
      end
    end, function(p)
      if is_rep(p) then
        local k = rkey(p["mip4.rrp.home"], p["mip4.rrp.id"])
        q_of[p] = last[k]
        back[p] = last_from[k .. "/" .. p["ip.dst"]]
      elseif is_req(p) and relayed(p, ag) then
        origin[p] = last_mn[p["mip4.rrq.home"] .. "/" .. p["mip4.rrq.id"]]
      end
    end)
    return { q = q_of, back = back, origin = origin }
  end)
end

-- Bindings: {home = {list of {t, coa, ha, T, life}}}, from accepted replies
-- paired with their requests; lifetime 0 ends a binding.
local function bindings(pkts)
  return memo(pkts, "bindings", function()
    local pr = pairing(pkts)
    local to_mn = {}	-- replies that reached the mobile node, by home/Identification
    for _, x in ipairs(pkts) do
      if is_rep(x) and x["ip.dst"] == x["mip4.rrp.home"] then
        push(to_mn, x["mip4.rrp.home"] .. "/" .. x["mip4.rrp.id"], { t = x.t })
      end
    end
    local b, seen = {}, {}
    for _, r in ipairs(pkts) do
      if is_rep(r) and accepted(r) then
        local q = pr.q[r]
        local key = q and (r["mip4.rrp.home"] .. "/" .. r["mip4.rrp.id"])
        if q and not seen[key] then
          seen[key] = true
          local h = r["mip4.rrp.home"]
          b[h] = b[h] or {}
          local life = r["mip4.rrp.lifetime"]
          -- t_mn: when the reply reached the mobile node's link (the foreign
          -- agent relayed it: from then on it serves the visitor)
          local t_mn, l = r.t, to_mn[key]
          if l then
            local x = l[first_at(l, r.t)]
            if x then t_mn = x.t end
          end
          table.insert(b[h], { t = r.t, t_mn = t_mn, coa = q["mip4.rrq.coa"], ha = r["mip4.rrp.ha"],
                               T = q["mip4.rrq.flags.T"] == 1, life = life,
                               on = life > 0 and q["mip4.rrq.coa"] ~= h, q = q, r = r })
        end
      end
    end
    return b
  end)
end

-- The binding of home at time t (or nil): the last accepted one still alive.
local function binding_at(b, home, t)
  local l = b[home]
  if not l then return nil end
  local i = first_at(l, t)
  while l[i] and l[i].t <= t do i = i + 1 end	-- first_at stops at the first of equal times
  local cur = l[i - 1]
  if cur and cur.on and t - cur.t <= cur.life then return cur end
end

-- answered{req=, index=, keys=function(q) -> list of keys, within=, what=,
-- none=}: each request has an answer, the first entry {t, p, n} of
-- index[key] at or after it, within the limit (expect_reply with an index).
local function answered(a)
  local n = 0
  for _, q in ipairs(a.req) do
    n = n + 1
    local best
    for _, k in ipairs(a.keys(q)) do
      local l = a.index[k]
      local c = l and l[first_at(l, q.t)]
      if c and (not best or c.n < best.n) then best = c end
    end
    if not best or best.t - q.t > a.within then
      return fail { expected = string.format("%s within %g s", a.what, a.within),
                    seen = best and string.format("%s after %.3f s", a.what, best.t - q.t)
                      or ("no " .. a.what .. " within the limit"),
                    packet = q, packets = { q, best and best.p or nil } }
    end
  end
  if n == 0 then return na(a.none) end
  return pass(n .. " answered")
end

-- index_of(pkts, cond, key): {key(p) = list of {t, p, n}} for the frames
-- that match cond.
local function index_of(pkts, cond, key)
  local idx = {}
  for i, p in ipairs(pkts) do
    if cond(p) then push(idx, key(p), { t = p.t, p = p, n = i }) end
  end
  return idx
end

-- Frames that share their capture time with another frame of the same link
-- were read in one batch by a loaded medium: their time is only a late
-- bound of when they were sent, and the spacing rules do not judge them.
local function batches(pkts)
  local seen, out = {}, {}
  for _, p in ipairs(pkts) do
    local k = p.link .. "/" .. p.ts
    if seen[k] then out[p] = true out[seen[k]] = true else seen[k] = p end
  end
  return out
end

local function keys_for(ctx)
  local ks = {}
  for _, n in ipairs(ctx.topo and ctx.topo.nodes or {}) do
    if n.conf and n.conf.key then ks[#ks + 1] = key_bytes(n.conf.key) end
  end
  for _, k in ipairs(KEYS) do ks[#ks + 1] = key_bytes(k) end
  return ks
end

-- A frame the decoder found malformed or truncated is judged by
-- decode.malformed (and by rules that set whole = true), not by the rules
-- that read its fields.
local engine_rule = rule
local function rule(t)
  local check = t.check
  if check and not t.whole then
    t.check = function(pkts, ctx)
      local out, sum, sq = {}, 0, 0
      for _, p in ipairs(pkts) do
        local v = p.verdict
        if v ~= "malformed" and v ~= "truncated" then
          local id = p.id
          out[#out + 1] = p
          sum, sq = sum + id, sq + id * id
        end
      end
      SELECTION[out] = string.format("%d:%d:%d:%s:%s", #out, sum, sq, out[1] and out[1].id or "-",
                                     out[#out] and out[#out].id or "-")
      return check(out, ctx)
    end
  end
  t.whole = nil
  return engine_rule(t)
end

local ADV = { ["icmp.type"] = 9, ["icmp.ext.type"] = 16 }
local REG = { ["mip4.type"] = { 1, 3 } }

------------------------------------------------------------------------
-- Agent discovery (RFC 5944 §2)

rule {
  id = "mip4.adv.code", rfc = "RFC 5944 §2.1.1",
  text = "an agent advertisement has ICMP code 0 or 16",
  select = ADV,
  check = function(pkts)
    return each(pkts, function(p) local c = p["icmp.code"]; return c == 0 or c == 16, c end,
                "code 0 or 16", "no agent advertisement seen")
  end,
}

rule {
  id = "mip4.adv.ttl", rfc = "RFC 5944 §2.1.1",
  text = "an agent advertisement is sent with IP TTL 1",
  select = ADV,
  check = function(pkts)
    return each(pkts, function(p) return p["ip.ttl"] == 1, p["ip.ttl"] end, 1, "no agent advertisement seen")
  end,
}

rule {
  id = "mip4.adv.dst", rfc = "RFC 5944 §2.1.1",
  text = "an agent advertisement goes to 224.0.0.1 or 255.255.255.255",
  select = ADV,
  check = function(pkts)
    return each(pkts, function(p)
      local d = p["ip.dst"]
      return d == "224.0.0.1" or d == "255.255.255.255", d
    end, "224.0.0.1 or 255.255.255.255", "no agent advertisement seen")
  end,
}

rule {
  id = "mip4.adv.ext.first", rfc = "RFC 5944 §2.1.1",
  text = "the Mobility Agent Advertisement extension directly follows the router addresses",
  select = { ["icmp.type"] = 9, ["icmp.ext.type"] = true },
  check = function(pkts)
    return each(pkts, function(p) return p["icmp.ext.type"] == 16, p["icmp.ext.type"] end,
                "extension 16 first", "no router advertisement with extensions seen")
  end,
}

rule {
  id = "mip4.adv.plen.order", rfc = "RFC 5944 §2.1.2",
  text = "a Prefix-Lengths extension (19) comes after the Mobility Agent Advertisement extension",
  select = { ["icmp.type"] = 9, ["icmp.ext.type"] = 19 },
  check = function(pkts)
    return each(pkts, function(p)
      local seen16 = false
      for _, t in ipairs(p:all("icmp.ext.type")) do
        if t == 16 then seen16 = true elseif t == 19 and not seen16 then return false, "19 before 16" end
      end
      return true
    end, "19 after 16", "no Prefix-Lengths extension seen")
  end,
}

rule {
  id = "mip4.adv.plen.count", rfc = "RFC 5944 §2.1.2",
  text = "a Prefix-Lengths extension has one prefix length per router address",
  select = { ["icmp.type"] = 9, ["icmp.ext.type"] = 19 },
  check = function(pkts)
    return each(pkts, function(p)
      return p:count("mip4.adv.plen") == p["icmp.ra.num"],
             p:count("mip4.adv.plen") .. " lengths for " .. p["icmp.ra.num"] .. " addresses"
    end, "Num Addrs prefix lengths", "no Prefix-Lengths extension seen")
  end,
}

rule {
  id = "mip4.adv.extlen", rfc = "RFC 5944 §2.1.1",
  text = "the Mobility Agent Advertisement extension length is 6 + 4N",
  select = { ["icmp.type"] = 9, ["icmp.ext.type"] = 16 }, whole = true,
  check = function(pkts)
    return each(pkts, function(p)
      local r = p.reason or ""
      return not r:find("6 %+ 4n"), r
    end, "length 6 + 4 x (care-of addresses)", "no agent advertisement seen")
  end,
}

rule {
  id = "mip4.adv.esize", rfc = "RFC 1256 §3, RFC 5944 §2.1.1",
  text = "an agent advertisement has router address entry size 2",
  select = ADV,
  check = function(pkts)
    return each(pkts, function(p) return p["icmp.ra.esize"] == 2, p["icmp.ra.esize"] end, 2,
                "no agent advertisement seen")
  end,
}

rule {
  id = "mip4.adv.hf", rfc = "RFC 5944 §2.1.1",
  text = "an agent advertisement sets at least one of H (home agent) and F (foreign agent)",
  select = ADV,
  check = function(pkts)
    return each(pkts, function(p)
      return (p["mip4.adv.flags.H"] or 0) + (p["mip4.adv.flags.F"] or 0) > 0, "H = 0, F = 0"
    end, "H or F set", "no agent advertisement seen")
  end,
}

rule {
  id = "mip4.adv.fcoa", rfc = "RFC 5944 §2.1.1, §3.7.1",
  text = "a foreign agent's advertisement (F) carries at least one care-of address",
  select = { ["icmp.type"] = 9, ["mip4.adv.flags.F"] = 1 },
  check = function(pkts)
    return each(pkts, function(p) return p:count("mip4.adv.coa") > 0, p:count("mip4.adv.coa") .. " addresses" end,
                "at least one care-of address", "no foreign agent advertisement seen")
  end,
}

rule {
  id = "mip4.adv.reserved", rfc = "RFC 5944 §2.1.1",
  text = "the reserved bits of an agent advertisement (r and the low bits of the flags) are zero",
  select = { ["icmp.type"] = 9, ["mip4.adv.flags.R"] = true },
  check = function(pkts)
    return each(pkts, function(p)
      local raw, at = p:bytes(), p:offset("mip4.adv.flags.R")
      local flags = raw:byte(at) * 256 + raw:byte(at + 1)
      return flags & 0x023f == 0, string.format("flags 0x%04x", flags)
    end, "flags & 0x023f = 0", "no agent advertisement seen")
  end,
}

rule {
  id = "mip4.adv.seq", rfc = "RFC 5944 §2.3.2",
  text = "an agent's successive advertisements on a link count up by one (after 0xffff: 256)",
  select = ADV,
  check = function(pkts)
    local n = 0
    local by = {}
    for _, p in ipairs(pkts) do
      local k = p.link .. "/" .. p["ip.src"]
      local prev = by[k]
      local s = p["mip4.adv.seq"]
      if prev then
        local want = prev["mip4.adv.seq"] == 0xffff and 256 or prev["mip4.adv.seq"] + 1
        n = n + 1
        if s ~= want and not (s < 256 and s < prev["mip4.adv.seq"]) then   -- a reboot restarts below 256
          return fail { expected = "sequence " .. want, seen = s, packet = p, packets = { prev, p } }
        end
      end
      by[k] = p
    end
    if n == 0 then return na("no successive advertisements") end
    return pass(n .. " successions checked")
  end,
}

rule {
  id = "mip4.adv.period", rfc = "RFC 5944 §2.3, RFC 1256 §4.1",
  text = "an agent advertises again before its previous advertisement's lifetime runs out",
  select = ADV,
  check = function(pkts)
    local by, n = {}, 0
    for _, p in ipairs(pkts) do
      local k = p.link .. "/" .. p["ip.src"]
      local prev = by[k]
      if prev then
        n = n + 1
        if p.t - prev.t > prev["icmp.ra.lifetime"] then
          return fail { expected = "within " .. prev["icmp.ra.lifetime"] .. " s",
                        seen = string.format("%.3f s", p.t - prev.t), packet = p, packets = { prev, p } }
        end
      end
      by[k] = p
    end
    if n == 0 then return na("no successive advertisements") end
    return pass(n .. " gaps checked")
  end,
}

rule {
  id = "mip4.adv.answer", rfc = "RFC 5944 §2.3, RFC 1256 §3.2",
  text = "an agent solicitation on a link with an agent is answered by an advertisement within 2 s",
  select = { { ["icmp.type"] = 10 }, ADV },
  check = function(pkts)
    local has = {}
    for _, p in ipairs(pkts) do if p["icmp.type"] == 9 then has[p.link] = true end end
    local sols = filter(pkts, function(p) return p["icmp.type"] == 10 and has[p.link] end)
    return answered { req = sols, within = 2, what = "agent advertisement", none = "no solicitation on an agent's link",
                      index = index_of(pkts, function(p) return p["icmp.type"] == 9 end, function(p) return p.link end),
                      keys = function(q) return { q.link } end }
  end,
}

rule {
  id = "mip4.icmp.checksum", rfc = "RFC 792, RFC 1256 §3",
  text = "every agent advertisement and solicitation has a valid ICMP checksum",
  select = { ["icmp.type"] = { 9, 10 }, ["icmp.cksum_ok"] = 0 },
  never = true,
}

rule {
  id = "mip4.sol.ttl", rfc = "RFC 5944 §2.2",
  text = "an agent solicitation is sent with IP TTL 1",
  select = { ["icmp.type"] = 10 },
  check = function(pkts)
    return each(pkts, function(p) return p["ip.ttl"] == 1, p["ip.ttl"] end, 1, "no agent solicitation seen")
  end,
}

rule {
  id = "mip4.sol.dst", rfc = "RFC 1256 §3.2, RFC 5944 §2.2",
  text = "an agent solicitation goes to 224.0.0.2 or 255.255.255.255",
  select = { ["icmp.type"] = 10 },
  check = function(pkts)
    return each(pkts, function(p)
      local d = p["ip.dst"]
      return d == "224.0.0.2" or d == "255.255.255.255", d
    end, "224.0.0.2 or 255.255.255.255", "no agent solicitation seen")
  end,
}

rule {
  id = "mip4.sol.rate", rfc = "RFC 5944 §2.4",
  text = "a mobile node solicits at most once a second on a link",
  select = { ["icmp.type"] = 10 },
  check = function(pkts)
    local by, n, batched = {}, 0, batches(pkts)
    for _, p in ipairs(pkts) do
      local k = p.link .. "/" .. p["ip.src"]
      if by[k] and not batched[p] and not batched[by[k]] then
        n = n + 1
        if p.t - by[k].t < 0.95 then
          return fail { expected = "at least 1 s apart", seen = string.format("%.3f s", p.t - by[k].t),
                        packet = p, packets = { by[k], p } }
        end
      end
      by[k] = p
    end
    if n == 0 then return na("no successive solicitations") end
    return pass(n .. " gaps checked")
  end,
}

rule {
  id = "mip4.adv.R", rfc = "RFC 5944 §2.4.1, §3.1",
  text = "on a link where a foreign agent advertises R (registration required), a mobile node away from home registers through it",
  select = { ADV, { ["mip4.type"] = 1 } },
  check = function(pkts)
    local lastR, n, ag = {}, 0, agents(pkts)
    for _, p in ipairs(pkts) do
      if p["icmp.type"] == 9 then
        if p["mip4.adv.flags.R"] == 1 then lastR[p.link] = p end
      elseif mn_req(p, ag) and lastR[p.link] and p["mip4.rrq.coa"] ~= p["mip4.rrq.home"] then
        n = n + 1
        local adv = lastR[p.link]
        if p["ip.dst"] ~= adv["ip.src"] and p["ip.dst"] ~= "224.0.0.11" then
          return fail { expected = "request to the advertising agent " .. adv["ip.src"],
                        seen = "request to " .. p["ip.dst"], packet = p, packets = { adv, p } }
        end
      end
    end
    if n == 0 then return na("no request on a link with R advertised") end
    return pass(n .. " requests through the foreign agent")
  end,
}

------------------------------------------------------------------------
-- Registration requests (RFC 5944 §3.3, §3.6)

rule {
  id = "mip4.rrq.port", rfc = "RFC 5944 §3.3",
  text = "a registration request is sent to UDP port 434",
  select = { ["mip4.type"] = 1 },
  check = function(pkts)
    return each(pkts, function(p) return p["udp.dport"] == 434, p["udp.dport"] end, 434,
                "no registration request seen")
  end,
}

rule {
  id = "mip4.rrq.src", rfc = "RFC 5944 §3.6.1.1",
  text = "a mobile node's request comes from its home address (from the care-of address when co-located, D)",
  select = { ADV, { ["mip4.type"] = 1 } },
  check = function(pkts)
    local ag = agents(pkts)
    return each(filter(pkts, function(p) return mn_req(p, ag) end), function(p)
      local want = p["mip4.rrq.flags.D"] == 1 and p["mip4.rrq.coa"] or p["mip4.rrq.home"]
      if want == "0.0.0.0" then return true end
      return p["ip.src"] == want, p["ip.src"] .. " (expected " .. want .. ")"
    end, "the home address (or co-located care-of address)", "no request from a mobile node seen")
  end,
}

rule {
  id = "mip4.rrq.mcast.ttl", rfc = "RFC 5944 §3.6.1.1",
  text = "a request to the All Mobility Agents group 224.0.0.11 has IP TTL 1",
  select = { ["mip4.type"] = 1, ["ip.dst"] = "224.0.0.11" },
  check = function(pkts)
    return each(pkts, function(p) return p["ip.ttl"] == 1, p["ip.ttl"] end, 1, "no request to 224.0.0.11 seen")
  end,
}

rule {
  id = "mip4.rrq.reserved", rfc = "RFC 5944 §3.3",
  text = "the reserved bits r and x of a registration request are zero",
  select = { ["mip4.type"] = 1 },
  check = function(pkts)
    return each(pkts, function(p)
      return p["mip4.rrq.flags.r"] == 0 and p["mip4.rrq.flags.x"] == 0,
             "r=" .. p["mip4.rrq.flags.r"] .. " x=" .. p["mip4.rrq.flags.x"]
    end, "r = 0, x = 0", "no registration request seen")
  end,
}

rule {
  id = "mip4.rrq.home", rfc = "RFC 5944 §3.3, RFC 2794 §2",
  text = "a registration request names a home address (0.0.0.0 only with an NAI extension)",
  select = { ["mip4.type"] = 1 },
  check = function(pkts)
    return each(pkts, function(p)
      return p["mip4.rrq.home"] ~= "0.0.0.0" or p["mip4.ext.nai"] ~= nil, p["mip4.rrq.home"]
    end, "a home address or an NAI", "no registration request seen")
  end,
}

rule {
  id = "mip4.rrq.coa.home", rfc = "RFC 5944 §3.6.1.2",
  text = "a request whose care-of address is the home address is a deregistration (lifetime 0)",
  select = { ["mip4.type"] = 1 },
  check = function(pkts)
    local c = filter(pkts, function(p) return p["mip4.rrq.coa"] == p["mip4.rrq.home"] end)
    return each(c, function(p) return p["mip4.rrq.lifetime"] == 0, p["mip4.rrq.lifetime"] end,
                "lifetime 0", "no request with care-of address = home address")
  end,
}

rule {
  id = "mip4.dereg.home", rfc = "RFC 5944 §2.4.3, §3.6.1.2",
  text = "a mobile node back on its home link deregisters: care-of address = home address, lifetime 0",
  select = { ADV, { ["mip4.type"] = 1 } },
  check = function(pkts)
    -- the mobile node is home when it registers with an agent that
    -- advertises H on its link and is its own home agent: the one its
    -- request names, or one that serves no visitors (no F). An agent that
    -- is also a foreign agent (H and F) relays visitors' requests.
    local ag = agents(pkts)
    local c = filter(pkts, function(p)
      local dst, at = p["ip.dst"], p.link .. "/" .. p["ip.dst"]
      return mn_req(p, ag) and p["mip4.rrq.flags.D"] == 0 and ag.ha_at[at]
        and (dst == p["mip4.rrq.ha"] or not ag.fa_at[at])
    end)
    return each(c, function(p)
      return p["mip4.rrq.coa"] == p["mip4.rrq.home"] and p["mip4.rrq.lifetime"] == 0,
             "coa " .. p["mip4.rrq.coa"] .. " lifetime " .. p["mip4.rrq.lifetime"]
    end, "coa = home address, lifetime 0", "no request on a home link")
  end,
}

rule {
  id = "mip4.rrq.D", rfc = "RFC 5944 §3.3, §3.6.1.2",
  text = "the D flag (decapsulation by the mobile node) is set only with a co-located care-of address, never with a foreign agent's",
  select = { ADV, { ["mip4.type"] = 1, ["mip4.rrq.flags.D"] = 1 } },
  check = function(pkts)
    local coas = advertised_coas(pkts)
    return each(filter(pkts, is_req), function(p)
      return not coas[p["mip4.rrq.coa"]], p["mip4.rrq.coa"] .. " is advertised by a foreign agent"
    end, "a co-located care-of address", "no request with D")
  end,
}

rule {
  id = "mip4.rrq.coa.fa", rfc = "RFC 5944 §3.6.1.2",
  text = "a request through a foreign agent (D clear, away) names a care-of address the foreign agents advertise",
  select = { ADV, { ["mip4.type"] = 1 } },
  check = function(pkts)
    local coas, any = advertised_coas(pkts)
    if not any then return na("no care-of address advertised in the capture") end
    local ag = agents(pkts)
    local c = filter(pkts, function(p)
      return mn_req(p, ag) and p["mip4.rrq.flags.D"] == 0 and p["mip4.rrq.coa"] ~= p["mip4.rrq.home"]
    end)
    return each(c, function(p) return coas[p["mip4.rrq.coa"]] == true, p["mip4.rrq.coa"] end,
                "an advertised care-of address", "no request through a foreign agent")
  end,
}

rule {
  id = "mip4.rrq.T", rfc = "RFC 3024 §5.1",
  text = "a mobile node asks for reverse tunnelling (T) only from an agent that advertises T",
  select = { ADV, { ["mip4.type"] = 1 } },
  check = function(pkts)
    local last, n, ag = {}, 0, agents(pkts)
    for _, p in ipairs(pkts) do
      if p["icmp.type"] == 9 then
        last[p.link .. "/" .. p["ip.src"]] = p
      elseif mn_req(p, ag) and p["mip4.rrq.flags.T"] == 1 then
        local adv = last[p.link .. "/" .. p["ip.dst"]]
        if adv then
          n = n + 1
          if adv["mip4.adv.flags.T"] ~= 1 then
            return fail { expected = "T advertised by " .. p["ip.dst"], seen = "T = 0 in its last advertisement",
                          packet = p, packets = { adv, p } }
          end
        end
      end
    end
    if n == 0 then return na("no request with T to an advertising agent") end
    return pass(n .. " requests with T")
  end,
}

rule {
  id = "mip4.rrq.id.new", rfc = "RFC 5944 §3.6.3, §5.7",
  text = "each request a mobile node sends (retransmissions too) has a new Identification",
  select = { ADV, { ["mip4.type"] = 1 } },
  check = function(pkts)
    local seen, n, ag = {}, 0, agents(pkts)
    for _, p in ipairs(filter(pkts, function(x) return mn_req(x, ag) end)) do
      local k = p.link .. "/" .. p["mip4.rrq.home"] .. "/" .. p["mip4.rrq.id"]
      n = n + 1
      if seen[k] then
        return fail { expected = "a new Identification", seen = string.format("0x%016x again", p["mip4.rrq.id"]),
                      packet = p, packets = { seen[k], p } }
      end
      seen[k] = p
    end
    if n == 0 then return na("no request from a mobile node") end
    return pass(n .. " distinct Identifications")
  end,
}

-- Timestamps (§5.7.1): the high-order 32 bits are NTP seconds. Requests
-- whose high bits are not within a day of the capture clock use nonces.
local function stamp_skew(p, field)
  local s = high32(p[field]) - NTP_UNIX
  local d = s - p.ts
  if math.abs(d) < 86400 then return d end
end

rule {
  id = "mip4.rrq.id.clock", rfc = "RFC 5944 §5.7.1",
  text = "a timestamp Identification is within the 7 s replay window of the time it is sent",
  select = { ADV, { ["mip4.type"] = 1 } },
  check = function(pkts)
    local n, ag = 0, agents(pkts)
    for _, p in ipairs(filter(pkts, function(x) return mn_req(x, ag) end)) do
      local d = stamp_skew(p, "mip4.rrq.id")
      if d then
        n = n + 1
        if math.abs(d) > REPLAY_WINDOW + 1 then	-- 1 s: the timestamp's resolution
          return fail { expected = "within " .. REPLAY_WINDOW .. " s of the capture time",
                        seen = string.format("%+.1f s", d), packet = p }
        end
      end
    end
    if n == 0 then return na("no timestamp Identification") end
    return pass(n .. " timestamps within the window")
  end,
}

rule {
  id = "mip4.reg.backoff", rfc = "RFC 5944 §3.6.3",
  text = "a mobile node retransmits an unanswered request no sooner than 1 s, each gap double the previous (or unchanged once capped)",
  select = { ADV, REG },
  check = function(pkts)
    local ag = agents(pkts)
    pkts = filter(pkts, function(p) return p["mip4.type"] ~= nil end)
    local series, n, batched = {}, 0, batches(pkts)
    local function judge(s)
      for i = 2, #s do
        local gap = s[i].t - s[i - 1].t
        if batched[s[i]] or batched[s[i - 1]] then return end	-- no spacing to judge (see batches)
        n = n + 1
        local ok
        if i == 2 then ok = gap >= 0.9
        else
          local prev = s[i - 1].t - s[i - 2].t
          ok = (gap >= prev * 1.8 and gap <= prev * 2.2) or (prev >= 8 and math.abs(gap - prev) <= prev * 0.1)
        end
        if not ok then
          return fail { expected = i == 2 and "first retransmission after at least 1 s"
                          or string.format("about %.3f s (double) or the cap", 2 * (s[i - 1].t - s[i - 2].t)),
                        seen = string.format("%.3f s", gap), packet = s[i], packets = { s[i - 1], s[i] } }
        end
      end
    end
    for _, p in ipairs(pkts) do
      if mn_req(p, ag) then
        local k = p["mip4.rrq.home"]
        local s = series[k]
        if s and s[1].link == p.link and s[1]["mip4.rrq.coa"] == p["mip4.rrq.coa"]
           and s[1]["mip4.rrq.lifetime"] == p["mip4.rrq.lifetime"] then
          s[#s + 1] = p
        else
          if s then local v = judge(s) if v then return v end end
          series[k] = { p }
        end
      elseif is_rep(p) and p["ip.dst"] == p["mip4.rrp.home"] then
        local s = series[p["mip4.rrp.home"]]
        if s then local v = judge(s) if v then return v end end
        series[p["mip4.rrp.home"]] = nil
      end
    end
    for _, s in pairs(series) do local v = judge(s) if v then return v end end
    if n == 0 then return na("no retransmission") end
    return pass(n .. " retransmission gaps checked")
  end,
}

------------------------------------------------------------------------
-- Registration replies (RFC 5944 §3.4, §3.8)

local CODES = {}
for _, c in ipairs { 0, 1 } do CODES[c] = true end
for c = 64, 88 do CODES[c] = true end
for c = 128, 139 do CODES[c] = true end

rule {
  id = "mip4.rrp.code.range", rfc = "RFC 5944 §3.4, RFC 3024 §6",
  text = "a reply code is one of the defined ones: 0-1 accepted, 64-88 foreign agent, 128-139 home agent",
  select = { ["mip4.type"] = 3 },
  check = function(pkts)
    return each(pkts, function(p) return CODES[p["mip4.rrp.code"]] == true, p["mip4.rrp.code"] end,
                "a defined code", "no registration reply seen")
  end,
}

rule {
  id = "mip4.rrp.port", rfc = "RFC 5944 §3.4",
  text = "a reply goes from the request's destination port to its source port",
  select = REG,
  check = function(pkts)
    local pr = pairing(pkts)
    local n = 0
    for _, r in ipairs(pkts) do
      if is_rep(r) then
        local q = pr.back[r]
        if q then
          n = n + 1
          if r["udp.sport"] ~= q["udp.dport"] or r["udp.dport"] ~= q["udp.sport"] then
            return fail { expected = q["udp.dport"] .. " -> " .. q["udp.sport"],
                          seen = r["udp.sport"] .. " -> " .. r["udp.dport"], packet = r, packets = { q, r } }
          end
        end
      end
    end
    if n == 0 then return na("no reply paired with its request on a link") end
    return pass(n .. " replies checked")
  end,
}

rule {
  id = "mip4.rrp.id", rfc = "RFC 5944 §3.4, §5.7",
  text = "a reply echoes the low-order 32 bits of its request's Identification",
  select = REG,
  check = function(pkts)
    local pr = pairing(pkts)
    return each(filter(pkts, is_rep), function(r)
      return pr.q[r] ~= nil,
             string.format("no earlier request from %s with low bits 0x%08x", r["mip4.rrp.home"], low32(r["mip4.rrp.id"]))
    end, "the Identification of a request", "no registration reply seen")
  end,
}

rule {
  id = "mip4.rrp.fields", rfc = "RFC 5944 §3.4, §3.8.3",
  text = "a reply carries its request's home agent address (a denial may carry the address of the home agent that denies)",
  select = REG,
  check = function(pkts)
    -- a home agent that denies a request naming another address (136,
    -- unknown home agent address, or any denial sent before it reads that
    -- field) names itself: the source of a reply it sent
    local pr, answering = pairing(pkts), {}
    for _, r in ipairs(pkts) do
      if is_rep(r) and r["ip.src"] == r["mip4.rrp.ha"] then answering[r["ip.src"]] = true end
    end
    local c = filter(pkts, function(r) return is_rep(r) and pr.q[r] ~= nil end)
    return each(c, function(r)
      local q = pr.q[r]
      if not accepted(r) and answering[r["mip4.rrp.ha"]] then return true end
      return r["mip4.rrp.ha"] == q["mip4.rrq.ha"], r["mip4.rrp.ha"] .. " for a request to " .. q["mip4.rrq.ha"]
    end, "the request's home agent", "no reply paired with a request")
  end,
}

rule {
  id = "mip4.rrp.code.S", rfc = "RFC 5944 §3.4",
  text = "code 1 (simultaneous bindings unsupported) answers only a request with S",
  select = REG,
  check = function(pkts)
    local pr = pairing(pkts)
    local c = filter(pkts, function(r) return is_rep(r) and r["mip4.rrp.code"] == 1 end)
    return each(c, function(r)
      local q = pr.q[r]
      return q == nil or q["mip4.rrq.flags.S"] == 1, "S = 0 in the request"
    end, "S = 1 in the request", "no reply with code 1")
  end,
}

rule {
  id = "mip4.rrp.lifetime", rfc = "RFC 5944 §3.4, §3.8.3.1",
  text = "an accepted reply grants no longer a lifetime than requested (0 for a deregistration)",
  select = REG,
  check = function(pkts)
    local pr = pairing(pkts)
    local c = filter(pkts, function(r) return is_rep(r) and accepted(r) and pr.q[r] ~= nil end)
    return each(c, function(r)
      local q = pr.q[r]
      return r["mip4.rrp.lifetime"] <= q["mip4.rrq.lifetime"],
             r["mip4.rrp.lifetime"] .. " s for " .. q["mip4.rrq.lifetime"] .. " s requested"
    end, "at most the requested lifetime", "no accepted reply paired with a request")
  end,
}

rule {
  id = "mip4.fa.deny.code", rfc = "RFC 5944 §3.7.2, RFC 3024 §6",
  text = "a reply a foreign agent generates (no MN-HA extension) is a denial with a code in 64-88",
  select = { ["mip4.type"] = 3 },
  check = function(pkts)
    -- the foreign agent's own replies: without MN-HA, not from the home
    -- agent the reply names, and not the relay of a reply that came from
    -- another address before (§3.7.3.2: the FA relays the HA's reply)
    local from, own = {}, {}
    groups(pkts, function(r)
      local k = r["mip4.rrp.home"] .. "/" .. r["mip4.rrp.id"] .. "/" .. r["mip4.rrp.code"]
      from[k] = from[k] or {}
      from[k][r["ip.src"]] = true
    end, function(r)
      if r["mip4.ext.mnha.spi"] == nil and r["ip.src"] ~= r["mip4.rrp.ha"] then
        local k = r["mip4.rrp.home"] .. "/" .. r["mip4.rrp.id"] .. "/" .. r["mip4.rrp.code"]
        local relay = false
        for a in pairs(from[k]) do if a ~= r["ip.src"] then relay = true end end
        if not relay then own[#own + 1] = r end
      end
    end)
    return each(own, function(p) local c = p["mip4.rrp.code"]; return c >= 64 and c <= 88, c end,
                "64-88", "no reply a foreign agent generated (without MN-HA, not from or relayed from the home agent)")
  end,
}

rule {
  id = "mip4.ha.deny.code", rfc = "RFC 5944 §3.8.3, RFC 3024 §6",
  text = "a home agent's reply (with MN-HA extension) that denies uses a code in 128-139",
  select = { ["mip4.type"] = 3, ["mip4.ext.mnha.spi"] = true },
  check = function(pkts)
    local c = filter(pkts, function(p) return not accepted(p) end)
    return each(c, function(p) local k = p["mip4.rrp.code"]; return k >= 128 and k <= 139, k end,
                "128-139", "no denial from a home agent")
  end,
}

rule {
  id = "mip4.ha.answer", rfc = "RFC 5944 §3.8, §3.8.3",
  text = "a request sent to the home agent gets a reply (same home address and Identification) within 3 s",
  select = { ADV, REG },
  check = function(pkts)
    local ag = agents(pkts)
    -- a request the mobile node sent again before any reply came back was
    -- lost on the way: only the last of such a series must be answered.
    -- Read backwards: for each home address, the first later reply to the
    -- mobile node, and per care-of address the first two later requests of
    -- distinct Identifications.
    local resent, rep_at, req_at = {}, {}, {}
    local i = #pkts
    while i >= 1 do
      local t, j = pkts[i].t, i - 1
      while j >= 1 and pkts[j].t == t do j = j - 1 end
      for k = j + 1, i do	-- the frames of time t against those after it
        local q = pkts[k]
        if is_req(q) and q["ip.dst"] == q["mip4.rrq.ha"] then
          local h, id = q["mip4.rrq.home"], q["mip4.rrq.id"]
          local s = req_at[h .. "/" .. q["mip4.rrq.coa"]]
          local cand = s and (s.id1 ~= id and s.at1 or s.at2)
          resent[q] = cand ~= nil and (rep_at[h] == nil or cand < rep_at[h])
        end
      end
      for k = i, j + 1, -1 do
        local p = pkts[k]
        if is_rep(p) and p["ip.dst"] == p["mip4.rrp.home"] then
          rep_at[p["mip4.rrp.home"]] = k
        elseif mn_req(p, ag) then
          local key, id = p["mip4.rrq.home"] .. "/" .. p["mip4.rrq.coa"], p["mip4.rrq.id"]
          local s = req_at[key]
          if not s then req_at[key] = { at1 = k, id1 = id }
          elseif s.id1 == id then s.at1 = k
          else s.at2, s.at1, s.id1 = s.at1, k, id end
        end
      end
      i = j
    end
    -- (a datagram with a bad UDP checksum is discarded, §3.8.2.1)
    local reqs = filter(pkts, function(p)
      return is_req(p) and p["ip.dst"] == p["mip4.rrq.ha"] and not resent[p] and p["udp.cksum_ok"] ~= 0
    end)
    return answered { req = reqs, within = HA_REPLY_WITHIN, what = "registration reply from the home agent",
                      none = "no request addressed to a home agent",
                      index = index_of(pkts, function(p) return is_rep(p) and p["ip.src"] == p["mip4.rrp.ha"] end,
                                       function(p) return rkey(p["mip4.rrp.home"], p["mip4.rrp.id"]) end),
                      keys = function(q) return { rkey(q["mip4.rrq.home"], q["mip4.rrq.id"]) } end }
  end,
}

rule {
  id = "mip4.ha.replay.stale", rfc = "RFC 5944 §5.7.1",
  text = "a home agent does not accept a timestamp outside the 7 s window (it answers 133)",
  select = REG,
  check = function(pkts)
    local pr = pairing(pkts)
    local n = 0
    for _, r in ipairs(pkts) do
      if is_rep(r) and accepted(r) then
        local q = pr.q[r]
        local d = q and stamp_skew(q, "mip4.rrq.id")
        if d then
          n = n + 1
          if math.abs(d) > REPLAY_WINDOW + 1 then
            return fail { expected = "code 133 for a timestamp " .. string.format("%+.1f s", d) .. " off",
                          seen = "accepted (code " .. r["mip4.rrp.code"] .. ")", packet = r, packets = { q, r } }
          end
        end
      end
    end
    if n == 0 then return na("no accepted timestamp request") end
    return pass(n .. " accepted timestamps within the window")
  end,
}

rule {
  id = "mip4.ha.replay.dup", rfc = "RFC 5944 §5.7",
  text = "a home agent accepts an Identification only once (a replayed request is denied)",
  select = { ["mip4.type"] = 3 },
  check = function(pkts)
    -- a router forwarding the reply along a link captured at two hops
    -- makes a copy of the same datagram (same addresses and IP
    -- Identification, a lower TTL): one acceptance, not two
    local seen, n = {}, 0
    local function copy_of(a, r)
      return a["ip.src"] == r["ip.src"] and a["ip.dst"] == r["ip.dst"] and a["ip.id"] == r["ip.id"]
        and r["ip.ttl"] < a["ip.ttl"]
    end
    for _, r in ipairs(pkts) do
      if accepted(r) and r["ip.src"] == r["mip4.rrp.ha"] then
        local k = r.link .. "/" .. r["mip4.rrp.home"] .. "/" .. r["mip4.rrp.id"]
        if seen[k] and copy_of(seen[k], r) then goto next end
        n = n + 1
        if seen[k] then
          return fail { expected = "one acceptance per Identification",
                        seen = string.format("0x%016x accepted twice", r["mip4.rrp.id"]),
                        packet = r, packets = { seen[k], r } }
        end
        seen[k] = r
      end
      ::next::
    end
    if n == 0 then return na("no acceptance by a home agent") end
    return pass(n .. " acceptances, all distinct")
  end,
}

------------------------------------------------------------------------
-- MN-HA authentication (RFC 5944 §3.5)

rule {
  id = "mip4.mnha.rrq", rfc = "RFC 5944 §3.5.2, §3.6.1.3",
  text = "every registration request carries an MN-HA authentication extension",
  select = { ["mip4.type"] = 1 },
  check = function(pkts)
    return each(pkts, function(p) return p["mip4.ext.mnha.spi"] ~= nil, "no extension 32" end,
                "extension 32", "no registration request seen")
  end,
}

rule {
  id = "mip4.mnha.rrp", rfc = "RFC 5944 §3.5.2, §3.8.3",
  text = "every reply from the home agent (accepted, or denied with 128-139) carries an MN-HA authentication extension",
  select = { ["mip4.type"] = 3 },
  check = function(pkts)
    local c = filter(pkts, function(p) return not fa_code(p["mip4.rrp.code"]) end)
    return each(c, function(p) return p["mip4.ext.mnha.spi"] ~= nil, "no extension 32" end,
                "extension 32", "no reply from a home agent")
  end,
}

rule {
  id = "mip4.mnha.once", rfc = "RFC 5944 §3.5.2",
  text = "a registration message has exactly one MN-HA authentication extension",
  select = { ["mip4.type"] = { 1, 3 }, ["mip4.ext.mnha.spi"] = true },
  check = function(pkts)
    return each(pkts, function(p) return p:count("mip4.ext.mnha.spi") == 1, p:count("mip4.ext.mnha.spi") end,
                1, "no MN-HA extension seen")
  end,
}

rule {
  id = "mip4.mnha.last", rfc = "RFC 5944 §3.6.1.3, §3.5.2",
  text = "the MN-HA extension follows every extension it covers: only MN-FA (33) or FA-HA (34) may come after it",
  select = { ["mip4.type"] = { 1, 3 }, ["mip4.ext.mnha.spi"] = true },
  check = function(pkts)
    return each(pkts, function(p)
      local after = false
      for _, t in ipairs(p:all("mip4.ext.type")) do
        if after and t ~= 33 and t ~= 34 then return false, "extension " .. t .. " after MN-HA" end
        if t == 32 then after = true end
      end
      return true
    end, "MN-HA last before 33/34", "no MN-HA extension seen")
  end,
}

rule {
  id = "mip4.mnha.spi", rfc = "RFC 5944 §1.6, §3.5.1",
  text = "an MN-HA extension's SPI is not in the reserved range 0-255",
  select = { ["mip4.type"] = { 1, 3 }, ["mip4.ext.mnha.spi"] = true },
  check = function(pkts)
    return each(pkts, function(p) return p["mip4.ext.mnha.spi"] >= 256, p["mip4.ext.mnha.spi"] end,
                "SPI >= 256", "no MN-HA extension seen")
  end,
}

rule {
  id = "mip4.mnha.len", rfc = "RFC 5944 §3.5.1, §3.5.2",
  text = "an MN-HA authenticator with the default HMAC-MD5 is 16 bytes (extension length 20)",
  select = { ["mip4.type"] = { 1, 3 }, ["mip4.ext.mnha.spi"] = true },
  check = function(pkts)
    return each(pkts, function(p)
      local a = p:bytes("mip4.ext.mnha.auth") or ""
      return #a == 16, #a .. " bytes"
    end, "16 bytes", "no MN-HA extension seen")
  end,
}

rule {
  id = "mip4.mnha.auth", rfc = "RFC 5944 §3.5.1",
  text = "the MN-HA authenticator is HMAC-MD5 with the mobility security association's key over the message through the SPI",
  select = { ["mip4.type"] = { 1, 3 }, ["mip4.ext.mnha.spi"] = true },
  check = function(pkts, ctx)
    local keys = keys_for(ctx)
    return each(pkts, function(p)
      local raw = p:bytes()
      local from, to = p:offset("mip4"), p:offset("mip4.ext.mnha.auth")
      local auth = p:bytes("mip4.ext.mnha.auth")
      if not (from and to and auth) then return false, "no authenticator bytes" end
      local covered = raw:sub(from, to - 1)
      for _, k in ipairs(keys) do
        if hmac_md5(k, covered) == auth then return true end
      end
      return false, hex(auth) .. " (with the first key: " .. hex(hmac_md5(keys[1], covered)) .. ")"
    end, "HMAC-MD5 of the message with a known key", "no MN-HA extension seen")
  end,
}

------------------------------------------------------------------------
-- Foreign agent relaying (RFC 5944 §3.7)

rule {
  id = "mip4.fa.relay.req", rfc = "RFC 5944 §3.7, §3.7.2",
  text = "a foreign agent relays a mobile node's request to the home agent, or denies it, within 1 s",
  select = { ADV, REG },
  check = function(pkts)
    local ag = agents(pkts)
    local reqs = filter(pkts, function(p) return to_fa(p, ag) end)
    -- a relay has the request's home address and whole Identification, a
    -- denial its home address and the low-order 32 bits
    local idx = index_of(pkts, function(p)
      return relayed(p, ag) or (is_rep(p) and fa_code(p["mip4.rrp.code"]) and p["ip.dst"] == p["mip4.rrp.home"])
    end, function(p)
      if is_req(p) then return "q/" .. p["mip4.rrq.home"] .. "/" .. p["mip4.rrq.id"] end
      return "r/" .. rkey(p["mip4.rrp.home"], p["mip4.rrp.id"])
    end)
    return answered { req = reqs, index = idx, within = FA_RELAY_WITHIN,
                      what = "relayed request or denial", none = "no request to a foreign agent",
                      keys = function(q)
                        local h, id = q["mip4.rrq.home"], q["mip4.rrq.id"]
                        return { "q/" .. h .. "/" .. id, "r/" .. rkey(h, id) }
                      end }
  end,
}

rule {
  id = "mip4.fa.relay.rep", rfc = "RFC 5944 §3.7.3",
  text = "a foreign agent relays the home agent's reply to the mobile node within 1 s",
  select = { ADV, REG },
  check = function(pkts)
    -- replies from the home agent to a foreign agent that relayed a request
    -- of that home address and Identification (low-order bits) before
    local relays, from_ha, ag = {}, {}, agents(pkts)
    groups(pkts, function(p)
      if is_req(p) and relayed(p, ag) then relays[rkey(p["mip4.rrq.home"], p["mip4.rrq.id"])] = true end
    end, function(p)
      if is_rep(p) and p["ip.src"] == p["mip4.rrp.ha"] and p["ip.dst"] ~= p["mip4.rrp.home"]
         and relays[rkey(p["mip4.rrp.home"], p["mip4.rrp.id"])] then
        from_ha[#from_ha + 1] = p
      end
    end)
    local function key(home, id, code) return home .. "/" .. id .. "/" .. code end
    return answered { req = from_ha, within = FA_RELAY_WITHIN, what = "relayed reply to the mobile node",
                      none = "no reply from a home agent to a foreign agent",
                      index = index_of(pkts, function(p) return is_rep(p) and p["ip.dst"] == p["mip4.rrp.home"] end,
                                       function(p) return key(p["mip4.rrp.home"], p["mip4.rrp.id"], p["mip4.rrp.code"]) end),
                      keys = function(q) return { key(q["mip4.rrp.home"], q["mip4.rrp.id"], q["mip4.rrp.code"]) } end }
  end,
}

rule {
  id = "mip4.fa.relay.origin", rfc = "RFC 5944 §3.7",
  text = "a foreign agent sends a request only to relay one a mobile node sent",
  select = { ADV, { ["mip4.type"] = 1 } },
  check = function(pkts)
    local ag = agents(pkts)
    local origin = pairing(pkts, ag).origin
    return each(filter(pkts, function(p) return is_req(p) and relayed(p, ag) end), function(p)
      return origin[p] ~= nil, "no earlier request from the mobile node with this Identification"
    end, "a mobile node's request relayed", "no relayed request")
  end,
}

rule {
  id = "mip4.fa.relay.unchanged", rfc = "RFC 5944 §3.7.2.2",
  text = "a foreign agent relays the request unchanged through the MN-HA extension",
  select = { ADV, { ["mip4.type"] = 1 } },
  check = function(pkts)
    local function span(p)
      local raw, from, a = p:bytes(), p:offset("mip4"), p:offset("mip4.ext.mnha.auth")
      if not (from and a) then return p:bytes("mip4") end
      return raw:sub(from, a + #(p:bytes("mip4.ext.mnha.auth") or "") - 1)
    end
    local ag = agents(pkts)
    local origin = pairing(pkts, ag).origin
    local c = filter(pkts, function(p) return is_req(p) and relayed(p, ag) and origin[p] ~= nil end)
    return each(c, function(p)
      local q = origin[p]
      return span(p) == span(q), "relayed " .. hex(span(p)) .. " vs sent " .. hex(span(q))
    end, "the mobile node's bytes", "no relayed request")
  end,
}

rule {
  id = "mip4.fa.lifetime", rfc = "RFC 5944 §2.1.1, §3.7.2.1",
  text = "a foreign agent does not relay a request asking more than its advertised registration lifetime (it denies with 69)",
  select = { ADV, { ["mip4.type"] = 1 } },
  check = function(pkts)
    local life, n, ag = {}, 0, agents(pkts)
    for _, p in ipairs(pkts) do
      if p["icmp.type"] == 9 then
        for _, a in ipairs(p:all("mip4.adv.coa")) do life[a] = p["mip4.adv.lifetime"] end
      elseif is_req(p) and relayed(p, ag) and life[p["mip4.rrq.coa"]] and life[p["mip4.rrq.coa"]] ~= 0xffff then
        n = n + 1
        if p["mip4.rrq.lifetime"] > life[p["mip4.rrq.coa"]] then
          return fail { expected = "at most " .. life[p["mip4.rrq.coa"]] .. " s relayed",
                        seen = p["mip4.rrq.lifetime"] .. " s", packet = p }
        end
      end
    end
    if n == 0 then return na("no relayed request from an advertising foreign agent") end
    return pass(n .. " relayed lifetimes within the advertised one")
  end,
}

------------------------------------------------------------------------
-- Tunnels (RFC 2003 §3.1; RFC 5944 §4.2.3; RFC 3024 §5)

local TUN = { ["ip.proto"] = 4 }
local PLAIN = { ["ip.proto"] = { 1, 6, 17 }, ["mip4"] = false }

local function fwd_tunnels(pkts, b)
  return filter(pkts, function(p) return p["ip.proto"] == 4 and b[p["inner.ip.dst"]] ~= nil end)
end

rule {
  id = "mip4.tun.dst", rfc = "RFC 5944 §4.2.3, RFC 2003 §3.1",
  text = "the home agent tunnels a home address's packets to the care-of address of its current binding",
  select = { TUN, REG },
  check = function(pkts)
    local b = bindings(pkts)
    return each(fwd_tunnels(pkts, b), function(p)
      local h = p["inner.ip.dst"]
      local cur, old = binding_at(b, h, p.t), binding_at(b, h, p.t - 0.5)
      if not cur and not old then return false, "tunnel to " .. p["ip.dst"] .. " with no binding for " .. h end
      return (cur and cur.coa == p["ip.dst"]) or (old and old.coa == p["ip.dst"]) or false,
             p["ip.dst"] .. " (bound: " .. ((cur or old).coa) .. ")"
    end, "the bound care-of address", "no tunnelled packet for a registered home address")
  end,
}

rule {
  id = "mip4.tun.src", rfc = "RFC 5944 §4.2.3, RFC 2003 §3.1",
  text = "packets tunnelled to a mobile node come from its home agent",
  select = { TUN, REG },
  check = function(pkts)
    local b = bindings(pkts)
    return each(fwd_tunnels(pkts, b), function(p)
      local e = binding_at(b, p["inner.ip.dst"], p.t) or binding_at(b, p["inner.ip.dst"], p.t - 0.5)
      return e == nil or e.ha == p["ip.src"], p["ip.src"] .. " (home agent " .. (e and e.ha or "?") .. ")"
    end, "the home agent's address", "no tunnelled packet for a registered home address")
  end,
}

rule {
  id = "mip4.tun.ttl", rfc = "RFC 2003 §3.1",
  text = "the encapsulator sets an outer TTL that reaches the tunnel exit (at least 2 when first captured)",
  select = TUN,
  check = function(pkts)
    local first = {}
    local list = {}
    for _, p in ipairs(pkts) do
      local k = p["ip.src"] .. ">" .. p["ip.dst"] .. "/" .. p["ip.id"]
      if not first[k] then first[k] = p list[#list + 1] = p end
    end
    return each(list, function(p) return p["ip.ttl"] >= 2, p["ip.ttl"] end, ">= 2", "no tunnelled packet")
  end,
}

rule {
  id = "mip4.tun.inner.ttl", rfc = "RFC 2003 §3.1",
  text = "a router that encapsulates while forwarding decrements the inner TTL by one",
  select = { TUN, PLAIN },
  check = function(pkts)
    -- the encapsulator's input is one of the earlier plain captures of the
    -- same datagram (any link): the inner TTL is one below one of them
    -- (a queue per datagram that forgets what is a second old)
    local plain, n = {}, 0
    local function recent_of(k, now)
      local qu = plain[k]
      if not qu then return nil end
      while qu.h <= qu.n and now - qu[qu.h].t >= 1 do qu[qu.h] = nil qu.h = qu.h + 1 end
      return qu
    end
    for _, p in ipairs(pkts) do
      if p["ip.proto"] ~= 4 then
        local k = p["ip.src"] .. ">" .. p["ip.dst"] .. "/" .. p["ip.id"]
        local qu = recent_of(k, p.t) or { h = 1, n = 0 }
        qu.n = qu.n + 1
        qu[qu.n] = { t = p.t, ttl = p["ip.ttl"], p = p }
        plain[k] = qu
      else
        local qu = recent_of((p["inner.ip.src"] or "") .. ">" .. (p["inner.ip.dst"] or "") .. "/" .. (p["inner.ip.id"] or ""), p.t)
        local recent, ok = {}, false
        for i = qu and qu.h or 1, qu and qu.n or 0 do
          local q = qu[i]
          if p.t - q.t < 1 then
            recent[#recent + 1] = q
            if p["inner.ip.ttl"] == q.ttl - 1 then ok = true end
          end
        end
        if #recent > 0 then
          n = n + 1
          if not ok then
            return fail { expected = "inner TTL " .. (recent[#recent].ttl - 1), seen = p["inner.ip.ttl"],
                          packet = p, packets = { recent[#recent].p, p } }
          end
        end
      end
    end
    if n == 0 then return na("no packet seen both before and after encapsulation") end
    return pass(n .. " encapsulations checked")
  end,
}

rule {
  id = "mip4.tun.tos", rfc = "RFC 2003 §3.1",
  text = "the outer TOS is copied from the inner header",
  select = TUN,
  check = function(pkts)
    local c = filter(pkts, function(p) return p["inner.ip.tos"] ~= nil end)
    return each(c, function(p) return p["ip.tos"] == p["inner.ip.tos"], p["ip.tos"] .. " vs inner " .. p["inner.ip.tos"] end,
                "outer TOS = inner TOS", "no IP-in-IP packet")
  end,
}

rule {
  id = "mip4.tun.df", rfc = "RFC 2003 §3.1",
  text = "when the inner header has DF set, the outer header has DF set",
  select = { ["ip.proto"] = 4, ["inner.ip.flags.DF"] = 1 },
  check = function(pkts)
    return each(pkts, function(p) return p["ip.flags.DF"] == 1, p["ip.flags.DF"] end, "DF = 1",
                "no IP-in-IP packet with inner DF")
  end,
}

-- The foreign agent's uplink hardware addresses for a care-of address: the
-- Ethernet sources of the requests it relayed from that address. A plain
-- packet from a home address sent by one of them left the foreign network
-- outside the tunnel.
local function fa_macs(pkts, ag)
  local up = {}
  for _, p in ipairs(pkts) do
    if is_req(p) and relayed(p, ag) and p["eth.src"] then
      up[p["ip.src"]] = up[p["ip.src"]] or {}
      up[p["ip.src"]][p["eth.src"]] = true
    end
  end
  return up
end

rule {
  id = "mip4.rt.outer", rfc = "RFC 3024 §5.2, §5.3",
  text = "a reverse tunnel goes from the care-of address to the home agent, and only for a binding registered with T",
  select = { TUN, REG },
  check = function(pkts)
    local b = bindings(pkts)
    local c = filter(pkts, function(p) return p["ip.proto"] == 4 and b[p["inner.ip.src"]] ~= nil end)
    return each(c, function(p)
      local e = binding_at(b, p["inner.ip.src"], p.t) or binding_at(b, p["inner.ip.src"], p.t - 0.5)
      if not e then return false, "no binding for " .. p["inner.ip.src"] end
      if not e.T then return false, "binding without T" end
      return p["ip.src"] == e.coa and p["ip.dst"] == e.ha, p["ip.src"] .. " -> " .. p["ip.dst"]
    end, "care-of address -> home agent, with T", "no reverse-tunnelled packet")
  end,
}

rule {
  id = "mip4.rt.leak", rfc = "RFC 3024 §5.2",
  text = "with reverse tunnelling (T), once the foreign agent relayed the acceptance, a mobile node's packets leave the foreign network only inside its tunnel",
  select = { PLAIN, REG, ADV },
  check = function(pkts)
    local b, up = bindings(pkts), fa_macs(pkts, agents(pkts))
    local n = 0
    for _, p in ipairs(pkts) do
      if p["ip.proto"] ~= 4 and not p["mip4"] then
        local e = binding_at(b, p["ip.src"], p.t)
        if e and e.T and up[e.coa] and p.t >= e.t_mn then
          n = n + 1
          if up[e.coa][p["eth.src"]] then
            return fail { expected = "only tunnelled packets from " .. p["ip.src"] .. " on " .. p.link,
                          seen = "a plain packet to " .. p["ip.dst"], packet = p }
          end
        end
      end
    end
    if n == 0 then return na("no packet from a mobile node registered with T") end
    return pass(n .. " packets checked")
  end,
}

------------------------------------------------------------------------
-- ARP on the home link (RFC 5944 §4.6)

local ARP_REG = { { ["arp.op"] = { 1, 2 } }, REG, ADV }

local function mn_macs(pkts, ag)
  local m = {}
  for _, p in ipairs(pkts) do
    if mn_req(p, ag) and p["eth.src"] then
      m[p["mip4.rrq.home"]] = m[p["mip4.rrq.home"]] or {}
      m[p["mip4.rrq.home"]][p["eth.src"]] = true
    end
  end
  return m
end

-- Gratuitous ARPs by address: {addr = list of {t, sha}}.
local function garps(pkts)
  local g = {}
  for _, p in ipairs(pkts) do
    local a = p["arp.op"] and p["arp.spa"]
    if a and p["arp.tpa"] == a and p["eth.dst"] == "ff:ff:ff:ff:ff:ff" then push(g, a, { t = p.t, sha = p["arp.sha"] }) end
  end
  return g
end

-- The links a capture shows of each home agent's home network (§4.6 applies
-- there): where it advertises H, or sends ARP from its own address.
-- home_links(pkts, ag) -> { [link/ha] = true, [ha] = true }.
local function home_links(pkts, ag)
  local h = {}
  for at in pairs(ag.ha_at) do h[at] = true end
  for a in pairs(ag.ha) do h[a] = true end
  for _, p in ipairs(pkts) do
    local spa = p["arp.op"] and p["arp.spa"]
    if spa and p["arp.tpa"] ~= spa then h[p.link .. "/" .. spa] = true h[spa] = true end
  end
  return h
end

-- The first gratuitous ARP of list in [from, to] that ok(sha) accepts.
local function garp_in(list, from, to, ok)
  if not list then return nil end
  for i = first_at(list, from), #list do
    local x = list[i]
    if x.t > to then return nil end
    if ok(x.sha) then return x end
  end
end

rule {
  id = "mip4.ha.garp", rfc = "RFC 5944 §4.6",
  text = "a home agent that starts a binding for a node it had none for broadcasts a gratuitous ARP for the home address within 1 s",
  select = ARP_REG,
  check = function(pkts)
    -- judged where the capture shows the home agent's home link
    local ag = agents(pkts)
    local b, macs, g, home, n = bindings(pkts), mn_macs(pkts, ag), garps(pkts), home_links(pkts, ag), 0
    for h, list in pairs(b) do
      local was_on = false
      for _, e in ipairs(list) do
        if e.on and not was_on and home[e.ha] then
          n = n + 1
          local ok = garp_in(g[h], e.r.t - 0.05, e.r.t + 1, function(sha) return not (macs[h] or {})[sha] end)
          if not ok then
            return fail { expected = "a gratuitous ARP for " .. h .. " from the home agent within 1 s",
                          seen = "none", packet = e.r }
          end
        end
        was_on = e.on
      end
    end
    if n == 0 then return na("no binding started with the home agent's link in the capture") end
    return pass(n .. " bindings announced")
  end,
}

rule {
  id = "mip4.mn.garp", rfc = "RFC 5944 §4.6",
  text = "a mobile node that returns home broadcasts a gratuitous ARP for its home address with its own hardware address",
  select = ARP_REG,
  check = function(pkts)
    local ag = agents(pkts)
    local macs, g, pr, n = mn_macs(pkts, ag), garps(pkts), pairing(pkts, ag), 0
    for _, r in ipairs(pkts) do
      if is_rep(r) and accepted(r) and r["ip.dst"] == r["mip4.rrp.home"] and r["mip4.rrp.lifetime"] == 0 then
        local h = r["mip4.rrp.home"]
        local q = pr.back[r]
        if q and q["mip4.rrq.coa"] == h then
          n = n + 1
          local ok = garp_in(g[h], q.t - 2, r.t + 1, function(sha) return (macs[h] or {})[sha] end)
          if not ok then
            return fail { expected = "a gratuitous ARP for " .. h .. " from the mobile node around its deregistration",
                          seen = "none", packet = r, packets = { q, r } }
          end
        end
      end
    end
    if n == 0 then return na("no deregistration at home") end
    return pass(n .. " returns home announced")
  end,
}

rule {
  id = "mip4.ha.proxyarp", rfc = "RFC 5944 §4.6",
  text = "while a mobile node is away, a broadcast ARP request for its home address is answered with the home agent's hardware address",
  select = ARP_REG,
  check = function(pkts)
    -- judged on the home link only (a mobile node away answers its foreign
    -- agent's ARP itself): one where the capture shows its home agent
    local ag = agents(pkts)
    local b, macs, home, n = bindings(pkts), mn_macs(pkts, ag), home_links(pkts, ag), 0
    local replies = index_of(pkts, function(p) return p["arp.op"] == 2 and p["arp.spa"] ~= nil end,
                             function(p) return p.link .. "/" .. p["arp.spa"] end)
    for _, q in ipairs(pkts) do
      local e = q["arp.op"] == 1 and q["arp.spa"] ~= q["arp.tpa"] and binding_at(b, q["arp.tpa"], q.t)
      -- the home agent's own probes, and unicast requests it does not receive, are not its to answer
      if e and q["arp.spa"] ~= e.ha and q["eth.dst"] == "ff:ff:ff:ff:ff:ff" and home[q.link .. "/" .. e.ha] then
        local h = q["arp.tpa"]
        n = n + 1
        local l = replies[q.link .. "/" .. h]
        local x = l and l[first_at(l, q.t)]
        local r = x and x.t <= q.t + 1 and x.p
        if not r then
          return fail { expected = "a proxy ARP reply for " .. h .. " within 1 s", seen = "none", packet = q }
        end
        if (macs[h] or {})[r["arp.sha"]] then
          return fail { expected = "the home agent's hardware address", seen = r["arp.sha"] .. " (the mobile node's)",
                        packet = r, packets = { q, r } }
        end
      end
    end
    if n == 0 then return na("no ARP request on a home link for a home address while away") end
    return pass(n .. " answered by proxy")
  end,
}
