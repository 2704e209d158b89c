/* gen_mip6.c — the Mobile IPv6 golden captures of lua/rules/mip6.lua
 * (RFC 6275, RFC 4285), included from gen.c. One capture of a whole
 * conformant exchange on one link, built with the packet encoder
 * (harness/craft, docs/crafting.md) from the Lua below: router
 * advertisements, Binding Errors for an unknown MH type and an unbound Home
 * Address option, a first home registration retransmitted twice (1.5 s, 3 s),
 * tunnels both ways, return routability, the correspondent's binding and
 * route-optimised data, a Binding Refresh Request, a second mobile node
 * resynchronised by status 135, a handoff with one retransmission, and the
 * return home (deregistrations with the home agent and the correspondent).
 * Every retransmitted BU has a new sequence number (§11.8).
 * Then the same exchange with one fault each (m6_faults[]): F names it; and
 * pieces of the conformant one (m6_cuts[]): a capture that starts
 * mid-exchange, or holds one message, where the rules that pair a message
 * with its antecedent have nothing to judge. */
#include <lauxlib.h>
#include <lualib.h>
#include "craft/craft.h"

static const char m6_script[] =
	"-- F names the fault (nil: the conformant exchange). frame(t_ms, packet)\n"
	"-- crafts one frame (docs/crafting.md) into the capture.\n"
	"local HA, HOA, HOA2 = \"fd00:1:0:1::1\", \"fd00:1:0:1::101\", \"fd00:1:0:1::102\"\n"
	"local COA, COA2, COA3 = \"fd00:1:0:2::100\", \"fd00:1:0:3::100\", \"fd00:1:0:2::200\"\n"
	"local CN, HOST = \"fd00:0:0:9::1\", \"fd00:0:0:9::2\"\n"
	"local MAC = { mn = \"02:00:00:00:06:30\", mn2 = \"02:00:00:00:06:31\", ha = \"02:00:00:00:06:10\",\n"
	"              ar = \"02:00:00:00:06:20\", cn = \"02:00:00:00:06:50\", all = \"33:33:00:00:00:01\" }\n"
	"local KEY, SPI, TS = \"00112233445566778899aabbccddeeff\", 1000, 0x6e00000000000001\n"
	"local C1, C2, C3 = \"1111111111111111\", \"2222222222222222\", \"3333333333333333\"\n"
	"local TH, TC, TH2 = \"a1a2a3a4a5a6a7a8\", \"c1c2c3c4c5c6c7c8\", \"b1b2b3b4b5b6b7b8\"\n"
	"local function f(name) return F == name end\n"
	"local function eth(s, d) return { src = MAC[s], dst = MAC[d] or d } end\n"
	"local function auth(o)\n"
	"  return { type = \"auth\", subtype = o and o.subtype or 1, spi = o and o.spi or SPI, key = KEY }\n"
	"end\n"
	"-- a home registration from away and the home agent's answer\n"
	"local function hbu(t, o)\n"
	"  local opts = { { type = \"replay\", ts = TS }, auth(o) }\n"
	"  if o.auth_first then opts = { opts[2], opts[1] } end\n"
	"  if o.noauth then opts = { opts[1] } end\n"
	"  if o.ni then table.insert(opts, 1, { type = \"ni\", home = 1, coa = 1 }) end\n"
	"  local p = { eth = eth(o.mac or \"mn\", \"ar\"), ip6 = { src = o.coa or COA, dst = HA },\n"
	"              mh = { type = \"bu\", seq = o.seq, flags = o.flags or { A = 1, H = 1 }, lifetime = o.life or 15, opts = opts } }\n"
	"  if o.home then p.ip6.src = o.hoa or HOA else p.dopt = { hao = o.hoa or HOA } end\n"
	"  if o.nohao then p.dopt = nil end\n"
	"  if o.pproto then p.mh.pproto = o.pproto end\n"
	"  if o.res then p.mh.res = o.res end\n"
	"  frame(t, p)\n"
	"end\n"
	"local function hba(t, o)\n"
	"  local p = { eth = eth(\"ha\", \"mn\"), ip6 = { src = HA, dst = o.coa or COA },\n"
	"              mh = { type = \"ba\", status = o.status or 0, seq = o.seq, lifetime = o.life or 15,\n"
	"                     flags = o.flags or {}, opts = { { type = \"replay\", ts = o.ts or TS }, auth() } } }\n"
	"  if o.home then p.ip6.dst = o.hoa or HOA elseif not o.norh then p.rh = { type = 2, addr = o.hoa or HOA } end\n"
	"  if o.cksum then p.mh.cksum = o.cksum end\n"
	"  frame(t, p)\n"
	"end\n"
	"local function na(t, from, target, o)\n"
	"  frame(t, { eth = eth(from, \"all\"), ip6 = { src = from == \"ha\" and \"fe80::10\" or \"fe80::30\", dst = \"ff02::1\", hlim = 255 },\n"
	"             icmp6 = { type = \"na\", flags = { O = o and o.noO and 0 or 1 }, target = target,\n"
	"                       opts = { { type = \"tll\", addr = MAC[from] } } } })\n"
	"end\n"
	"local function data(t, from, to, ip6, flow, seq, o)\n"
	"  local p = { eth = eth(from, to), ip6 = ip6, traffic = { flow = flow, seq = seq, sent = 1700000000000000000 + t * 1000000, size = 60 } }\n"
	"  for k, v in pairs(o or {}) do p[k] = v end\n"
	"  frame(t, p)\n"
	"end\n"
	"local function tun(t, from, to, outer, inner, flow, seq, hlim, o)\n"
	"  inner.hlim = hlim or 62\n"
	"  local p = { eth = eth(from, to), ip6 = outer,\n"
	"              inner = { ip6 = inner, traffic = { flow = flow, seq = seq, sent = 1700000000000000000 + t * 1000000, size = 60 } } }\n"
	"  for k, v in pairs(o or {}) do p.inner[k] = v end\n"
	"  frame(t, p)\n"
	"end\n"
	"local function cnbu(t, o)\n"
	"  local opts = { { type = \"ni\", home = o.hi or 5, coa = o.ci or 6 },\n"
	"                 { type = \"bad\", home_token = o.ht or TH, coa_token = (not o.dereg) and (o.ct or TC) or nil,\n"
	"                   authenticator = o.authenticator } }\n"
	"  if o.bad_first then opts = { opts[2], opts[1] } end\n"
	"  if o.misalign then opts = { { type = \"pad1\" }, opts[1], opts[2], { type = \"padn\", len = 5 } } end\n"
	"  local p = { eth = eth(\"mn\", \"ar\"), ip6 = { src = o.src or COA, dst = CN },\n"
	"              mh = { type = \"bu\", seq = o.seq, flags = { A = 1 }, lifetime = o.life or 100, opts = opts,\n"
	"                     align = not o.misalign } }\n"
	"  if not o.dereg and not o.nohao then p.dopt = { hao = HOA } end\n"
	"  frame(t, p)\n"
	"end\n"
	"local function cnba(t, o)\n"
	"  local p = { eth = eth(\"cn\", \"mn\"), ip6 = { src = CN, dst = o.dst or COA },\n"
	"              mh = { type = \"ba\", status = o.status or 0, seq = o.seq, lifetime = o.life or 100,\n"
	"                     opts = { { type = \"bad\", home_token = o.ht or TH, coa_token = (not o.dereg) and TC or nil,\n"
	"                                authenticator = o.authenticator } } } }\n"
	"  if not o.dereg then p.rh = { type = 2, addr = HOA } end\n"
	"  frame(t, p)\n"
	"end\n"
	"local function ra(t, from, o)\n"
	"  local opts = { { type = \"sll\", addr = MAC[from] }, { type = \"advint\", advint = 70 } }\n"
	"  local pfx = from == \"ha\" and \"fd00:1:0:1::1/64\" or \"fd00:1:0:2::/64\"\n"
	"  opts[#opts + 1] = { type = \"prefix\", prefix = pfx, flags = { L = 1, A = 1, R = (from == \"ha\" and not f(\"ra-ha-prefix\")) and 1 or 0 } }\n"
	"  if o and o.hainfo then opts[#opts + 1] = { type = \"hainfo\", pref = 0, lifetime = 1800 } end\n"
	"  frame(t, { eth = eth(from, \"all\"), ip6 = { src = from == \"ha\" and \"fe80::10\" or \"fe80::1\", dst = \"ff02::1\", hlim = 255 },\n"
	"             icmp6 = { type = \"ra\", flags = { H = o and o.H or 0 }, lifetime = o and o.lifetime or 1800, opts = opts } })\n"
	"end\n"
	"\n"
	"-- router advertisements (§7)\n"
	"ra(0, \"ha\", { H = 1, hainfo = true })\n"
	"local gap = f(\"ra-min\") and 10 or f(\"ra-final\") and 30 or 50\n"
	"for i = 0, 2 do ra(10 + i * gap, \"ar\", { hainfo = f(\"ra-hainfo\") and i == 0 }) end\n"
	"-- a router that stops sends its final RA (lifetime 0) at once (RFC 4861 6.2.5)\n"
	"if f(\"ra-final\") then ra(11 + 2 * gap, \"ar\", { lifetime = 0 }) end\n"
	"\n"
	"-- an unknown MH type to the correspondent, a HAO it has no binding for (§9.2, §9.3.3)\n"
	"frame(200, { eth = eth(\"mn\", \"ar\"), ip6 = { src = HOA, dst = CN }, mh = { type = 42, payload = \"\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\" } })\n"
	"if not f(\"be-type\") then\n"
	"  frame(205, { eth = eth(\"cn\", \"mn\"), ip6 = { src = CN, dst = HOA }, mh = { type = \"be\", status = f(\"be-status\") and 3 or 2, home = \"::\" } })\n"
	"end\n"
	"frame(300, { eth = eth(\"mn\", \"ar\"), ip6 = { src = COA, dst = CN }, dopt = { hao = \"fd00:1:0:1::999\" },\n"
	"             icmp6 = { type = \"echo\", id = 7, seq = 1 } })\n"
	"if f(\"be-reserved\") then\n"
	"  frame(305, { eth = eth(\"cn\", \"mn\"), ip6 = { src = CN, dst = COA },\n"
	"               mh = { raw = \"\\59\\2\\7\\0\\0\\0\\1\\1\" .. string.rep(\"\\0\", 16) } })\n"
	"  frame(305, { eth = eth(\"cn\", \"mn\"), ip6 = { src = CN, dst = COA }, mh = { type = \"be\", status = 1, home = \"fd00:1:0:1::999\" } })\n"
	"else\n"
	"  frame(305, { eth = eth(\"cn\", \"mn\"), ip6 = { src = CN, dst = COA },\n"
	"               mh = { type = \"be\", status = 1, home = f(\"be-hao\") and HOA or \"fd00:1:0:1::999\" } })\n"
	"end\n"
	"\n"
	"-- a second mobile node already away (its sequence number is 300)\n"
	"hbu(400, { mac = \"mn2\", coa = COA3, hoa = HOA2, seq = 300 })\n"
	"hba(402, { coa = COA3, hoa = HOA2, seq = 300 })\n"
	"na(405, \"ha\", HOA2)\n"
	"\n"
	"-- the first home registration: no answer twice (§11.8: 1.5 s, then 3 s)\n"
	"local t1 = f(\"backoff-first\") and { 1000, 2000, 4000 } or { 1000, 2500, 5500 }\n"
	"for i, t in ipairs(t1) do\n"
	"  hbu(t, { seq = 97 + i, pproto = f(\"mh-pproto\") and 6 or nil, res = f(\"mh-res\") and 1 or nil,\n"
	"           flags = f(\"bu-reserved\") and 0xc001 or nil, auth_first = f(\"auth-last\"),\n"
	"           subtype = f(\"auth-subtype\") and 2 or nil, spi = f(\"auth-spi\") and 100 or nil, ni = f(\"hreg-norr\") })\n"
	"end\n"
	"hba(5502, { seq = f(\"ba-seq\") and 97 or 100, life = f(\"ba-lifetime\") and 20 or 15, norh = f(\"ba-dst\"),\n"
	"            flags = f(\"ba-reserved\") and 0x01 or (f(\"ba-k\") and { K = 1 } or nil),\n"
	"            ts = f(\"replay-echo\") and 5 or nil, cksum = f(\"mh-cksum\") and 0x1234 or nil })\n"
	"if not f(\"ha-na\") then na(5505, \"ha\", HOA) end\n"
	"\n"
	"-- tunnels both ways (§10.4.2, §11.3.1)\n"
	"data(5600, \"cn\", \"ha\", { src = CN, dst = HOA, hlim = 63 }, 1, 0)\n"
	"tun(5601, \"ha\", \"mn\", { src = HA, dst = COA }, { src = CN, dst = HOA }, 1, 0, f(\"tun-hlim\") and 63 or 62)\n"
	"if f(\"tun-ha\") then tun(5700, \"ha\", \"mn\", { src = HA, dst = COA2 }, { src = CN, dst = HOA }, 1, 9) end\n"
	"tun(5610, \"mn\", \"ar\", { src = COA, dst = f(\"rtun\") and CN or HA }, { src = HOA, dst = CN, hlim = 64 }, 2, 0, 64)\n"
	"\n"
	"-- return routability (§5.2.5)\n"
	"if f(\"hoti-tunnel\") then\n"
	"  frame(6001, { eth = eth(\"mn\", \"ar\"), ip6 = { src = HOA, dst = CN }, mh = { type = \"hoti\", cookie = C1 } })\n"
	"else\n"
	"  frame(6000, { eth = eth(\"mn\", \"ar\"), ip6 = { src = COA, dst = HA },\n"
	"                inner = { ip6 = { src = f(\"hoti-src\") and COA or HOA, dst = CN }, mh = { type = \"hoti\", cookie = C1 } } })\n"
	"  frame(6001, { eth = eth(\"ha\", \"cn\"), ip6 = { src = HOA, dst = CN }, mh = { type = \"hoti\", cookie = C1 } })\n"
	"end\n"
	"if f(\"coti-direct\") then\n"
	"  frame(6000, { eth = eth(\"mn\", \"ar\"), ip6 = { src = COA, dst = HA },\n"
	"                inner = { ip6 = { src = COA, dst = CN }, mh = { type = \"coti\", cookie = C2 } } })\n"
	"elseif f(\"ti-reserved\") then\n"
	"  frame(6000, { eth = eth(\"mn\", \"ar\"), ip6 = { src = COA, dst = CN }, mh = { raw = \"\\59\\1\\2\\0\\0\\0\\0\\1\" .. string.rep(\"\\x22\", 8) } })\n"
	"else\n"
	"  frame(6000, { eth = eth(\"mn\", \"ar\"), ip6 = { src = COA, dst = CN }, mh = { type = \"coti\", cookie = C2 } })\n"
	"end\n"
	"frame(6020, { eth = eth(\"cn\", \"ha\"), ip6 = { src = CN, dst = HOA },\n"
	"              mh = { type = \"hot\", nonce_idx = 5, cookie = f(\"hot-cookie\") and C2 or C1, token = TH } })\n"
	"frame(6021, { eth = eth(\"ha\", \"mn\"), ip6 = { src = HA, dst = COA },\n"
	"              inner = { ip6 = { src = CN, dst = HOA }, mh = { type = \"hot\", nonce_idx = 5, cookie = f(\"hot-cookie\") and C2 or C1, token = TH } } })\n"
	"local cot = { eth = eth(\"cn\", \"mn\"), ip6 = { src = CN, dst = COA },\n"
	"              mh = { type = \"cot\", nonce_idx = 6, cookie = f(\"cot-cookie\") and C3 or C2, token = TC } }\n"
	"if f(\"rr-noext\") then cot.rh = { type = 2, addr = HOA } end\n"
	"frame(6020, cot)\n"
	"cnbu(6050, { seq = 200, bad_first = f(\"bu-cn-opts\"), nohao = f(\"bu-cn-hao\"), hi = f(\"bu-ni-match\") and 9 or 5,\n"
	"             authenticator = f(\"bu-bad-auth\") and \"000000000000000000000000\" or nil, life = f(\"rr-lifetime\") and 120 or 100 })\n"
	"cnba(6060, { seq = 200, authenticator = f(\"ba-bad\") and \"000000000000000000000000\" or nil, life = f(\"rr-lifetime\") and 120 or 100 })\n"
	"local rh2 = { type = 2, addr = HOA, segleft = f(\"rh2-format\") and 0 or nil }\n"
	"data(6200, \"cn\", \"mn\", { src = CN, dst = f(\"rh2-use\") and COA3 or COA }, 1, 1, { rh = rh2 })\n"
	"data(6210, \"mn\", \"ar\", { src = COA, dst = CN }, 2, 1,\n"
	"     { dopt = f(\"hao-align\") and { hao = HOA, align = false, opts = { { type = 1, data = \"0000\" } } } or { hao = HOA },\n"
	"       ah = f(\"hao-order\") and { spi = 5, seq = 1 } or nil })\n"
	"if f(\"ro-cn\") then data(6300, \"cn\", \"ha\", { src = CN, dst = HOA }, 1, 2) end\n"
	"if f(\"ro-mn\") then tun(6300, \"mn\", \"ar\", { src = COA, dst = HA }, { src = HOA, dst = CN }, 2, 2, 64) end\n"
	"if f(\"hao-from\") then data(6400, \"cn\", \"mn\", { src = CN, dst = COA }, 1, 3, { dopt = { hao = \"fd00:0:0:9::99\" } }) end\n"
	"\n"
	"-- a refresh request, answered (§9.5.5, §11.7.4)\n"
	"frame(7000, { eth = eth(\"cn\", \"mn\"), ip6 = { src = CN, dst = COA }, rh = { type = 2, addr = HOA }, mh = { type = \"brr\" } })\n"
	"if f(\"mh-addr\") then frame(7100, { eth = eth(\"cn\", \"all\"), ip6 = { src = CN, dst = \"ff02::1\" }, mh = { type = \"brr\" } }) end\n"
	"if not f(\"brr-answer\") then\n"
	"  cnbu(7010, { seq = 201, misalign = f(\"opt-align\") })\n"
	"  if not f(\"ba-answer\") then cnba(7020, { seq = 201, status = f(\"ba-status-cn\") and 133 or 0 }) end\n"
	"end\n"
	"\n"
	"-- the second mobile node lost its state: status 135 (§9.5.1, §11.7.3)\n"
	"hbu(7500, { mac = \"mn2\", coa = COA3, hoa = HOA2, seq = 7 })\n"
	"-- ba-stale: the home agent accepts the stale number (§9.5.1)\n"
	"hba(7502, { coa = COA3, hoa = HOA2, seq = (f(\"ba-seq135\") or f(\"ba-stale\")) and 7 or 300, status = (not f(\"ba-stale\")) and 135 or 0 })\n"
	"local s2 = f(\"bu-after135\") and 250 or 301\n"
	"hbu(7510, { mac = \"mn2\", coa = COA3, hoa = HOA2, seq = s2 })\n"
	"hba(7512, { coa = COA3, hoa = HOA2, seq = s2 })\n"
	"\n"
	"-- a refresh of the home registration\n"
	"hbu(8000, { seq = 101, flags = f(\"hreg-a\") and { H = 1 } or nil, noauth = f(\"hreg-auth\") })\n"
	"hba(8002, { seq = 101, status = f(\"ba-status-home\") and 136 or 0 })\n"
	"\n"
	"-- a handoff to cell2: one retransmission after 1 s (§11.8)\n"
	"-- bu-retx-seq: the retransmission reuses the sequence number\n"
	"local s3 = f(\"bu-retx-seq\") and 102 or 103\n"
	"for i, t in ipairs(f(\"backoff\") and { 9000, 11000 } or { 9000, 10000 }) do\n"
	"  hbu(t, { seq = i == 1 and 102 or s3, coa = COA2, nohao = f(\"hreg-hao\") })\n"
	"end\n"
	"hba(11002 - (f(\"backoff\") and 0 or 1000), { seq = s3, coa = COA2 })\n"
	"data(10099, \"cn\", \"ha\", { src = HOST, dst = HOA, hlim = 63 }, 3, 0)\n"
	"tun(10100, \"ha\", \"mn\", { src = HA, dst = COA2 }, { src = HOST, dst = HOA }, 3, 0)\n"
	"if f(\"mh-len\") then frame(7100, { eth = eth(\"cn\", \"mn\"), ip6 = { src = CN, dst = COA }, mh = { raw = \"\\59\\0\\5\\0\\0\\0\\0\\0\" } }) end\n"
	"if f(\"opt-len\") then\n"
	"  frame(7100, { eth = eth(\"cn\", \"mn\"), ip6 = { src = CN, dst = COA }, rh = { type = 2, addr = HOA },\n"
	"                mh = { type = \"ba\", seq = 201, lifetime = 100, opts = { { type = \"bra\", len = 4, data = \"000a0000\" } } } })\n"
	"end\n"
	"if f(\"rr-fresh\") then cnbu(6050 + 215000, { seq = 203 }) end\n"
	"\n"
	"-- back home: deregistration (§11.5.4), then with the correspondent\n"
	"hbu(12000, { seq = 104, home = true, life = f(\"dereg-lifetime\") and 10 or 0 })\n"
	"hba(12002, { seq = 104, home = true, life = f(\"dereg-ba\") and 5 or 0 })\n"
	"if not f(\"mn-na-home\") then na(12010, \"mn\", HOA) end\n"
	"if f(\"tun-dereg\") then tun(12300, \"ha\", \"mn\", { src = HA, dst = COA2 }, { src = CN, dst = HOA }, 1, 20) end\n"
	"frame(12100, { eth = eth(\"mn\", \"ar\"), ip6 = { src = HOA, dst = CN }, mh = { type = \"hoti\", cookie = C3 } })\n"
	"frame(12120, { eth = eth(\"cn\", \"mn\"), ip6 = { src = CN, dst = HOA }, mh = { type = \"hot\", nonce_idx = 7, cookie = C3, token = TH2 } })\n"
	"cnbu(12130, { seq = 202, src = HOA, dereg = true, life = 0, hi = 7, ci = 7, ht = TH2 })\n"
	"cnba(12140, { seq = 202, dst = HOA, dereg = true, life = 0, ht = TH2 })\n"
	"data(12200, \"cn\", \"mn\", { src = CN, dst = HOA }, 1, 30)\n";

/* one capture per fault: mip6-<fault>.pcap; mip6-good.pcap has none */
static const char *const m6_faults[] = {
	"ra-min",
	"ra-final",
	"ra-hainfo",
	"ra-ha-prefix",
	"be-type",
	"be-status",
	"be-reserved",
	"be-hao",
	"backoff-first",
	"mh-pproto",
	"mh-res",
	"bu-reserved",
	"auth-last",
	"auth-subtype",
	"auth-spi",
	"hreg-norr",
	"ba-seq",
	"ba-lifetime",
	"ba-dst",
	"ba-reserved",
	"ba-k",
	"replay-echo",
	"mh-cksum",
	"ha-na",
	"tun-hlim",
	"tun-ha",
	"rtun",
	"hoti-tunnel",
	"hoti-src",
	"coti-direct",
	"ti-reserved",
	"hot-cookie",
	"cot-cookie",
	"rr-noext",
	"bu-cn-opts",
	"bu-cn-hao",
	"bu-ni-match",
	"bu-bad-auth",
	"rr-lifetime",
	"ba-bad",
	"rh2-format",
	"rh2-use",
	"hao-align",
	"hao-order",
	"ro-cn",
	"ro-mn",
	"hao-from",
	"mh-addr",
	"brr-answer",
	"opt-align",
	"ba-answer",
	"ba-status-cn",
	"ba-seq135",
	"bu-after135",
	"hreg-a",
	"hreg-auth",
	"ba-status-home",
	"backoff",
	"hreg-hao",
	"rr-fresh",
	"dereg-lifetime",
	"dereg-ba",
	"mn-na-home",
	"tun-dereg",
	"mh-len",
	"opt-len",
	"ba-stale",
	"bu-retx-seq",
};

/* pieces of the conformant capture: mip6-<name>.pcap holds the frames
 * from ms to ms (inclusive) */
static const struct m6_cut { const char *name; uint64_t from, to; } m6_cuts[] = {
	{ "cut-ba", 5502, 5502 },		/* one Binding Acknowledgement */
	{ "cut-tests", 6020, 6021 },		/* a Home and a Care-of Test */
	{ "cut-rh2", 6200, 6200 },		/* data with a type 2 routing header */
	{ "cut-late", 5502, UINT64_MAX / 2000000 },	/* from the first BA on */
};

struct m6_frame { uint64_t t; int n; size_t len; uint8_t b[1600]; };
struct m6_cap { struct m6_frame fr[96]; int n; };

static int m6_cmp(const void *a, const void *b)
{
	const struct m6_frame *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->n - y->n;
}

/* frame(t_ms, packet): crafts the packet into the capture at T0 + t_ms */
static int m6_l_frame(lua_State *L)
{
	struct m6_cap *c = lua_touserdata(L, lua_upvalueindex(1));
	struct craft_env env = { .what = "gen_mip6" };
	double t = luaL_checknumber(L, 1);
	uint8_t buf[CRAFT_MAX];
	size_t len;

	if (c->n >= (int)(sizeof c->fr / sizeof *c->fr))
		return luaL_error(L, "gen_mip6: more than %d frames", (int)(sizeof c->fr / sizeof *c->fr));
	len = craft_frame(L, 2, &env, buf, sizeof buf);
	if (len > sizeof c->fr[0].b)
		return luaL_error(L, "gen_mip6: frame of %d bytes", (int)len);
	c->fr[c->n].t = T0 + (uint64_t)(t * 1e6);
	c->fr[c->n].n = c->n;
	c->fr[c->n].len = len;
	memcpy(c->fr[c->n].b, buf, len);
	c->n++;
	return 0;
}

static void m6_capture(const char *path, const char *fault, const struct m6_cut *cut)
{
	static struct m6_cap cap;
	char err[256];
	lua_State *L = luaL_newstate();

	cap.n = 0;
	luaL_openlibs(L);
	lua_pushlightuserdata(L, &cap);
	lua_pushcclosure(L, m6_l_frame, 1);
	lua_setglobal(L, "frame");
	if (fault)
		lua_pushstring(L, fault);
	else
		lua_pushnil(L);
	lua_setglobal(L, "F");
	if (luaL_loadbuffer(L, m6_script, sizeof m6_script - 1, "=gen_mip6") != LUA_OK ||
	    lua_pcall(L, 0, 0, 0) != LUA_OK) {
		fprintf(stderr, "gen: %s: %s\n", path, lua_tostring(L, -1));
		exit(3);
	}
	lua_close(L);
	qsort(cap.fr, (size_t)cap.n, sizeof *cap.fr, m6_cmp);
	struct pg_writer *w = pg_open(path, err, sizeof err);
	if (!w) {
		fprintf(stderr, "gen: %s\n", err);
		exit(3);
	}
	for (int i = 0; i < cap.n; i++)
		if (!cut || (cap.fr[i].t >= T0 + cut->from * 1000000 && cap.fr[i].t <= T0 + cut->to * 1000000))
			pg_write(w, cap.fr[i].t, cap.fr[i].b, cap.fr[i].len);
	pg_close(w);
}

static void m6_golden(const char *dir)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/mip6-good.pcap", dir);
	m6_capture(path, NULL, NULL);
	for (size_t i = 0; i < sizeof m6_faults / sizeof *m6_faults; i++) {
		snprintf(path, sizeof path, "%s/mip6-%s.pcap", dir, m6_faults[i]);
		m6_capture(path, m6_faults[i], NULL);
	}
	for (size_t i = 0; i < sizeof m6_cuts / sizeof *m6_cuts; i++) {
		snprintf(path, sizeof path, "%s/mip6-%s.pcap", dir, m6_cuts[i].name);
		m6_capture(path, NULL, &m6_cuts[i]);
	}
}
