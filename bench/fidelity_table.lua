-- fidelity_table.lua RUN... — the table of docs/fidelity.md: per kind of
-- handoff and phase, the model's prediction (lua/models/handoff.lua, logged
-- by lua/scenarios/fidelity.lua in events.jsonl) next to the checker's
-- measurement (the JUnit properties of `roam check RUN --report
-- junit:RUN/check.xml`, names as in docs/checks.md): predicted mean,
-- measured mean (and its error %), median, p95 and the median's error %
-- against the median prediction, and the handoffs counted.
-- Run with lua5.4 from the top of the tree; exits 1 when a run lacks a file.
local rows, order = {}, {}

local function add(kind, phase, pred, meas)
  local key = kind .. "\0" .. phase
  local r = rows[key]
  if not r then
    r = { kind = kind, phase = phase, pred = {}, meas = {} }
    rows[key] = r
    order[#order + 1] = key
  end
  r.pred[#r.pred + 1] = pred
  r.meas[#r.meas + 1] = meas
end

local function lines(path)
  local f = io.open(path)
  if not f then
    io.stderr:write("fidelity_table: expected " .. path .. " vs missing\n")
    os.exit(1)
  end
  local t = {}
  for l in f:lines() do t[#t + 1] = l end
  f:close()
  return t
end

for _, dir in ipairs(arg) do
  local meas = {}		-- handoff number -> phase -> ms
  for _, l in ipairs(lines(dir .. "/check.xml")) do
    -- handoff.K.<phase>, handoff.K.cn.<addr>.cn_registration; not handoff.K.flow.N.*
    local h, mid, name, val = l:match('<property name="handoff%.(%d+)(.-)%.([%w_]+)" value="([%-%d%.]+)"')
    if h and not mid:find("^%.flow") then
      h = tonumber(h)
      meas[h] = meas[h] or {}
      meas[h][name] = tonumber(val)
    end
  end
  for _, l in ipairs(lines(dir .. "/events.jsonl")) do
    local msg = l:match('"msg":"(fidelity handoff=[^"]*)"')
    if msg then
      local h, kind = tonumber(msg:match("handoff=(%d+)")), msg:match("kind=(%S+)")
      if kind ~= "warmup" then
        for phase, v in msg:gmatch("([%w_]+)=([%d%.]+)") do
          if phase ~= "handoff" and phase ~= "delay" then
            add(kind, phase, tonumber(v) * 1e3, meas[h] and meas[h][phase])
          end
        end
      end
    end
  end
end

local function mean(t)
  local s, n = 0, 0
  for _, v in pairs(t) do s, n = s + v, n + 1 end
  return n > 0 and s / n or nil
end
local function pct(t, q)
  local c = {}
  for _, v in pairs(t) do c[#c + 1] = v end
  if #c == 0 then return nil end
  table.sort(c)
  return c[math.max(1, math.ceil(q * #c))]
end

print(string.format("%-16s %-22s %4s %10s %10s %8s %10s %10s %8s", "kind", "phase", "n", "predicted",
  "mean", "error", "median", "p95", "error"))
local off = 0
for _, key in ipairs(order) do
  local r = rows[key]
  local m, p = {}, {}
  for i = 1, #r.pred do
    if r.meas[i] then m[#m + 1], p[#p + 1] = r.meas[i], r.pred[i] end
  end
  local pm, mm, md, q = mean(p), mean(m), pct(m, 0.5), pct(m, 0.95)
  local pmd = pct(p, 0.5)
  local err = pm and mm and pm > 0 and (mm - pm) / pm * 100 or nil
  local merr = pmd and md and pmd > 0 and (md - pmd) / pmd * 100 or nil
  if err and math.abs(err) > 10 then off = off + 1 end
  local function ms(v) return v and string.format("%.1f ms", v) or "-" end
  local function pc(v) return v and string.format("%+.0f %%", v) or "-" end
  print(string.format("%-16s %-22s %4d %10s %10s %8s %10s %10s %8s%s", r.kind, r.phase, #m,
    ms(pm), ms(mm), pc(err), ms(md), ms(q), pc(merr),
    #m < #r.pred and string.format("  (%d not measured)", #r.pred - #m) or ""))
end
print(string.format("%d phases off by more than 10 %% (explained in docs/fidelity.md)", off))
