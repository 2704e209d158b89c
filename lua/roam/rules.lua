-- rules.lua — helpers every rule file sees (documented in docs/rules.md).
-- Loaded once by the conformance engine; returns the table of helpers that is
-- copied into each rule file's environment. Packets are userdata: p.t (run
-- seconds), p.frame, p.link, p.verdict, p.len, p["dotted.field"],
-- p:all(name), p:count(name), p:bytes(name?), p:group(n).
local H = {}

-- Verdicts -------------------------------------------------------------
function H.pass(note) return { verdict = "pass", note = note } end
function H.na(why) return { verdict = "na", note = why } end
-- fail{expected=, seen=, packet=, packets=, note=} or fail("why", packet)
function H.fail(t, p)
  if type(t) ~= "table" then t = { note = tostring(t), packet = p } end
  t.verdict = "fail"
  return t
end

-- Selecting ------------------------------------------------------------
-- match(p, cond): cond is a function(p) or a table {field = value|list|true|false,
-- link = name, src_node = name, dst_node = name}.
local function match(p, cond)
  if cond == nil then return true end
  if type(cond) == "function" then return cond(p) end
  for k, want in pairs(cond) do
    local v = p[k]
    if want == true then
      if v == nil then return false end
    elseif want == false then
      if v ~= nil then return false end
    elseif type(want) == "table" then
      local any = false
      for _, w in ipairs(want) do if v == w then any = true break end end
      if not any then return false end
    elseif v ~= want then
      return false
    end
  end
  return true
end
H.match = match

function H.filter(pkts, cond)
  local out = {}
  for _, p in ipairs(pkts) do if match(p, cond) then out[#out + 1] = p end end
  return out
end
function H.count(pkts, cond) return #H.filter(pkts, cond) end
function H.first(pkts, cond)
  for _, p in ipairs(pkts) do if match(p, cond) then return p end end
end
function H.last(pkts, cond)
  for i = #pkts, 1, -1 do if match(pkts[i], cond) then return pkts[i] end end
end
function H.on_link(pkts, link) return H.filter(pkts, { link = link }) end
function H.from(pkts, node) return H.filter(pkts, { src_node = node }) end
function H.to(pkts, node) return H.filter(pkts, { dst_node = node }) end
-- Packets grouped by the value of a field: { [value] = {pkts...} }.
function H.group_by(pkts, field)
  local g = {}
  for _, p in ipairs(pkts) do
    local v = p[field]
    if v ~= nil then g[v] = g[v] or {}; table.insert(g[v], p) end
  end
  return g
end

-- Per-packet checks ----------------------------------------------------
-- each(pkts, fn, expected, none): fn(p) returns ok[, seen]; the first packet
-- for which ok is false fails the rule with expected vs seen.
function H.each(pkts, fn, expected, none)
  for _, p in ipairs(pkts) do
    local ok, seen = fn(p)
    if not ok then return H.fail { expected = expected, seen = seen, packet = p } end
  end
  if #pkts == 0 then return H.na(none or "no packet selected") end
  return H.pass(#pkts .. " checked")
end

-- never: no selected packet may exist.
function H.never(pkts, what)
  if #pkts == 0 then return H.pass("none seen") end
  local ps = {}
  for i = 1, math.min(#pkts, 8) do ps[i] = pkts[i] end
  return H.fail { expected = "no " .. (what or "such packet"), seen = #pkts .. " seen",
                  packet = pkts[1], packets = ps }
end
function H.never_check(pkts, ctx) return H.never(pkts, ctx.rule and ctx.rule.text) end

-- Time -----------------------------------------------------------------
local function tof(x) return type(x) == "number" and x or x.t end
function H.before(a, b) return tof(a) < tof(b) end
function H.after(a, b) return tof(a) > tof(b) end
function H.within(t, lo, hi) t = tof(t); return t >= lo and t <= hi end
function H.interval(a, b) return tof(b) - tof(a) end

-- expect_reply{req=list, rep=list, match=function(q, r), within=seconds,
--   what="reply", key=function(p, "req"|"rep")} pairs each request with the
-- first reply after it that matches; a request left without one within the
-- limit fails the rule. With key, only the replies whose key equals the
-- request's are looked at (an index: linear time however many requests and
-- replies are in flight). Returns verdict, pairs ({q=, r=, dt=} for each
-- answered request).
function H.expect_reply(a)
  local reqs, reps = a.req or {}, a.rep or {}
  local lim = a.within or math.huge
  local pairs_, used = {}, {}
  local lists = a.key and H.index(reps, function(r) return a.key(r, "rep") end)
  local starts = {}        -- per list: first reply not before the request (requests in time order)
  for _, q in ipairs(reqs) do
    local list = reps
    if lists then
      local k = a.key(q, "req")
      list = k ~= nil and lists[k] or {}
    end
    local start = starts[list] or 1
    while start <= #list and list[start].t < q.t do start = start + 1 end
    starts[list] = start
    local found
    local i = start    -- scan no further than the first reply past the limit
    while i <= #list do
      local r = list[i]
      if not used[r] and (not a.match or a.match(q, r)) then found = r break end
      if r.t - q.t > lim then break end
      i = i + 1
    end
    if not found or found.t - q.t > lim then
      local seen = found and string.format("%s after %.3f s", a.what or "reply", found.t - q.t)
                   or ("no " .. (a.what or "reply") .. " within the limit")
      return H.fail { expected = string.format("%s within %g s", a.what or "reply", lim),
                      seen = seen, packet = q, packets = { q, found } }, pairs_
    end
    if not a.many then used[found] = true end
    pairs_[#pairs_ + 1] = { q = q, r = found, dt = found.t - q.t }
  end
  if #reqs == 0 then return H.na(a.none or "no request seen"), pairs_ end
  return H.pass(#reqs .. " answered"), pairs_
end

-- backoff{pkts, initial=1, factor=2, max=32, tolerance=0.1}: the gaps
-- between successive packets are initial, initial*factor, ... capped at max,
-- each within +-tolerance (a fraction of the expected gap).
function H.backoff(a)
  local pkts = a[1] or a.pkts or {}
  local gap, factor, max = a.initial or 1, a.factor or 2, a.max or math.huge
  local tol = a.tolerance or 0.1
  if #pkts < 2 then return H.na("fewer than two transmissions") end
  for i = 2, #pkts do
    local seen = pkts[i].t - pkts[i - 1].t
    local want = math.min(gap, max)
    if math.abs(seen - want) > want * tol then
      return H.fail { expected = string.format("gap %d of %.3f s (+-%g%%)", i - 1, want, tol * 100),
                      seen = string.format("%.3f s", seen), packet = pkts[i], packets = { pkts[i - 1], pkts[i] } }
    end
    gap = gap * factor
  end
  return H.pass(#pkts .. " transmissions follow the back-off")
end

-- Event log ------------------------------------------------------------
-- events(ctx, type[, cond]) -> the events of that type (each a table with
-- t, ts, type and its fields).
function H.events(ctx, ty, cond)
  local out = {}
  for _, e in ipairs(ctx.events or {}) do
    if (ty == nil or e.type == ty) and match(e, cond) then out[#out + 1] = e end
  end
  return out
end

-- Topology -------------------------------------------------------------
-- addrs(ctx, name_or_role) -> list of the node's addresses;
-- role_of(ctx, addr) -> role name (node_of(addr) -> name, role).
function H.addrs(ctx, who)
  for _, n in ipairs(ctx.topo.nodes) do
    if n.name == who or n.role == who then return n.addrs end
  end
  return {}
end
function H.role_of(ctx, addr)
  local _, role = H.node_of(addr)
  return role
end

-- Link-local and multicast tests on address text.
function H.is_linklocal6(a) return type(a) == "string" and a:lower():match("^fe[89ab]%x:") ~= nil end
function H.is_multicast6(a) return type(a) == "string" and a:lower():match("^ff%x%x:") ~= nil end
function H.is_unspecified6(a) return a == "::" end


-- Indexes and per-pass state (linear-time rules; docs/checks.md) ----------
-- A rule that needs to look back or ahead builds an index once and looks it
-- up, instead of scanning its packets for each packet.
--
-- index(items, key) -> { [k] = {items in their order} }; key is a field
-- name or function(item) -> k (nil: the item is left out).
function H.index(items, key)
  local ix = {}
  local fn = type(key) == "function" and key or function(x) return x[key] end
  for _, x in ipairs(items) do
    local k = fn(x)
    if k ~= nil then
      local l = ix[k]
      if not l then l = {}; ix[k] = l end
      l[#l + 1] = x
    end
  end
  return ix
end

-- Binary searches in a list sorted by time (x.t, or tf(x) when given):
-- last_at(list, t[, strict, tf]) -> i, item: the last with time <= t (< t
-- when strict); first_at(list, t[, strict, tf]) -> i, item: the first with
-- time >= t (> t when strict). nil when there is none (or list is nil).
local function tget(x) return x.t end
function H.last_at(list, t, strict, tf)
  if not list then return nil end
  tf = tf or tget
  local lo, hi = 1, #list
  while lo <= hi do
    local mid = (lo + hi) // 2
    local v = tf(list[mid])
    if v < t or (not strict and v == t) then lo = mid + 1 else hi = mid - 1 end
  end
  if hi >= 1 then return hi, list[hi] end
end
function H.first_at(list, t, strict, tf)   -- just after the last on the other side of t
  if not list then return nil end
  local i = (H.last_at(list, t, not strict, tf) or 0) + 1
  if i <= #list then return i, list[i] end
end

-- per_pass(ctx, name, build) -> build()'s value, computed once per check
-- run and shared by every rule that asks for it by that name (ctx is the
-- same table for every rule of a run). build must depend only on what all
-- of those rules select.
local pass_state = setmetatable({}, { __mode = "k" })
function H.per_pass(ctx, name, build)
  if not ctx then return build() end
  local st = pass_state[ctx]
  if not st then st = {}; pass_state[ctx] = st end
  local v = st[name]
  if v == nil then v = build(); st[name] = v end
  return v
end

return H
