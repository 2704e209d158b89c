-- models/handoff.lua — what each phase of a handoff should take, from the
-- topology's delays and the RFC timers, under the same names the checker
-- reports (docs/checks.md): l2_gap, movement_detection,
-- address_configuration, home_registration / home_deregistration,
-- cn_registration / cn_deregistration. Used by the mobility scenarios
-- (local handoff = require("models.handoff")) and lua/scenarios/fidelity.lua;
-- the comparison with measurements is in docs/fidelity.md.
--
-- Movement detection (RFC 6275 11.5.1, RFC 4861 6.2.4 / 6.2.6, RFC 5944 2.4):
--  * unsolicited: the station waits for the next periodic advertisement. Its
--    arrival is a random point in a renewal process, so the wait is the mean
--    residual life E[X^2] / (2 E[X]) of the interval X, not E[X] / 2; for X
--    uniform on [min, max] that is ((max - min)^2 / 12 + m^2) / (2 m) with
--    m = (min + max) / 2;
--  * solicited (conf solicit = yes): an RS / Agent Solicitation on link-up.
--    radvd answers an RS after a uniform delay of up to MAX_RA_DELAY_TIME
--    (0.5 s, RFC 4861 6.2.6) and postpones its next unsolicited RA until
--    then, so the mean is MAX_RA_DELAY_TIME / 2 (+ the link's round trip);
--    a Mobile IPv4 agent answers a solicitation at once (RFC 5944 2.4: a
--    round trip on the cell).
-- Address configuration (RFC 4862 5.4, RFC 4429): DAD off or optimistic:
-- none; on: a random delay of up to MAX_RTR_SOLICITATION_DELAY (1 s, Linux
-- rtr_solicit_delay; mean 0.5 s) then DupAddrDetectTransmits (1) x
-- RetransTimer (1 s), and the mobile node's 10 ms poll of the address (mean
-- 5 ms).
-- Registration: one round trip to the home agent (BU/BA, RRQ/RRP through the
-- foreign agent); at home, on the home link. Correspondent registration
-- (RFC 6275 5.2.5): HoTI/HoT through the home agent (mobile node -> home
-- agent -> correspondent and back) in parallel with CoTI/CoT (direct), then
-- BU/BA direct. Returning home, a home keygen token still valid (210 s,
-- MAX_TOKEN_LIFETIME) is reused: the deregistration is the BU/BA alone, and
-- from the home link the path to the correspondent goes through the home
-- agent's router.
local M = {}

M.MAX_RA_DELAY_TIME = 0.5		-- RFC 4861 10
M.MAX_RTR_SOLICITATION_DELAY = 1.0	-- RFC 4861 10 (Linux rtr_solicit_delay)
M.RETRANS_TIMER = 1.0			-- RFC 4861 10
M.DAD_TRANSMITS = 1			-- RFC 4862 5.1
M.DAD_POLL = 0.010			-- the mobile node's check of the tentative flag
M.PROC = 0.0005				-- one daemon's handling of one message (measured)

-- Mean residual wait for the next advertisement, intervals uniform on [lo, hi].
function M.ra_residual(lo, hi)
  local m = (lo + hi) / 2
  return ((hi - lo) ^ 2 / 12 + m * m) / (2 * m)
end

-- p.ra = { min, max } (seconds) or p.adv = interval (fixed, Mobile IPv4);
-- p.solicit; p.mip = 4 or 6; p.cell = one-way delay on the cell.
function M.detection(p)
  local cell = p.cell or 0
  if p.solicit then
    if p.mip == 4 then return 2 * cell + 2 * M.PROC end
    return M.MAX_RA_DELAY_TIME / 2 + 2 * cell
  end
  if p.adv then return p.adv / 2 + cell end
  return M.ra_residual(p.ra[1], p.ra[2]) + cell
end

-- p.dad = "off", "on" or "optimistic"
function M.address(p)
  if p.dad == "on" then
    return M.MAX_RTR_SOLICITATION_DELAY / 2 + M.DAD_TRANSMITS * M.RETRANS_TIMER + M.DAD_POLL / 2
  end
  return M.PROC
end

-- Predicted phases (seconds) of one handoff:
--  p.gap        the L2 gap
--  p.to_home    the station returns to its home link
--  p.d_ha       one-way delay station <-> home agent from the new link
--  p.d_cn       one-way delay station <-> correspondent, direct, from the new link
--  p.d_ha_cn    one-way delay home agent <-> correspondent
--  p.ro         route optimisation with a correspondent (MIPv6)
--  p.token      at home: a home keygen token still valid (default true)
-- plus the fields of detection() and address().
function M.predict(p)
  local r = { l2_gap = p.gap, movement_detection = M.detection(p) }
  if p.to_home and p.mip == 6 then
    r.address_configuration = M.PROC
    r.home_deregistration = 2 * (p.d_home or 0) + 2 * M.PROC
  else
    r.address_configuration = p.mip == 6 and M.address(p) or M.PROC
    r.home_registration = 2 * p.d_ha + 2 * M.PROC
  end
  if p.ro and p.mip == 6 then
    if p.to_home then
      -- from the home link everything goes through the home agent's router
      local d = (p.d_home or 0) + p.d_ha_cn
      r.cn_deregistration = (p.token == false and 2 * d or 0) + 2 * d + 2 * M.PROC
    else
      local hot = 2 * (p.d_ha + p.d_ha_cn)
      local cot = 2 * p.d_cn
      r.cn_registration = math.max(hot, cot) + 2 * p.d_cn + 4 * M.PROC
    end
  end
  return r
end

-- The order phases are printed in.
M.phases = { "l2_gap", "movement_detection", "address_configuration", "home_registration",
             "home_deregistration", "cn_registration", "cn_deregistration" }

-- Sum of the phases up to the home registration's reply: a lower bound of
-- the restoration of a flow through the home agent.
function M.total(r)
  return r.l2_gap + r.movement_detection + r.address_configuration +
         (r.home_registration or r.home_deregistration or 0)
end

-- "l2_gap 50 + movement_detection 27 + ... = 120 ms"
function M.describe(r)
  local parts = {}
  for _, k in ipairs(M.phases) do
    if r[k] then parts[#parts + 1] = string.format("%s %.1f", k, r[k] * 1e3) end
  end
  return table.concat(parts, " + ") .. string.format(" ms (to the home reply %.1f ms)", M.total(r) * 1e3)
end

return M
