-- mip6.lua — Mobile IPv6 (RFC 6275) conformance, with the RFC 4285 MN-HA
-- authentication options. Rules judge any implementation's captures: the
-- home agents, correspondents, home and care-of addresses are learnt from
-- the Binding Updates and Acknowledgements in the capture (a BU with H set
-- names a home agent, one without a correspondent); `--role ha=ADDR`,
-- `--role cn=ADDR`, `--role mn=ADDR` (or topology roles mip6.ha, mip6.cn)
-- add to what is learnt. docs/mip6-rules.md lists the rules and how to check
-- a pcap from another stack.
--
-- Conventions: a packet's Mobility Header is taken at depth 0, or one level
-- down when tunnelled (a HoTI in the reverse tunnel). The same frame seen on
-- several links counts once where that matters (timing rules work per link).

-- Helpers -------------------------------------------------------------
-- Frames the decoder found malformed or truncated are decode.malformed's
-- business: sel() makes selectors that take only well-formed frames.
local WELL_FORMED = { "ok", "unknown" }
local function sel(...)          -- selectors (tables or lists of them), well-formed frames only
  local out = {}
  for _, l in ipairs({ ... }) do
    if l[1] == nil then l = { l } end
    for _, s in ipairs(l) do
      local c = {}
      for k, v in pairs(s) do c[k] = v end
      if c.verdict == nil then c.verdict = WELL_FORMED end
      out[#out + 1] = c
    end
  end
  return out
end
local MH_ANY = { { mh = true }, { ["inner.mh"] = true } }
local MH_SEL = sel(MH_ANY)

local BRR, HOTI, COTI, HOT, COT, BU, BA, BE = 0, 1, 2, 3, 4, 5, 6, 7
local MH_MIN = { [0] = 8, 16, 16, 24, 24, 12, 12, 24 }   -- §9.2 minimum bytes by type
local OPT_AUTH, OPT_REPLAY, OPT_NI, OPT_BAD = 9, 10, 4, 5
local MAX_RR_BINDING_LIFETIME = 420    -- §12, seconds
local MAX_TOKEN_LIFETIME = 210         -- §12
local SLACK = 0.05                     -- s: packets in flight when state changes

-- The prefix of the Mobility Header's fields: "" at depth 0, "inner." tunnelled.
local function mhd(p)
  if p["mh"] then return "" end
  if p["inner.mh"] then return "inner." end
end
local function mhf(p, name) local d = mhd(p); return d and p[d .. name] end

local function hex2bin(h)
  return (h:gsub("%x%x", function(x) return string.char(tonumber(x, 16)) end))
end
local function bin2hex(b)
  return (b:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end
-- IPv6 text -> 16 bytes
local function a6(s)
  local function groups(x)
    local t = {}
    if x ~= "" then for g in x:gmatch("[^:]+") do t[#t + 1] = tonumber(g, 16) end end
    return t
  end
  local head, tail = s:match("^(.-)::(.*)$")
  local h, t
  if head then h, t = groups(head), groups(tail) else h, t = groups(s), {} end
  local out = {}
  for _, g in ipairs(h) do out[#out + 1] = g end
  for _ = 1, 8 - #h - #t do out[#out + 1] = 0 end
  for _, g in ipairs(t) do out[#out + 1] = g end
  return string.pack(">I2I2I2I2I2I2I2I2", table.unpack(out))
end
-- the bytes of the Mobility Header (depth d) and its 1-based position in the frame
local function mh_bytes(p)
  local d = mhd(p)
  return p:bytes(d .. "mh"), p:offset(d .. "mh")
end

-- BU and BA summaries (depth 0 only: what a node sent or received)
local function bu_info(p)
  local src = p["ip6.src"]
  local hoa = p["ip6.hao"] or src
  local coa = p["mh.opt.acoa"] or src
  local life = p["mh.bu.lifetime"]
  return { p = p, t = p.t, src = src, hoa = hoa, coa = coa, peer = p["ip6.dst"],
           seq = p["mh.bu.seq"], H = p["mh.bu.flags.H"] == 1, A = p["mh.bu.flags.A"] == 1,
           K = p["mh.bu.flags.K"] == 1, life = life, dereg = life == 0 or coa == hoa }
end
local function ba_info(p)
  local dst = p["ip6.dst"]
  return { p = p, t = p.t, peer = p["ip6.src"], coa = dst, hoa = p["ip6.rh2.addr"] or dst,
           seq = p["mh.ba.seq"], status = p["mh.ba.status"], life = p["mh.ba.lifetime"] }
end

local function seq_gt(a, b) local d = (a - b) % 65536; return d ~= 0 and d < 32768 end

-- The model of a capture: BUs, BAs (each BA paired with the BU it answers),
-- bindings (peer, hoa, coa, H, t0, t1), home agents, correspondents, home
-- addresses, and the indexes the rules look things up in (docs/checks.md:
-- every look-back is an index probe, never a scan). It depends only on the
-- well-formed Mobility Headers at depth 0, which every rule that asks for it
-- selects: built once per check run (per_pass) and shared.
local function T0(b) return b.t0 end
local function push(ix, k, x)
  local l = ix[k]
  if not l then l = {}; ix[k] = l end
  l[#l + 1] = x
end
-- bindings are indexed by peer|hoa|H|coa with "*" for any: within one list
-- the bindings follow each other (t0 ascending, each ended no later than the
-- next began), so t1 ascends too and a binary search on t0 answers "which
-- binding holds at t" and "does any overlap [t0, t1]".
local function bind_add(m, nb)
  nb.i = #m.bind + 1
  m.bind[nb.i] = nb
  local base, h = nb.peer .. "|" .. nb.hoa .. "|", tostring(nb.H)
  push(m.bx, base .. "*|*", nb)
  push(m.bx, base .. h .. "|*", nb)
  push(m.bx, base .. "*|" .. nb.coa, nb)
  push(m.bx, base .. h .. "|" .. nb.coa, nb)
  local ps = m.bpeers[nb.hoa]
  if not ps then ps = {}; m.bpeers[nb.hoa] = ps end
  if not ps[nb.peer] then ps[nb.peer] = true; ps[#ps + 1] = nb.peer end
end
local function model_build(pkts, ctx)
  local m = { bus = {}, bas = {}, bind = {}, ha = {}, cn = {}, hoa = {}, coa = {}, bx = {}, bpeers = {} }
  for _, who in ipairs({ "mip6.ha", "ha" }) do
    for _, a in ipairs(ctx and addrs(ctx, who) or {}) do m.ha[a] = true end
  end
  for _, who in ipairs({ "mip6.cn", "cn" }) do
    for _, a in ipairs(ctx and addrs(ctx, who) or {}) do m.cn[a] = true end
  end
  local open = {}        -- peer|hoa -> binding
  local last_bu = {}     -- peer|hoa|src -> the last BU (a status 135 BA answers it)
  local seq_bu = {}      -- peer|hoa|src|seq -> the last BU with that number
  for _, p in ipairs(pkts) do
    local ty = p["mh.type"]
    if ty == BU then
      local b = bu_info(p)
      b.i = #m.bus + 1
      m.bus[b.i] = b
      local k = b.peer .. "|" .. b.hoa .. "|" .. b.src
      last_bu[k] = b
      seq_bu[k .. "|" .. tostring(b.seq)] = b
      if b.H then m.ha[b.peer] = true; m.hoa[b.hoa] = true end
      if not b.dereg then m.coa[b.coa] = true end
    elseif ty == BA then
      local a = ba_info(p)
      m.bas[#m.bas + 1] = a
      local k = a.peer .. "|" .. a.hoa .. "|" .. a.coa
      local b = a.status == 135 and last_bu[k] or seq_bu[k .. "|" .. tostring(a.seq)]
      if b then a.bu = b; b.ba = b.ba or a end
      if a.bu and not a.bu.H then m.cn[a.peer] = true end
      if a.bu and a.status < 128 then
        local kb = a.peer .. "|" .. a.hoa
        local cur = open[kb]
        if a.bu.dereg then
          if cur and cur.t1 > a.t then cur.t1 = a.t end
          open[kb] = nil
        elseif not (cur and cur.coa == a.bu.coa and cur.seq == a.seq) then
          if cur and cur.t1 > a.t then cur.t1 = a.t end
          local nb = { peer = a.peer, hoa = a.hoa, coa = a.bu.coa, H = a.bu.H, seq = a.seq,
                       t0 = a.t, t1 = a.t + 4 * a.life, ba = a }
          bind_add(m, nb)
          open[kb] = nb
        end
      end
    end
  end
  return m
end
local function model(pkts, ctx)
  return per_pass(ctx, "mip6.model", function() return model_build(pkts, ctx) end)
end
-- an index of the model, built on first use: m[name] = build(m)
local function mix(m, name, build)
  local v = m[name]
  if v == nil then v = build(m); m[name] = v end
  return v
end
local function hk(H) return H == nil and "*" or tostring(H) end
-- the binding of peer for hoa valid at time t (peer nil: any home agent);
-- the latest one when several are
local function bound_in(m, k, t)
  local _, b = last_at(m.bx[k], t, false, T0)
  if b and b.t1 >= t then return b end
end
local function bound(m, peer, hoa, t, H)
  if peer then return bound_in(m, peer .. "|" .. hoa .. "|" .. hk(H) .. "|*", t) end
  local best
  for _, pr in ipairs(m.bpeers[hoa] or {}) do
    local b = bound_in(m, pr .. "|" .. hoa .. "|" .. hk(H) .. "|*", t)
    if b and (not best or b.i > best.i) then best = b end
  end
  return best
end
-- a binding overlapping [t0, t1] (the one that began last before t1)
local function any_bind(m, peer, hoa, t0, t1, H, coa)
  local _, b = last_at(m.bx[peer .. "|" .. hoa .. "|" .. hk(H) .. "|" .. (coa or "*")], t1, false, T0)
  if b and b.t1 >= t0 then return b end
end
-- the time of the first home registration (BU with H) for hoa in the
-- capture: before it, the capture cannot tell which binding held
local function first_hreg(m, hoa)
  local t = mix(m, "first_hreg", function()
    local f = {}
    for _, b in ipairs(m.bus) do if b.H and not f[b.hoa] then f[b.hoa] = b.t end end
    return f
  end)
  return t[hoa] or math.huge
end
-- BUs and BAs by a key made of their fields (lists in time order)
local function bus_by(m, name, keyf) return mix(m, name, function() return index(m.bus, keyf) end) end
local function bas_by(m, name, keyf) return mix(m, name, function() return index(m.bas, keyf) end) end
local function bu_ph(m) return bus_by(m, "bu_ph", function(b) return b.peer .. "|" .. b.hoa end) end
local function ba_ph(m) return bas_by(m, "ba_ph", function(a) return a.peer .. "|" .. a.hoa end) end
local function ba_phc(m) return bas_by(m, "ba_phc", function(a) return a.peer .. "|" .. a.hoa .. "|" .. a.coa end) end

-- packets of pkts that are Mobility Headers of type ty at depth 0
local function mh_of(pkts, ty)
  return filter(pkts, function(p) return p["mh.type"] == ty end)
end
local function is_data(p, d)
  d = d or ""
  return p[d .. "mh"] == nil and (p[d .. "traffic"] ~= nil or p[d .. "icmp6.type"] == 128 or p[d .. "icmp6.type"] == 129 or
                                  p[d .. "udp"] ~= nil or p[d .. "tcp"] ~= nil)
end
local function tally(n, what, none)
  if n == 0 then return na(none) end
  return pass(n .. " " .. what)
end

-- §6.1.1 Mobility Header format --------------------------------------
rule {
  id = "mip6.mh.pproto", rfc = "RFC 6275 §6.1.1",
  text = "the Mobility Header's Payload Proto is 59 (IPPROTO_NONE)",
  select = MH_SEL,
  check = function(pkts)
    return each(pkts, function(p) local v = mhf(p, "mh.pproto"); return v == 59, v end, 59,
                "no Mobility Header seen")
  end,
}

rule {
  id = "mip6.mh.len", rfc = "RFC 6275 §6.1.1, §9.2",
  text = "the Header Len (8-octet units, not counting the first 8) matches the message and is at least the type's minimum",
  select = MH_ANY,            -- malformed lengths included
  check = function(pkts)
    -- a frame cut by the capture (truncated) is decode.malformed's: its
    -- header length cannot be held against bytes that were not captured
    local ps = filter(pkts, function(p) return p.verdict ~= "truncated" end)
    return each(ps, function(p)
      local b = mh_bytes(p)
      local len, ty = mhf(p, "mh.len"), mhf(p, "mh.type")
      if p.verdict == "malformed" and (p.reason or ""):match("mh") then return false, p.reason end
      if not b or not len then return false, "header length absent" end
      if (len + 1) * 8 ~= #b then return false, string.format("len %d for %d bytes", len, #b) end
      local min = MH_MIN[ty]
      if min and #b < min then return false, string.format("%d bytes for type %d (minimum %d)", #b, ty, min) end
      return true
    end, "(len + 1) * 8 = the header's bytes, at least the type's minimum", "no Mobility Header seen")
  end,
}

rule {
  id = "mip6.mh.reserved", rfc = "RFC 6275 §6.1.1",
  text = "the Mobility Header's Reserved octet is zero",
  select = MH_SEL,
  check = function(pkts)
    return each(pkts, function(p) local b = mh_bytes(p); return b:byte(4) == 0, b:byte(4) end, 0,
                "no Mobility Header seen")
  end,
}

rule {
  id = "mip6.mh.cksum", rfc = "RFC 6275 §6.1.1, §9.2",
  text = "the Mobility Header checksum is valid over the pseudo-header (home address for a HAO, final destination for an RH2)",
  select = MH_SEL,
  check = function(pkts)
    return each(pkts, function(p) local v = mhf(p, "mh.cksum_ok"); return v == 1, v == 0 and "bad" or v end,
                "valid", "no Mobility Header seen")
  end,
}

rule {
  id = "mip6.mh.addr", rfc = "RFC 6275 §6.1.7, §9.5.1",
  text = "Mobility Headers are sent between unicast addresses (not from the unspecified or a multicast address, not to a multicast address)",
  select = MH_SEL,
  check = function(pkts)
    return each(pkts, function(p)
      local d = mhd(p)
      local s, t = p[d .. "ip6.src"], p[d .. "ip6.dst"]
      if is_unspecified6(s) or is_multicast6(s) or is_multicast6(t) then return false, s .. " -> " .. t end
      return true
    end, "unicast source and destination", "no Mobility Header seen")
  end,
}

-- Reserved fields of the messages ------------------------------------
local function reserved_rule(id, rfc, text, types, fn)
  rule {
    id = id, rfc = rfc, text = text, select = MH_SEL,
    check = function(pkts)
      local ps = filter(pkts, function(p) return types[mhf(p, "mh.type")] end)
      return each(ps, function(p) local b = mh_bytes(p); local v = fn(b); return v == 0, string.format("0x%x", v) end,
                  "0", "no message of this type seen")
    end,
  }
end
reserved_rule("mip6.bu.reserved", "RFC 6275 §6.1.7",
  "the Binding Update's reserved bits (after the A H L K flags and the M R P of later RFCs) are zero",
  { [BU] = true }, function(b) return string.unpack(">I2", b, 9) & 0x01ff end)
reserved_rule("mip6.ba.reserved", "RFC 6275 §6.1.8",
  "the Binding Acknowledgement's reserved bits (after K and the R P of later RFCs) are zero",
  { [BA] = true }, function(b) return b:byte(8) & 0x1f end)
reserved_rule("mip6.ti.reserved", "RFC 6275 §6.1.3, §6.1.4",
  "the HoTI's and CoTI's Reserved field is zero",
  { [HOTI] = true, [COTI] = true }, function(b) return string.unpack(">I2", b, 7) end)
reserved_rule("mip6.be.reserved", "RFC 6275 §6.1.9",
  "the Binding Error's Reserved octet is zero",
  { [BE] = true }, function(b) return b:byte(8) end)

-- §6.2 options ---------------------------------------------------------
-- alignment xn+y of the option type byte, from the start of the header
local OPT_ALIGN = {
  { field = "mh.opt.bad.authenticator", back = 2, x = 8, y = 2, name = "Binding Authorization Data" },
  { field = "mh.opt.acoa", back = 2, x = 8, y = 6, name = "Alternate Care-of Address" },
  { field = "mh.opt.ni.home", back = 2, x = 2, y = 0, name = "Nonce Indices" },
  { field = "mh.opt.bra.interval", back = 2, x = 2, y = 0, name = "Binding Refresh Advice" },
}
rule {
  id = "mip6.opt.align", rfc = "RFC 6275 §6.2.4-§6.2.7",
  text = "mobility options sit at their alignment (BRA 2n, Alt-CoA 8n+6, Nonce Indices 2n, BAD 8n+2)",
  select = sel({ { ["mh.opt.bad.authenticator"] = true }, { ["mh.opt.acoa"] = true },
                 { ["mh.opt.ni.home"] = true }, { ["mh.opt.bra.interval"] = true } }),
  check = function(pkts)
    return each(pkts, function(p)
      for _, a in ipairs(OPT_ALIGN) do
        local o = p:offset(a.field)
        if o then
          local at = o - a.back - p:offset("mh")
          if at % a.x ~= a.y then return false, string.format("%s at %d (mod %d = %d)", a.name, at, a.x, at % a.x) end
        end
      end
      return true
    end, "each option at its alignment", "no aligned option seen")
  end,
}

local OPT_LEN = { [2] = 2, [3] = 16, [4] = 4, [5] = 12, [9] = 17, [10] = 8 }
rule {
  id = "mip6.opt.len", rfc = "RFC 6275 §6.2.4-§6.2.7; RFC 4285 §5, §6",
  text = "known mobility options have their fixed length (BRA 2, Alt-CoA 16, NI 4, BAD 12, MN-HA auth 17, replay 8)",
  select = { ["mh.opt.type"] = { 2, 3, 4, 5, 9, 10 }, verdict = { "ok", "unknown", "malformed" } },   -- malformed lengths included, cut frames not
  check = function(pkts)
    return each(pkts, function(p)
      local ts, ls = p:all("mh.opt.type"), p:all("mh.opt.len")
      for i, ty in ipairs(ts) do
        local want = OPT_LEN[ty]
        if want and ls[i] ~= want then return false, string.format("option %d length %s (expected %d)", ty, tostring(ls[i]), want) end
      end
      return true
    end, "fixed option lengths", "no fixed-length option seen")
  end,
}

-- §6.1.7, §6.1.8 BU/BA -------------------------------------------------
rule {
  id = "mip6.ba.lifetime", rfc = "RFC 6275 §6.1.8, §9.5.1, §10.3.1",
  text = "the lifetime granted in a Binding Acknowledgement (4 s units) is not greater than the lifetime requested",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    for _, a in ipairs(m.bas) do
      if a.bu and a.status < 128 and a.bu.seq == a.seq then
        n = n + 1
        if a.life > a.bu.life then
          return fail { expected = string.format("at most %d (%d s)", a.bu.life, 4 * a.bu.life),
                        seen = string.format("%d (%d s)", a.life, 4 * a.life), packet = a.p, packets = { a.bu.p, a.p } }
        end
      end
    end
    return tally(n, "granted lifetimes checked", "no accepted BU/BA pair seen")
  end,
}

rule {
  id = "mip6.ba.seq", rfc = "RFC 6275 §6.1.8",
  text = "a Binding Acknowledgement copies the sequence number of the Binding Update it answers (status 135: the last accepted one)",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    local sent = bus_by(m, "bu_ps", function(b) return b.peer .. "|" .. b.src end)
    for _, a in ipairs(m.bas) do
      -- judged when the capture holds a BU from the BA's destination to the
      -- peer before the BA: a capture that starts mid-exchange lacks the BU
      -- it answers (not applicable)
      if a.status ~= 135 and (a.bu or last_at(sent[a.peer .. "|" .. a.coa], a.t)) then
        n = n + 1
        -- a BA without a type 2 routing header names no home address: it
        -- copies the number of a BU from its destination all the same
        -- (the missing RH2 is mip6.ba.dst's business)
        local seqs = bus_by(m, "bu_pss", function(b) return b.peer .. "|" .. b.src .. "|" .. tostring(b.seq) end)
        if not a.bu and not a.p["ip6.rh2.addr"] and last_at(seqs[a.peer .. "|" .. a.coa .. "|" .. tostring(a.seq)], a.t) then
          goto next
        end
        if not a.bu then
          return fail { expected = "a Binding Update with sequence number " .. a.seq .. " from " .. a.coa .. " before it",
                        seen = "none", packet = a.p }
        end
      end
      ::next::
    end
    return tally(n, "acknowledgements matched", "no Binding Acknowledgement whose exchange the capture holds")
  end,
}

-- the last BU for peer|hoa (in capture order) whose first acknowledgement
-- accepted it before t: accepted BUs by the time of that acknowledgement,
-- with the running maximum of their position
local function last_accepted(m, peer, hoa, t)
  local acc = mix(m, "acc", function()
    local ix = {}
    for _, b in ipairs(m.bus) do
      if b.ba and b.ba.status < 128 then push(ix, b.peer .. "|" .. b.hoa, { t = b.ba.t, b = b }) end
    end
    for _, l in pairs(ix) do
      table.sort(l, function(x, y) return x.t < y.t end)
      local best
      for _, e in ipairs(l) do
        if not best or e.b.i > best.i then best = e.b end
        e.best = best
      end
    end
    return ix
  end)
  local _, e = last_at(acc[peer .. "|" .. hoa], t, true)
  return e and e.best
end

rule {
  id = "mip6.ba.seq135", rfc = "RFC 6275 §6.1.8, §9.5.1",
  text = "a Binding Acknowledgement with status 135 carries the last accepted sequence number",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    for _, a in ipairs(m.bas) do
      if a.status == 135 then
        n = n + 1
        local last = last_accepted(m, a.peer, a.hoa, a.t)
        if a.bu and a.bu.seq == a.seq and a.seq ~= (last and last.seq) then
          return fail { expected = "the last accepted sequence number" .. (last and (" " .. last.seq) or ""),
                        seen = "the rejected BU's own number " .. a.seq, packet = a.p, packets = { a.bu.p, a.p } }
        end
        if last and a.seq ~= last.seq then
          return fail { expected = tostring(last.seq), seen = tostring(a.seq), packet = a.p, packets = { last.p, a.p } }
        end
      end
    end
    return tally(n, "status 135 acknowledgements checked", "no Binding Acknowledgement with status 135 seen")
  end,
}

-- next_seq(m, l)[i]: the position of the first BU after l[i] with another
-- sequence number (l a list of BUs), computed once per list
local function next_seq(m, l)
  local all = mix(m, "next_seq", function() return setmetatable({}, { __mode = "k" }) end)
  local nd = all[l]
  if not nd then
    nd = {}
    for i = #l - 1, 1, -1 do
      nd[i] = l[i + 1].seq ~= l[i].seq and i + 1 or nd[i + 1]
    end
    all[l] = nd
  end
  return nd
end

rule {
  id = "mip6.bu.seq.after135", rfc = "RFC 6275 §11.7.3",
  text = "after a status 135 acknowledgement the mobile node's next BU to that peer uses a sequence number above the one the BA carried",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    for _, a in ipairs(m.bas) do
      if a.status == 135 then
        -- the first BU after the BA that is not a copy of the rejected one
        local l = bu_ph(m)[a.peer .. "|" .. a.hoa]
        local i, b = first_at(l, a.t, true)
        if b and a.bu and b.seq == a.bu.seq then
          local nd = next_seq(m, l)
          b = nd[i] and l[nd[i]]
        end
        if b then
          n = n + 1
          if not seq_gt(b.seq, a.seq) then
            return fail { expected = "a sequence number above " .. a.seq, seen = tostring(b.seq),
                          packet = b.p, packets = { a.p, b.p } }
          end
        end
      end
    end
    return tally(n, "resynchronised BUs checked", "no BU after a status 135 acknowledgement")
  end,
}

rule {
  id = "mip6.ba.seq.stale", rfc = "RFC 6275 §9.5.1",
  text = "a home agent or correspondent with a binding for the home address does not accept (status below 128) a Binding Update whose sequence number is older, mod 2^16, than the last one it accepted",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    for _, a in ipairs(m.bas) do
      local b = a.bu
      -- judged when the capture holds the binding the BU arrived at
      local cur = b and a.status < 128 and bound(m, a.peer, a.hoa, b.t)
      if cur and cur.ba ~= a then
        n = n + 1
        if seq_gt(cur.seq, b.seq) then
          return fail { expected = "status 135 (sequence number " .. b.seq .. " is older than the accepted " .. cur.seq .. ")",
                        seen = "status " .. a.status, packet = a.p, packets = { cur.ba.p, b.p, a.p } }
        end
      end
    end
    return tally(n, "acceptances of a BU for a bound home address checked", "no BU accepted while the capture shows a binding")
  end,
}

-- a BU captured twice on one link by duplication (same bytes, within
-- DUP_GAP) is one transmission
local DUP_GAP = 0.1
rule {
  id = "mip6.bu.seq.retrans", rfc = "RFC 6275 §11.8",
  text = "a mobile node retransmitting a Binding Update uses a sequence number greater than the previous transmission's (never the same one twice)",
  select = sel({ ["mh.type"] = BU }),
  check = function(pkts)
    local last, n = {}, 0   -- link|src|peer|hoa -> the previous BU
    for _, p in ipairs(pkts) do
      local b = bu_info(p)
      local k = p.link .. "|" .. b.src .. "|" .. b.peer .. "|" .. b.hoa
      local prev = last[k]
      local dup = prev and prev.seq == b.seq and p.t - prev.t < DUP_GAP and prev.p:bytes("mh") == p:bytes("mh")
      if prev and not dup then
        n = n + 1
        if prev.seq == b.seq then
          return fail { expected = "a sequence number above " .. prev.seq, seen = "the same number again "
                        .. string.format("%.3f s later", p.t - prev.t), packet = p, packets = { prev.p, p } }
        end
      end
      if not dup then last[k] = b end
    end
    return tally(n, "successive Binding Updates checked", "no mobile node sent two Binding Updates")
  end,
}

local HA_CODES = { [128] = 1, [129] = 1, [130] = 1, [131] = 1, [132] = 1, [133] = 1, [134] = 1, [135] = 1,
                   [139] = 1, [144] = 1, [145] = 1, [146] = 1 }
local CN_CODES = { [128] = 1, [129] = 1, [130] = 1, [135] = 1, [136] = 1, [137] = 1, [138] = 1, [139] = 1 }
local function status_rule(id, rfc, text, H, codes, list)
  rule {
    id = id, rfc = rfc, text = text, select = MH_SEL,
    check = function(pkts, ctx)
      local m, n = model(pkts, ctx), 0
      for _, a in ipairs(m.bas) do
        if a.bu and a.bu.H == H then
          n = n + 1
          if a.status >= 128 and not codes[a.status] then
            return fail { expected = "accepted (< 128) or one of " .. list, seen = tostring(a.status),
                          packet = a.p, packets = { a.bu.p, a.p } }
          end
        end
      end
      return tally(n, "status codes checked", "no acknowledged BU of this kind")
    end,
  }
end
status_rule("mip6.ba.status.home", "RFC 6275 §6.1.8, §10.3.1; RFC 4285 §8",
  "a home agent answers a home registration with an accepted status or a home registration code (128-135, 139, 144-146), never the correspondent's 136-138",
  true, HA_CODES, "128-135, 139, 144-146")
status_rule("mip6.ba.status.cn", "RFC 6275 §6.1.8, §9.5.1",
  "a correspondent answers with an accepted status or one of its codes (128-130, 135, 136-139), never a home-registration-only code (131-134)",
  false, CN_CODES, "128-130, 135-139")

rule {
  id = "mip6.ba.answer", rfc = "RFC 6275 §9.5.1, §10.3.1",
  text = "a Binding Update with the A flag gets a Binding Acknowledgement within 3 s (of its last retransmission)",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    local last = pkts[#pkts] and pkts[#pkts].t or 0
    local bas, bus = ba_phc(m), bus_by(m, "bu_phs", function(b) return b.peer .. "|" .. b.hoa .. "|" .. b.src end)
    -- a BU sent again (or superseded) before any answer: the later one's answer counts
    local function retransmitted(b, ans)
      local _, c = first_at(bus[b.peer .. "|" .. b.hoa .. "|" .. b.src], b.t, true)
      return c and c.t <= (ans and ans.t or math.huge)
    end
    for _, b in ipairs(m.bus) do
      local _, ans = first_at(bas[b.peer .. "|" .. b.hoa .. "|" .. b.src], b.t)
      -- a BU answered in time counts however near the capture's end it was
      -- sent; an unanswered one only when the capture runs 3 s past it
      local ok = ans and ans.t <= b.t + 3
      if b.A and (ok or b.t + 3 <= last) and not retransmitted(b, ans) then
        n = n + 1
        if not ok then
          return fail { expected = "a Binding Acknowledgement from " .. b.peer .. " within 3 s", seen = "none",
                        packet = b.p }
        end
      end
    end
    return tally(n, "BUs with A answered", "no BU with the A flag seen")
  end,
}

rule {
  id = "mip6.ba.dst", rfc = "RFC 6275 §9.5.4, §10.3.1",
  text = "a Binding Acknowledgement goes to the source address of the BU (the care-of address), with a type 2 routing header carrying the home address when the BU came with a HAO",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    for _, a in ipairs(m.bas) do
      if a.bu then
        n = n + 1
        local b = a.bu
        if b.p["ip6.hao"] and b.p["ip6.hao"] ~= b.src then
          if a.p["ip6.rh2.addr"] ~= b.hoa then
            return fail { expected = "type 2 routing header with " .. b.hoa, seen = tostring(a.p["ip6.rh2.addr"] or "none"),
                          packet = a.p, packets = { b.p, a.p } }
          end
        end
      end
    end
    for _, a in ipairs(m.bas) do   -- unmatched BAs: to whom?
      if not a.bu and a.status ~= 135 then
        local bps = bus_by(m, "bu_pseq", function(b) return b.peer .. "|" .. tostring(b.seq) end)
        local _, to = last_at(bps[a.peer .. "|" .. tostring(a.seq)], a.t, true)
        if to then
          n = n + 1
          return fail { expected = "to " .. to.src .. (to.p["ip6.hao"] and (" with an RH2 " .. to.hoa) or ""),
                        seen = a.coa .. (a.p["ip6.rh2.addr"] and (" with an RH2 " .. a.p["ip6.rh2.addr"]) or ""),
                        packet = a.p, packets = { to.p, a.p } }
        end
      end
    end
    return tally(n, "acknowledgements checked", "no Binding Acknowledgement seen")
  end,
}

rule {
  id = "mip6.ba.K", rfc = "RFC 6275 §6.1.8",
  text = "the K flag of a Binding Acknowledgement is set only when the Binding Update had K",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    for _, a in ipairs(m.bas) do
      if a.bu then
        n = n + 1
        if a.p["mh.ba.flags.K"] == 1 and not a.bu.K then
          return fail { expected = "K clear (the BU had no K)", seen = "K set", packet = a.p, packets = { a.bu.p, a.p } }
        end
      end
    end
    return tally(n, "acknowledgements checked", "no acknowledged BU seen")
  end,
}

-- §11.7.1 home registration, RFC 4285 ------------------------------------
rule {
  id = "mip6.hreg.A", rfc = "RFC 6275 §11.7.1",
  text = "a home registration (H set) asks for an acknowledgement (A set)",
  select = sel({ ["mh.bu.flags.H"] = 1 }),
  check = function(pkts)
    return each(pkts, function(p) return p["mh.bu.flags.A"] == 1, "A = " .. tostring(p["mh.bu.flags.A"]) end,
                "A = 1", "no home registration seen")
  end,
}

rule {
  id = "mip6.hreg.hao", rfc = "RFC 6275 §6.1.7, §11.7.1",
  text = "a home registration from away (lifetime > 0) is sent from the care-of address with a Home Address option carrying the home address",
  select = sel({ ["mh.bu.flags.H"] = 1 }),
  check = function(pkts)
    -- a BU without a HAO shows its node away only when the capture holds
    -- a home registration from the same interface (MAC) naming another
    -- home address; else it reads as sent from home (mip6.dereg.lifetime)
    local homes = {}   -- MAC -> a home address it registered with a HAO
    for _, p in ipairs(pkts) do
      if p["ip6.hao"] and p["eth.src"] then homes[p["eth.src"]] = p["ip6.hao"] end
    end
    local ps = filter(pkts, function(p)
      if (p["mh.bu.lifetime"] or 0) == 0 then return false end
      if p["ip6.hao"] or p["mh.opt.acoa"] then return true end
      local h = homes[p["eth.src"] or ""]
      return h ~= nil and h ~= p["ip6.src"]
    end)
    return each(ps, function(p)
      local hao = p["ip6.hao"]
      if not hao then return false, "no Home Address option (source " .. p["ip6.src"] .. ")" end
      if hao == p["ip6.src"] and not p["mh.opt.acoa"] then return false, "source equals the home address " .. hao end
      return true
    end, "source the care-of address, HAO the home address", "no home registration from away seen")
  end,
}

rule {
  id = "mip6.hreg.auth", rfc = "RFC 4285 §4, §5",
  text = "home registrations and the home agent's acknowledgements carry the Mobility Message Authentication option (without IPsec)",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    local function has(p) for _, t in ipairs(p:all("mh.opt.type")) do if t == OPT_AUTH then return true end end end
    for _, b in ipairs(m.bus) do
      if b.H then
        n = n + 1
        if not has(b.p) then return fail { expected = "option 9 in the BU", seen = "absent", packet = b.p } end
      end
    end
    for _, a in ipairs(m.bas) do
      if a.bu and a.bu.H then
        n = n + 1
        if not has(a.p) then return fail { expected = "option 9 in the BA", seen = "absent", packet = a.p } end
      end
    end
    return tally(n, "home registration messages checked", "no home registration seen")
  end,
}

rule {
  id = "mip6.auth.last", rfc = "RFC 4285 §5",
  text = "the Mobility Message Authentication option is the last option of the message",
  select = sel({ ["mh.opt.type"] = OPT_AUTH }),
  check = function(pkts)
    return each(pkts, function(p)
      local ts = p:all("mh.opt.type")
      return ts[#ts] == OPT_AUTH, "options " .. table.concat(ts, ",")
    end, "option 9 last", "no authentication option seen")
  end,
}

rule {
  id = "mip6.auth.subtype", rfc = "RFC 4285 §5",
  text = "messages between a mobile node and its home agent use the MN-HA subtype (1)",
  select = sel({ ["mh.opt.type"] = OPT_AUTH }),
  check = function(pkts)
    return each(pkts, function(p) local v = p["mh.opt.auth.subtype"]; return v == 1, v end, 1, "no authentication option seen")
  end,
}

rule {
  id = "mip6.auth.spi", rfc = "RFC 4285 §5",
  text = "the Mobility SPI is not one of the reserved values 0-255",
  select = sel({ ["mh.opt.type"] = OPT_AUTH }),
  check = function(pkts)
    return each(pkts, function(p) local v = p["mh.opt.auth.spi"]; return v and v >= 256, v end, ">= 256",
                "no authentication option seen")
  end,
}

rule {
  id = "mip6.replay.echo", rfc = "RFC 4285 §6",
  text = "the home agent's acknowledgement returns the timestamp of the BU's replay protection option (except status 144, where it gives its own time)",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    -- a BU retransmitted with the same sequence number carries a new
    -- timestamp: the acknowledgement may answer any of them
    local sent = mix(m, "replay_ts", function()
      local t = {}
      for _, b in ipairs(m.bus) do
        t[b.peer .. "|" .. b.hoa .. "|" .. tostring(b.seq) .. "|" .. tostring(b.p["mh.opt.replay.ts"])] = true
      end
      return t
    end)
    for _, a in ipairs(m.bas) do
      local b = a.bu
      if b and b.H and b.p["mh.opt.replay.ts"] and a.status ~= 144 then
        n = n + 1
        local echoed = sent[b.peer .. "|" .. b.hoa .. "|" .. tostring(b.seq) .. "|" .. tostring(a.p["mh.opt.replay.ts"])]
        if not echoed then
          return fail { expected = tostring(b.p["mh.opt.replay.ts"]), seen = tostring(a.p["mh.opt.replay.ts"] or "no option"),
                        packet = a.p, packets = { b.p, a.p } }
        end
      end
    end
    return tally(n, "timestamps checked", "no home registration with a replay option answered")
  end,
}

rule {
  id = "mip6.hreg.noRR", rfc = "RFC 6275 §6.1.7, §6.2.7, §11.7.1",
  text = "a home registration carries no Nonce Indices or Binding Authorization Data, and a BU with Binding Authorization Data has H clear",
  select = sel({ ["mh.type"] = BU }),
  check = function(pkts)
    return each(pkts, function(p)
      local rr = p["mh.opt.ni.home"] ~= nil or p["mh.opt.bad.authenticator"] ~= nil
      if p["mh.bu.flags.H"] == 1 and rr then return false, "H set with return routability options" end
      return true
    end, "H and the return routability options apart", "no Binding Update seen")
  end,
}

-- neighbour advertisements of pkts by target, in time order
local function nas_by_target(pkts)
  return index(pkts, function(p) return p["icmp6.type"] == 136 and p["nd.na.target"] or nil end)
end

rule {
  id = "mip6.ha.na", rfc = "RFC 6275 §10.4.1",
  text = "after accepting a new home registration the home agent advertises the home address on the home link (unsolicited NA, O set, target the home address)",
  select = sel(MH_SEL, { { ["icmp6.type"] = 136 } }),
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    local seen = {}
    local nas = nas_by_target(pkts)
    local any = false
    for target in pairs(nas) do if m.hoa[target] then any = true end end
    if not any then
      return na("no advertisement of a home address in the capture (the home link not captured?)")
    end
    -- a binding is new unless the capture shows the home agent held one
    -- for that home address before (an acceptance, or status 135 naming a
    -- last accepted number) that the capture does not show the start of
    local bas = ba_ph(m)
    local function held_before(b)
      for _, a in ipairs(bas[b.peer .. "|" .. b.hoa] or {}) do
        if a.t >= b.t0 then return false end
        if a.status < 128 or a.status == 135 then return true end
      end
    end
    for _, b in ipairs(m.bind) do
      if b.H and not seen[b.hoa] then
        seen[b.hoa] = true
        if held_before(b) then goto next end
        n = n + 1
        local _, na_ = first_at(nas[b.hoa], b.t0 - SLACK)
        if na_ and na_.t > b.t0 + 1 then na_ = nil end
        if not na_ then
          return fail { expected = "an NA for " .. b.hoa .. " within 1 s", seen = "none", packet = b.ba.p }
        end
        if na_["nd.na.flags.O"] ~= 1 then
          return fail { expected = "O set", seen = "O clear", packet = na_ }
        end
      end
      ::next::
    end
    return tally(n, "home addresses defended", "no accepted home registration")
  end,
}

rule {
  id = "mip6.mn.na.home", rfc = "RFC 6275 §11.5.4",
  text = "back home, after the home agent acknowledges the deregistration, the mobile node advertises its home address (NA, O set)",
  select = sel(MH_SEL, { { ["icmp6.type"] = 136 } }),
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    local nas = nas_by_target(pkts)
    local any = false
    for target in pairs(nas) do if m.hoa[target] then any = true end end
    if not any then
      return na("no advertisement of a home address in the capture (the home link not captured?)")
    end
    for _, a in ipairs(m.bas) do
      if a.bu and a.bu.H and a.bu.dereg and a.status < 128 and a.bu.src == a.bu.hoa then
        n = n + 1
        local _, na_ = first_at(nas[a.hoa], a.t)
        if na_ and na_.t > a.t + 1 then na_ = nil end
        if not na_ or na_["nd.na.flags.O"] ~= 1 then
          return fail { expected = "an NA with O set for " .. a.hoa .. " within 1 s of the BA",
                        seen = na_ and "O clear" or "none", packet = na_ or a.p }
        end
      end
    end
    return tally(n, "returns home checked", "no deregistration from home acknowledged")
  end,
}

rule {
  id = "mip6.dereg.lifetime", rfc = "RFC 6275 §6.1.7, §11.5.4",
  text = "a Binding Update whose care-of address is the home address (returning home) has lifetime 0",
  select = sel({ ["mh.type"] = BU }),
  check = function(pkts)
    local ps = filter(pkts, function(p) local b = bu_info(p); return b.coa == b.hoa end)
    return each(ps, function(p) return p["mh.bu.lifetime"] == 0, p["mh.bu.lifetime"] end, 0,
                "no Binding Update with care-of = home address")
  end,
}

rule {
  id = "mip6.dereg.ba", rfc = "RFC 6275 §10.3.2",
  text = "the home agent acknowledges a deregistration with lifetime 0",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    for _, a in ipairs(m.bas) do
      if a.bu and a.bu.H and a.bu.dereg and a.status < 128 then
        n = n + 1
        if a.life ~= 0 then return fail { expected = "lifetime 0", seen = tostring(a.life), packet = a.p } end
      end
    end
    return tally(n, "deregistrations checked", "no deregistration acknowledged")
  end,
}

-- §10.4.2, §11.3.1 tunnelling ------------------------------------------
local TUN_SEL = sel(MH_SEL, { { ["ip6.nxt"] = 41 }, { ["inner.ip6"] = true } })
local function tunnelled(p) return p["inner.ip6"] ~= nil and p["inner.mh"] == nil end
-- any packet in an IPv6-in-IPv6 tunnel, Mobility Headers (HoTI, HoT) included
local function in_tunnel(p) return p["inner.ip6"] ~= nil end

rule {
  id = "mip6.tun.ha", rfc = "RFC 6275 §10.4.2",
  text = "packets for a bound home address are tunnelled from the home agent's address to the registered care-of address",
  select = TUN_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    for _, p in ipairs(pkts) do
      local hoa = p["inner.ip6.dst"]
      if in_tunnel(p) and m.hoa[hoa] and m.ha[p["ip6.src"]] and first_hreg(m, hoa) <= p.t then
        n = n + 1
        local b = bound(m, nil, hoa, p.t, true) or bound(m, nil, hoa, p.t - 0.5, true)
        if not b then
          return fail { expected = "a home binding for " .. hoa, seen = "tunnelled with none", packet = p }
        end
        if p["ip6.src"] ~= b.peer or (p["ip6.dst"] ~= b.coa and not any_bind(m, b.peer, hoa, p.t - 0.5, p.t, true)) then
          return fail { expected = b.peer .. " -> " .. b.coa, seen = p["ip6.src"] .. " -> " .. p["ip6.dst"], packet = p }
        end
        local ok = false
        for _, pr in ipairs(m.bpeers[hoa] or {}) do
          if any_bind(m, pr, hoa, p.t - 0.5, p.t, true, p["ip6.dst"]) then ok = true end
        end
        if not ok then
          return fail { expected = "to the care-of address " .. b.coa, seen = p["ip6.dst"], packet = p }
        end
      end
    end
    return tally(n, "tunnelled packets checked", "no packet tunnelled to a home address")
  end,
}

rule {
  id = "mip6.tun.dereg", rfc = "RFC 6275 §10.3.2",
  text = "after acknowledging a deregistration the home agent stops tunnelling to the old care-of address",
  select = TUN_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    -- tunnelled packets by source|inner destination, each with the
    -- position of the first one at or after it sent with no home binding
    local tun, unb = {}, {}
    for _, p in ipairs(pkts) do
      if tunnelled(p) then push(tun, p["ip6.src"] .. "|" .. p["inner.ip6.dst"], p) end
    end
    local function unbound_from(k, i)
      local u = unb[k]
      if not u then
        u = {}
        local l = tun[k]
        local peer, hoa = k:match("^(.-)|(.*)$")
        for j = #l, 1, -1 do u[j] = (not bound(m, peer, hoa, l[j].t, true)) and j or u[j + 1] end
        unb[k] = u
      end
      return u[i]
    end
    for _, a in ipairs(m.bas) do
      if a.bu and a.bu.H and a.bu.dereg and a.status < 128 then
        n = n + 1
        local k = a.peer .. "|" .. a.hoa
        local i = first_at(tun[k], a.t + SLACK, true)
        local j = i and unbound_from(k, i)
        local late = j and tun[k][j]
        if late then
          return fail { expected = "no tunnelling to " .. a.hoa .. " after the deregistration",
                        seen = "tunnelled to " .. late["ip6.dst"], packet = late, packets = { a.p, late } }
        end
      end
    end
    return tally(n, "deregistrations checked", "no deregistration acknowledged")
  end,
}

rule {
  id = "mip6.rtun", rfc = "RFC 6275 §11.3.1, §10.4.5",
  text = "reverse-tunnelled packets go from a care-of address the mobile node registered to its home agent, with the home address as inner source",
  select = TUN_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    for _, p in ipairs(pkts) do
      local hoa = p["inner.ip6.src"]
      -- reverse: towards a home agent, or from anyone but one (a home
      -- agent's own tunnel may carry a packet from another home address)
      -- judged when the capture holds a registration of that care-of
      -- address (a link captured alone may lack it), and a home
      -- registration for the home address before the packet
      if in_tunnel(p) and m.hoa[hoa] and (m.ha[p["ip6.dst"]] or not m.ha[p["ip6.src"]]) and
         m.coa[p["ip6.src"]] and first_hreg(m, hoa) <= p.t then
        n = n + 1
        local regs = bus_by(m, "hbu_hc", function(b) return b.H and (b.hoa .. "|" .. b.coa) or nil end)
        local _, reg = last_at(regs[hoa .. "|" .. p["ip6.src"]], p.t)
        if not reg or p["ip6.dst"] ~= reg.peer then
          return fail { expected = "from a registered care-of address to the home agent" .. (reg and (" " .. reg.peer) or ""),
                        seen = p["ip6.src"] .. " -> " .. p["ip6.dst"], packet = p }
        end
      elseif in_tunnel(p) and not m.hoa[hoa] and m.coa[p["ip6.src"]] and m.ha[p["ip6.dst"]] then
        n = n + 1
        return fail { expected = "an inner source that is a home address", seen = tostring(hoa), packet = p }
      end
    end
    return tally(n, "reverse-tunnelled packets checked", "no reverse-tunnelled packet")
  end,
}

-- the same datagram before and inside the tunnel: roam traffic or an echo
local function dgram_key(p, d)
  if p[d .. "traffic.flow"] then return "t" .. p[d .. "traffic.flow"] .. ":" .. p[d .. "traffic.seq"] end
  if p[d .. "icmp6.echo.id"] then
    return "e" .. p[d .. "ip6.src"] .. ":" .. p[d .. "icmp6.type"] .. ":" .. p[d .. "icmp6.echo.id"] .. ":" .. p[d .. "icmp6.echo.seq"]
  end
end
rule {
  id = "mip6.tun.hlim", rfc = "RFC 6275 §10.4.2; RFC 2473 §3.1",
  text = "the home agent forwards before it encapsulates: the inner hop limit is below the hop limit the packet reached the home agent with",
  select = sel(TUN_SEL, { { traffic = true }, { ["icmp6.type"] = { 128, 129 } } }),
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    local arrived = {}   -- key -> hop limit seen last before the tunnel
    for _, p in ipairs(pkts) do
      if not p["inner.ip6"] and m.hoa[p["ip6.dst"] or ""] and not m.coa[p["ip6.src"] or ""] then
        local k = dgram_key(p, "")
        if k then arrived[k] = p["ip6.hlim"] end
      elseif tunnelled(p) and m.hoa[p["inner.ip6.dst"]] and m.ha[p["ip6.src"]] then
        local k = dgram_key(p, "inner.")
        if k and arrived[k] then
          n = n + 1
          if p["inner.ip6.hlim"] >= arrived[k] then
            return fail { expected = "below " .. arrived[k], seen = tostring(p["inner.ip6.hlim"]), packet = p }
          end
          arrived[k] = nil
        end
      end
    end
    return tally(n, "tunnelled datagrams compared", "no datagram seen both before and inside the tunnel")
  end,
}

-- §5.2.5, §11.6 return routability -------------------------------------
local RR_SEL = sel(MH_SEL, { { ["ip6.nxt"] = 41 } })
rule {
  id = "mip6.hoti.src", rfc = "RFC 6275 §6.1.3, §11.6.1",
  text = "a Home Test Init is sent from the home address, without a Home Address option",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m = model(pkts, ctx)
    local ps = filter(pkts, function(p) return mhf(p, "mh.type") == HOTI end)
    return each(ps, function(p)
      local d = mhd(p)
      local s = p[d .. "ip6.src"]
      if p[d .. "ip6.hao"] then return false, "with a HAO " .. p[d .. "ip6.hao"] end
      if m.coa[s] and not m.hoa[s] then return false, "from the care-of address " .. s end
      return true
    end, "from the home address, no HAO", "no HoTI seen")
  end,
}

rule {
  id = "mip6.hoti.tunnel", rfc = "RFC 6275 §5.2.5, §11.6.1",
  text = "while away, a Home Test Init travels reverse-tunnelled through the home agent (seen in the tunnel before it is seen plain)",
  select = RR_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    if not first(pkts, function(p) return p["inner.ip6"] ~= nil end) then
      return na("no tunnelled packet in the capture (the mobile node's side not captured?)")
    end
    local in_tun = {}
    for _, p in ipairs(pkts) do
      if p["inner.mh.type"] == HOTI then in_tun[p["inner.mh.hoti.cookie"]] = true end
      if p["mh.type"] == HOTI then
        local hoa = p["ip6.src"]
        if bound(m, nil, hoa, p.t, true) then
          n = n + 1
          if not in_tun[p["mh.hoti.cookie"]] then
            return fail { expected = "the HoTI reverse-tunnelled from the care-of address first",
                          seen = "sent plain while " .. hoa .. " is registered away", packet = p }
          end
        end
      end
    end
    for _ in pairs(in_tun) do n = n + 1 end
    return tally(n, "HoTIs checked", "no HoTI sent while away")
  end,
}

rule {
  id = "mip6.coti.direct", rfc = "RFC 6275 §5.2.5, §11.6.1",
  text = "a Care-of Test Init goes directly from the care-of address (not tunnelled, no Home Address option)",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m = model(pkts, ctx)
    local ps = filter(pkts, function(p) return mhf(p, "mh.type") == COTI end)
    return each(ps, function(p)
      -- a home agent tunnels a CoTI sent to a home address it serves
      if mhd(p) ~= "" and not m.ha[p["ip6.src"]] then return false, "tunnelled from " .. p["ip6.src"] end
      if p["ip6.hao"] then return false, "with a HAO" end
      if m.hoa[p["ip6.src"]] and bound(m, nil, p["ip6.src"], p.t, true) then return false, "from the home address while away" end
      return true
    end, "plain, from the care-of address", "no CoTI seen")
  end,
}

local function test_rule(id, rfc, text, init, reply, cfield, rfield)
  rule {
    id = id, rfc = rfc, text = text, select = MH_SEL,
    check = function(pkts)
      -- inits seen so far: by cookie (the last), by cookie|src|dst, by src|dst
      local by_c, by_csd, by_sd, n = {}, {}, {}, 0
      for _, p in ipairs(pkts) do
        local d = mhd(p)
        local ty = d and p[d .. "mh.type"]
        if ty == init then
          local q = { c = p[d .. cfield], src = p[d .. "ip6.src"], dst = p[d .. "ip6.dst"], t = p.t }
          by_c[tostring(q.c)] = q
          by_csd[tostring(q.c) .. "|" .. q.src .. "|" .. q.dst] = true
          by_sd[q.src .. "|" .. q.dst] = true
        elseif ty == reply and by_sd[p[d .. "ip6.dst"] .. "|" .. p[d .. "ip6.src"]] then
          -- judged when the capture holds an init from the reply's
          -- destination to its source before it (else not applicable: a
          -- capture that starts mid-exchange)
          n = n + 1
          local c, to, from = p[d .. rfield], p[d .. "ip6.dst"], p[d .. "ip6.src"]
          local near = by_c[tostring(c)]
          local ok = by_csd[tostring(c) .. "|" .. to .. "|" .. from]
          if not ok then
            return fail { expected = "the cookie of an earlier init from " .. to .. " to " .. from,
                          seen = near and ("the cookie of an init " .. near.src .. " -> " .. near.dst) or ("cookie " .. tostring(c) .. " never sent"),
                          packet = p }
          end
        end
      end
      return tally(n, "tests matched to their inits", "no test message whose init the capture holds")
    end,
  }
end
test_rule("mip6.hot.cookie", "RFC 6275 §6.1.5, §9.4.3",
  "a Home Test goes to the HoTI's source (the home address) and echoes its Home Init Cookie", HOTI, HOT,
  "mh.hoti.cookie", "mh.hot.cookie")
test_rule("mip6.cot.cookie", "RFC 6275 §6.1.6, §9.4.4",
  "a Care-of Test goes to the CoTI's source (the care-of address) and echoes its Care-of Init Cookie", COTI, COT,
  "mh.coti.cookie", "mh.cot.cookie")

rule {
  id = "mip6.rr.noext", rfc = "RFC 6275 §9.4.3, §9.4.4, §11.6.1",
  text = "HoTI, CoTI, HoT and CoT carry neither a Home Address option nor a type 2 routing header",
  select = MH_SEL,
  check = function(pkts)
    local ps = filter(pkts, function(p) local t = mhf(p, "mh.type"); return t and t >= HOTI and t <= COT end)
    return each(ps, function(p)
      local d = mhd(p)
      if p[d .. "ip6.hao"] or p[d .. "ip6.rh2.addr"] then return false, "HAO or RH2 present" end
      return true
    end, "no HAO, no RH2", "no return routability message seen")
  end,
}

-- the Home and Care-of Tests (any depth) of the capture, indexed: a
-- test kind ("hot", "cot") -> { [idx|to|from] = {tests}, [to|from] = {tests} }
-- in time order. The well-formed Mobility Headers every caller selects are
-- all it reads, so it is part of the shared model.
local function tests(m, pkts, kind)
  local ix = mix(m, "tests", function()
    local out = { hot = {}, cot = {} }
    for _, p in ipairs(pkts) do
      local d = mhd(p)
      local ty = d and p[d .. "mh.type"]
      local k = ty == HOT and "hot" or ty == COT and "cot"
      if k then
        local x = { p = p, t = p.t, idx = p[d .. "mh." .. k .. ".nonce_idx"], token = p[d .. "mh." .. k .. ".token"],
                    to = p[d .. "ip6.dst"], from = p[d .. "ip6.src"] }
        push(out[k], tostring(x.idx) .. "|" .. x.to .. "|" .. x.from, x)
        push(out[k], x.to .. "|" .. x.from, x)
      end
    end
    return out
  end)
  return ix[kind]
end
-- the latest test with nonce index idx to `to` from `from` at or before t
local function latest(list, idx, to, from, t)
  local _, x = last_at(list[tostring(idx) .. "|" .. to .. "|" .. from], t)
  return x
end
-- correspondent BUs: a BU carrying Binding Authorization Data
local function cn_bus(pkts)
  return filter(pkts, function(p) return p["mh.type"] == BU and p["mh.bu.flags.H"] ~= 1 end)
end

rule {
  id = "mip6.bu.cn.opts", rfc = "RFC 6275 §6.1.7, §11.7.2",
  text = "a Binding Update to a correspondent carries the Nonce Indices and the Binding Authorization Data options, BAD last",
  select = MH_SEL,
  check = function(pkts)
    return each(cn_bus(pkts), function(p)
      local ts = p:all("mh.opt.type")
      local ni = false
      for _, t in ipairs(ts) do if t == OPT_NI then ni = true end end
      if not ni then return false, "no Nonce Indices (options " .. table.concat(ts, ",") .. ")" end
      if ts[#ts] ~= OPT_BAD then return false, "options " .. table.concat(ts, ",") end
      return true
    end, "Nonce Indices, then BAD last", "no Binding Update to a correspondent")
  end,
}

rule {
  id = "mip6.bu.cn.hao", rfc = "RFC 6275 §6.1.7, §11.7.2",
  text = "a Binding Update to a correspondent from away is sent from the care-of address with a Home Address option",
  select = MH_SEL,
  check = function(pkts)
    local ps = filter(cn_bus(pkts), function(p) return (p["mh.bu.lifetime"] or 0) > 0 end)
    return each(ps, function(p) return p["ip6.hao"] ~= nil and p["ip6.hao"] ~= p["ip6.src"], p["ip6.hao"] or "no HAO" end,
                "a HAO with the home address", "no binding request to a correspondent")
  end,
}

rule {
  id = "mip6.bu.ni.match", rfc = "RFC 6275 §5.2.5, §6.2.6, §11.7.2",
  text = "the nonce indices in a correspondent BU are those of a Home Test (to the home address) and a Care-of Test (to the care-of address) received from that correspondent (the care-of index is ignored to deregister)",
  select = MH_SEL,
  check = function(pkts, ctx)
    local bus = cn_bus(pkts)
    local n = 0
    local m = model(pkts, ctx)
    local hot, cot = tests(m, pkts, "hot"), tests(m, pkts, "cot")
    for _, p in ipairs(bus) do
      local b = bu_info(p)
      local hi, ci = p["mh.opt.ni.home"], p["mh.opt.ni.coa"]
      -- judged only when the capture holds tests to these addresses from
      -- this correspondent (tokens may come from a test on a link not captured)
      local function any(list, to) return last_at(list[to .. "|" .. b.peer], p.t) end
      if hi and any(hot, b.hoa) then
        n = n + 1
        if not latest(hot, hi, b.hoa, b.peer, p.t) then
          return fail { expected = "a HoT with nonce index " .. hi .. " to " .. b.hoa, seen = "none", packet = p }
        end
      end
      if hi and not b.dereg and any(cot, b.coa) then
        n = n + 1
        if not latest(cot, ci, b.coa, b.peer, p.t) then
          return fail { expected = "a CoT with nonce index " .. ci .. " to " .. b.coa, seen = "none", packet = p }
        end
      end
    end
    return tally(n, "nonce indices matched", "no Binding Update with Nonce Indices")
  end,
}

rule {
  id = "mip6.rr.fresh", rfc = "RFC 6275 §5.2.7, §12",
  text = "the keygen tokens a BU uses are at most MAX_TOKEN_LIFETIME (210 s) old",
  select = MH_SEL,
  check = function(pkts, ctx)
    local n = 0
    local m = model(pkts, ctx)
    local hot, cot = tests(m, pkts, "hot"), tests(m, pkts, "cot")
    for _, p in ipairs(cn_bus(pkts)) do
      local b = bu_info(p)
      local h = p["mh.opt.ni.home"] and latest(hot, p["mh.opt.ni.home"], b.hoa, b.peer, p.t)
      local c = (not b.dereg) and p["mh.opt.ni.coa"] and latest(cot, p["mh.opt.ni.coa"], b.coa, b.peer, p.t)
      for _, x in ipairs({ h or nil, c or nil }) do
        n = n + 1
        if p.t - x.t > MAX_TOKEN_LIFETIME then
          return fail { expected = "a token at most 210 s old", seen = string.format("%.1f s", p.t - x.t),
                        packet = p, packets = { x.p, p } }
        end
      end
    end
    return tally(n, "tokens checked", "no BU using received tokens")
  end,
}

-- Kbm of a correspondent BU from the captured tokens, or nil and why
local function kbm_of(m, pkts, b)
  local p = b.p
  local h = latest(tests(m, pkts, "hot"), p["mh.opt.ni.home"] or -1, b.hoa, b.peer, p.t)
  if not h then return nil, "no Home Test with the BU's nonce index" end
  if b.dereg then return sha1(hex2bin(h.token)) end
  local c = latest(tests(m, pkts, "cot"), p["mh.opt.ni.coa"] or -1, b.coa, b.peer, p.t)
  if not c then return nil, "no Care-of Test with the BU's nonce index" end
  return sha1(hex2bin(h.token) .. hex2bin(c.token))
end
-- First(96, HMAC_SHA1(Kbm, care-of | correspondent | MH without the authenticator, checksum 0))
local function bad_auth(p, kbm, coa, cn)
  local mh, mo = p:bytes("mh"), p:offset("mh")
  local ao = p:offset("mh.opt.bad.authenticator") - mo + 1
  local alen = #hex2bin(p["mh.opt.bad.authenticator"])
  local data = mh:sub(1, 4) .. "\0\0" .. mh:sub(7, ao - 1) .. mh:sub(ao + alen)
  return hmac_sha1(kbm, a6(coa) .. a6(cn) .. data):sub(1, 12)
end

rule {
  id = "mip6.bu.bad.auth", rfc = "RFC 6275 §5.2.5, §5.2.6, §6.2.7",
  text = "the Binding Authorization Data of a correspondent BU is First(96, HMAC_SHA1(Kbm, care-of | correspondent | MH)), Kbm from the captured keygen tokens",
  select = MH_SEL,
  check = function(pkts, ctx)
    local n = 0
    local m = model(pkts, ctx)
    for _, p in ipairs(cn_bus(pkts)) do
      if p["mh.opt.bad.authenticator"] then
        local b = bu_info(p)
        local kbm = kbm_of(m, pkts, b)
        if kbm then
          n = n + 1
          local want = bin2hex(bad_auth(p, kbm, b.coa, b.peer))
          if want ~= p["mh.opt.bad.authenticator"] then
            return fail { expected = want, seen = p["mh.opt.bad.authenticator"], packet = p }
          end
        end
      end
    end
    return tally(n, "authenticators recomputed", "no correspondent BU whose tokens were captured")
  end,
}

rule {
  id = "mip6.ba.bad", rfc = "RFC 6275 §6.1.8, §9.5.4",
  text = "a correspondent's accepting Binding Acknowledgement carries Binding Authorization Data computed with the binding's Kbm",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    for _, a in ipairs(m.bas) do
      local b = a.bu
      if b and not b.H and b.p["mh.opt.bad.authenticator"] and a.status < 128 then
        local kbm = kbm_of(m, pkts, b)
        if kbm then
          n = n + 1
          if not a.p["mh.opt.bad.authenticator"] then
            return fail { expected = "Binding Authorization Data", seen = "absent", packet = a.p }
          end
          local want = bin2hex(bad_auth(a.p, kbm, a.coa, a.peer))
          if want ~= a.p["mh.opt.bad.authenticator"] then
            return fail { expected = want, seen = a.p["mh.opt.bad.authenticator"], packet = a.p, packets = { b.p, a.p } }
          end
        end
      end
    end
    return tally(n, "acknowledgements recomputed", "no correspondent acknowledgement with captured tokens")
  end,
}

rule {
  id = "mip6.rr.lifetime", rfc = "RFC 6275 §5.2.6, §9.5.1, §12",
  text = "a correspondent grants at most MAX_RR_BINDING_LIFETIME (420 s, 105 units)",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    for _, a in ipairs(m.bas) do
      if a.bu and not a.bu.H and a.status < 128 then
        n = n + 1
        if 4 * a.life > MAX_RR_BINDING_LIFETIME then
          return fail { expected = "at most 420 s", seen = (4 * a.life) .. " s", packet = a.p }
        end
      end
    end
    return tally(n, "correspondent lifetimes checked", "no correspondent acknowledgement")
  end,
}

-- §6.3 HAO, §6.4 RH2 ---------------------------------------------------
rule {
  id = "mip6.rh2.format", rfc = "RFC 6275 §6.4.1",
  text = "a type 2 routing header has Hdr Ext Len 2 and Segments Left 1",
  select = sel({ ["ip6.rh.type"] = 2 }),
  check = function(pkts)
    return each(pkts, function(p)
      return p["ip6.rh.len"] == 2 and p["ip6.rh.segleft"] == 1,
             string.format("len %s, segments left %s", tostring(p["ip6.rh.len"]), tostring(p["ip6.rh.segleft"]))
    end, "len 2, segments left 1", "no type 2 routing header seen")
  end,
}

rule {
  id = "mip6.rh2.use", rfc = "RFC 6275 §6.4, §9.3.2",
  text = "a type 2 routing header is sent by a home agent or correspondent to a care-of address and carries the home address bound to it",
  select = sel(MH_SEL, { { ["ip6.rh.type"] = 2 } }),
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    -- the first BU for a home address, and for a home|care-of address pair
    local first_h = mix(m, "first_bu_h", function()
      local t = {}
      for _, b in ipairs(m.bus) do
        t[b.hoa] = t[b.hoa] or b.t
        local k = b.hoa .. "|" .. b.coa
        t[k] = t[k] or b.t
      end
      return t
    end)
    for _, p in ipairs(pkts) do
      local h = p["ip6.rh2.addr"]
      if h then
        local src, dst = p["ip6.src"], p["ip6.dst"]
        local who = p["ip6.hao"] or src  -- a mobile correspondent (§8.2) sends from its care-of address with a HAO
        if (m.hoa[src] and not m.cn[src]) or (m.coa[src] and not m.ha[src] and not m.cn[who]) then
          return fail { expected = "sent by a home agent or correspondent", seen = "sent by the mobile node " .. src, packet = p }
        end
        if dst == h then return fail { expected = "to a care-of address", seen = "to the home address itself", packet = p } end
        -- the registration is judged when the capture holds a BU for the
        -- home address before the packet (else it may predate the capture)
        local judged = first_h[h] and first_h[h] <= p.t
        local ok = p["mh.type"] == BA   -- a BA's RH2 is checked by mip6.ba.dst
        local reg = first_h[h .. "|" .. dst]
        if reg and reg <= p.t then ok = true end
        if judged then n = n + 1 end
        if judged and not ok then
          return fail { expected = "a care-of address registered for " .. h, seen = dst, packet = p }
        end
      end
    end
    return tally(n, "routing headers checked", "no type 2 routing header whose registration the capture holds")
  end,
}

rule {
  id = "mip6.hao.order", rfc = "RFC 6275 §6.3",
  text = "the Home Address option is in a Destination Options header after the routing header and before a Fragment or AH header",
  select = sel({ ["ip6.hao"] = true }),
  check = function(pkts)
    return each(pkts, function(p)
      local ext = p:all("ip6.ext")
      local pos = {}
      for i, e in ipairs(ext) do pos[e] = pos[e] or i end
      local d = pos[60]
      if not d then return false, "no destination options header" end
      -- the HAO's header: the last 60 before any 44/51 (a second 60 may follow)
      local bad = (pos[43] and pos[43] > d) or (pos[44] and pos[44] < d) or (pos[51] and pos[51] < d)
      return not bad, "headers " .. table.concat(ext, ",")
    end, "routing (43) < dest options (60) < fragment (44), AH (51)", "no Home Address option seen")
  end,
}

rule {
  id = "mip6.hao.align", rfc = "RFC 6275 §6.3",
  text = "the Home Address option sits at 8n+6 in its Destination Options header",
  select = sel({ ["ip6.hao"] = true }),
  check = function(pkts)
    -- a frame whose option or header has no position (mutated or cut) is
    -- not judged here: decode.malformed names it
    local ps = filter(pkts, function(p) return p:offset("ip6.hao") and p:offset("ip6.dopt") end)
    return each(ps, function(p)
      local at = p:offset("ip6.hao") - 2 - p:offset("ip6.dopt")
      return at % 8 == 6, "at " .. at
    end, "8n+6", "no Home Address option seen")
  end,
}

rule {
  id = "mip6.hao.from", rfc = "RFC 6275 §6.3, §11.3.1",
  text = "only a mobile node sends the Home Address option: from its care-of address, never from a home agent or correspondent, never equal to the source",
  select = sel(MH_SEL, { { ["ip6.hao"] = true } }),
  check = function(pkts, ctx)
    local m = model(pkts, ctx)
    local ps = filter(pkts, function(p) return p["ip6.hao"] ~= nil end)
    return each(ps, function(p)
      local s = p["ip6.src"]
      if s == p["ip6.hao"] and not p["mh.opt.acoa"] then return false, "the source is the home address" end
      if (m.ha[s] or m.cn[s]) and not m.coa[s] then return false, "sent by " .. s .. " (a home agent or correspondent)" end
      return true
    end, "from a care-of address", "no Home Address option seen")
  end,
}

-- §9.3.2, §11.3.1 route optimisation -----------------------------------
-- data: roam's traffic, echoes, and any stack's UDP and TCP
local DATA_SEL = sel(TUN_SEL, { { traffic = true }, { ["icmp6.type"] = { 128, 129 } }, { udp = true }, { tcp = true } })
rule {
  id = "mip6.ro.cn", rfc = "RFC 6275 §9.3.2",
  text = "a correspondent with a binding sends data for the home address directly to the care-of address with a type 2 routing header",
  select = DATA_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    for _, p in ipairs(pkts) do
      local src, dst = p["ip6.src"], p["ip6.rh2.addr"] or p["ip6.dst"]
      local via = ""
      if in_tunnel(p) and m.ha[src] and is_data(p, "inner.") then   -- seen only in the home agent's tunnel
        src, dst, via = p["inner.ip6.src"], p["inner.ip6.dst"], " (in the home agent's tunnel)"
      elseif not is_data(p) then
        src = nil
      end
      if src and m.cn[src] and m.hoa[dst] then
        local b = bound(m, src, dst, p.t - SLACK, false)
        if b and bound(m, src, dst, p.t, false) then
          n = n + 1
          if via ~= "" or not p["ip6.rh2.addr"] then
            return fail { expected = "an RH2 to a care-of address (binding since " .. string.format("%.3f", b.t0) .. ")",
                          seen = "sent to the home address " .. dst .. via, packet = p, packets = { b.ba.p, p } }
          end
        end
      end
    end
    return tally(n, "route-optimised packets checked", "no data from a correspondent with a binding")
  end,
}

rule {
  id = "mip6.ro.mn", rfc = "RFC 6275 §11.3.1",
  text = "a mobile node with an accepted correspondent binding sends its data from the care-of address with a Home Address option, not through the reverse tunnel",
  select = sel(TUN_SEL, { { ["ip6.hao"] = true } }),   -- what it judges: tunnelled data, data with a HAO
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    -- a refresh (BRR received, HoTI or CoTI sent, until the next BA) may
    -- fall back to the tunnel
    local starts = {}   -- correspondent -> the starts of refreshes, in time order
    for _, p in ipairs(pkts) do
      local ty = mhf(p, "mh.type")
      if ty == BRR or ty == HOTI or ty == COTI then
        local d = mhd(p)
        local cn = ty == BRR and p[d .. "ip6.src"] or p[d .. "ip6.dst"]
        push(starts, cn, { t = p.t, cn = cn })
      end
    end
    local bas = ba_ph(m)
    local function refreshing(cn, hoa, t)
      local _, s = last_at(starts[cn], t)
      if not s then return false end
      local _, a = first_at(bas[cn .. "|" .. hoa], s.t, true)
      return not (a and a.t < t)
    end
    for _, p in ipairs(pkts) do
      if tunnelled(p) and m.hoa[p["inner.ip6.src"]] and m.cn[p["inner.ip6.dst"]] then
        local hoa, cn = p["inner.ip6.src"], p["inner.ip6.dst"]
        local b = bound(m, cn, hoa, p.t - SLACK, false)
        if b and bound(m, cn, hoa, p.t, false) and b.coa == p["ip6.src"] and not refreshing(cn, hoa, p.t) and
           (p["inner.traffic"] or p["inner.icmp6.type"] == 128 or p["inner.icmp6.type"] == 129) then
          n = n + 1
          return fail { expected = "from " .. b.coa .. " with a HAO", seen = "reverse-tunnelled to " .. p["ip6.dst"],
                        packet = p, packets = { b.ba.p, p } }
        end
      elseif is_data(p) and p["ip6.hao"] and m.cn[p["ip6.dst"]] then
        n = n + 1
      end
    end
    return tally(n, "data packets of bound mobile nodes checked", "no data from a mobile node with a correspondent binding")
  end,
}

-- §11.8 retransmissions -----------------------------------------------
-- Series of BUs retransmitted without an acknowledgement, per link.
local function bu_series(pkts, ctx)
  local m = model(pkts, ctx)
  return mix(m, "bu_series", function()
  local out = {}
  local links = group_by(pkts, "link")
  local one = next(links, next(links)) == nil   -- one link: its model is the run's
  for _, link_pkts in pairs(links) do
    local lm = one and m or model_build(link_pkts, ctx)
    local cur = {}
    local bas = index(lm.bas, function(a) return a.peer .. "|" .. a.coa end)
    for _, b in ipairs(lm.bus) do
      local k = b.src .. "|" .. b.peer .. "|" .. b.hoa
      local s = cur[k]
      local acked = false
      if s then
        local _, a = first_at(bas[b.peer .. "|" .. b.src], s[#s].t, true)
        acked = a ~= nil and a.t < b.t
      end
      if not s or acked then
        -- first home registration: no home binding before it in the whole capture
        local firstreg = b.H and not any_bind(m, b.peer, b.hoa, -math.huge, b.t - 1e-6, true)
        s = { first = firstreg, H = b.H }
        cur[k] = s
        out[#out + 1] = s
      end
      s[#s + 1] = b.p
    end
  end
  return out
  end)
end
local function backoff_rule(id, text, want_first, initial)
  rule {
    id = id, rfc = "RFC 6275 §11.8, §12, §13", text = text, select = MH_SEL,
    check = function(pkts, ctx)
      local n = 0
      for _, s in ipairs(bu_series(pkts, ctx)) do
        if #s >= 2 and (s.first == want_first) then
          n = n + 1
          local v = backoff { s, initial = initial, factor = 2, max = 32, tolerance = 0.15 }
          if v.verdict == "fail" then return v end
        end
      end
      return tally(n, "retransmission series checked", "no retransmitted Binding Update")
    end,
  }
end
backoff_rule("mip6.bu.backoff.first",
  "a first home registration is retransmitted after InitialBindackTimeoutFirstReg (1.5 s), the interval doubling up to MAX_BINDACK_TIMEOUT (32 s)",
  true, 1.5)
backoff_rule("mip6.bu.backoff",
  "other Binding Updates are retransmitted after INITIAL_BINDACK_TIMEOUT (1 s), the interval doubling up to MAX_BINDACK_TIMEOUT (32 s)",
  false, 1)

-- §9.5.5, §11.7.4 BRR --------------------------------------------------
rule {
  id = "mip6.brr.answer", rfc = "RFC 6275 §11.7.4",
  text = "a mobile node answers a Binding Refresh Request with a Binding Update to its sender (after a new return routability round if needed) within 3 s",
  select = MH_SEL,
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    local last = pkts[#pkts] and pkts[#pkts].t or 0
    for _, p in ipairs(pkts) do
      if p["mh.type"] == BRR and p.t + 3 <= last then
        n = n + 1
        local from, hoa = p["ip6.src"], p["ip6.rh2.addr"] or p["ip6.dst"]
        local _, b = first_at(bu_ph(m)[from .. "|" .. hoa], p.t, true)
        local ok = b and b.t <= p.t + 3
        if not ok then
          return fail { expected = "a BU for " .. hoa .. " to " .. from .. " within 3 s", seen = "none", packet = p }
        end
      end
    end
    return tally(n, "refresh requests answered", "no Binding Refresh Request seen")
  end,
}

-- §9.3.3, §6.1.9 Binding Error -------------------------------------------
rule {
  id = "mip6.be.status", rfc = "RFC 6275 §6.1.9",
  text = "a Binding Error's status is 1 (unknown binding for the HAO) or 2 (unrecognised MH type)",
  select = sel({ ["mh.type"] = BE }),
  check = function(pkts)
    return each(pkts, function(p) local s = p["mh.be.status"]; return s == 1 or s == 2, s end, "1 or 2",
                "no Binding Error seen")
  end,
}

rule {
  id = "mip6.be.hao", rfc = "RFC 6275 §9.3.1, §9.3.3",
  text = "a node receiving a Home Address option with no binding for it (home address and the source as care-of address) answers with a Binding Error status 1 whose home address is the option's",
  select = sel(MH_SEL, { { ["ip6.hao"] = true } }),
  check = function(pkts, ctx)
    local m, n = model(pkts, ctx), 0
    local done = {}
    local bes = index(pkts, function(q)   -- Binding Errors status 1 by source
      return q["mh.type"] == BE and q["mh.be.status"] == 1 and q["ip6.src"] or nil
    end)
    for _, p in ipairs(pkts) do
      local hao = p["ip6.hao"]
      -- judged when the capture holds the sender's registrations (a BU from
      -- the same care-of address, or its home address): a link captured alone may lack them
      if hao and p["mh"] == nil and not done[hao .. p["ip6.dst"]] and (m.coa[p["ip6.src"]] or m.hoa[p["ip6.src"]]) then
        local dst = p["ip6.rh2.addr"] or p["ip6.dst"]  -- with an RH2 (a mobile correspondent) its home address
        local b = any_bind(m, dst, hao, p.t - 1, p.t + SLACK, nil, p["ip6.src"])
        if not b then
          n = n + 1
          done[hao .. dst] = true
          local _, be = first_at(bes[dst], p.t)
          if be and be.t > p.t + 1 then be = nil end
          if not be or be["mh.be.home"] ~= hao then
            return fail { expected = "a Binding Error status 1 for " .. hao .. " from " .. dst .. " within 1 s",
                          seen = be and ("home address " .. tostring(be["mh.be.home"])) or "none", packet = p }
          end
        end
      end
    end
    return tally(n, "unbound home address options answered", "no Home Address option without a binding")
  end,
}

rule {
  id = "mip6.be.type", rfc = "RFC 6275 §9.2",
  text = "a Mobility Header of a type the receiver does not know (8 and above, for RFC 6275 alone) is answered with a Binding Error status 2",
  select = sel({ ["mh.type"] = true }),
  check = function(pkts)
    local n = 0
    local bes = index(pkts, function(q)   -- Binding Errors by source|destination
      return q["mh.type"] == BE and (q["ip6.src"] .. "|" .. q["ip6.dst"]) or nil
    end)
    for _, p in ipairs(pkts) do
      if p["mh.type"] >= 8 then
        n = n + 1
        local _, be = first_at(bes[p["ip6.dst"] .. "|" .. p["ip6.src"]], p.t)
        if be and be.t > p.t + 1 then be = nil end
        if not be or be["mh.be.status"] ~= 2 then
          return fail { expected = "a Binding Error status 2 within 1 s", seen = be and ("status " .. be["mh.be.status"]) or "none",
                        packet = p }
        end
      end
    end
    return tally(n, "unknown types answered", "no Mobility Header of an unknown type")
  end,
}

-- §7 router advertisements ----------------------------------------------
rule {
  id = "mip6.ra.min", rfc = "RFC 6275 §7.5",
  text = "a router's advertisements on a link are at least MinRtrAdvInterval apart (0.03 s, the least §7.5 allows)",
  select = sel({ ["icmp6.type"] = 134 }),
  check = function(pkts)
    local n = 0
    for _, series in pairs(group_by(pkts, "ip6.src")) do
      for _, all in pairs(group_by(series, "link")) do
        -- A router that stops advertising sends its final advertisements
        -- (Router Lifetime 0) at once (RFC 4861 §6.2.5): not judged.
        local ras, was_default = {}, false
        for _, p in ipairs(all) do
          if p["nd.ra.lifetime"] ~= 0 then was_default = true end
          if p["nd.ra.lifetime"] ~= 0 or not was_default then ras[#ras + 1] = p end
        end
        -- A frame held up by a busy emulator arrives bunched with the next
        -- ones, so the intervals are judged over windows of up to 5: their
        -- mean must be at least MinRtrAdvInterval (10 % tolerance). Frames
        -- with the very same capture time were batched by the capture, not
        -- sent so: a window holding such a pair is not judged.
        for i = 2, #ras do
          n = n + 1
          local k = math.min(5, i - 1)
          local mean = (ras[i].t - ras[i - k].t) / k
          local batched = false
          for j = i - k + 1, i do if ras[j].t - ras[j - 1].t < 1e-6 then batched = true end end
          if mean < 0.03 * 0.9 and not batched then
            return fail { expected = "intervals of at least 0.030 s", seen = string.format("%d in %.3f s", k, mean * k),
                          packet = ras[i], packets = { ras[i - k], ras[i] } }
          end
        end
      end
    end
    return tally(n, "intervals checked", "fewer than two advertisements from a router")
  end,
}

rule {
  id = "mip6.ra.hainfo", rfc = "RFC 6275 §7.4",
  text = "the Home Agent Information option appears only in advertisements with the H flag",
  select = sel({ ["nd.ra.opt.hainfo.pref"] = true }),
  check = function(pkts)
    return each(pkts, function(p) return p["nd.ra.flags.H"] == 1, "H = " .. tostring(p["nd.ra.flags.H"]) end, "H = 1",
                "no Home Agent Information option seen")
  end,
}

rule {
  id = "mip6.ra.ha.prefix", rfc = "RFC 6275 §7.2, §10.5.1",
  text = "a home agent's advertisement (H set) carries its global address in a Prefix Information option with the R flag",
  select = sel({ ["icmp6.type"] = 134, ["nd.ra.flags.H"] = 1 }),
  check = function(pkts)
    return each(pkts, function(p)
      for _, r in ipairs(p:all("nd.ra.opt.prefix.flags.R")) do if r == 1 then return true end end
      return false, "no prefix option with R"
    end, "a prefix option with R set", "no home agent advertisement seen")
  end,
}
