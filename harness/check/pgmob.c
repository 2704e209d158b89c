/* pgmob.c — a capture that is all mobility signalling, for the benchmark
 * and the growth test of the conformance engine (bench/check_bench.c,
 * tests/unit/test_growth.c). Mobile IPv6 (RFC 6275, RFC 4285) and Mobile
 * IPv4 (RFC 5944) nodes, n_mn of each family, take turns: each turn a node
 * moves to the next care-of address and registers (BU/BA with the MN-HA
 * authentication and replay options, or RRQ/RRP relayed by a foreign
 * agent, with ARP between the agents), its home agent tunnels data to it
 * and it reverse-tunnels, and a
 * Mobile IPv6 node runs return routability with its correspondent and
 * sends route-optimised data. Routers advertise every 50 ms. The frames are
 * built by the packet encoder (harness/craft, docs/crafting.md) from the
 * Lua below, one every 20 µs of capture time, conformant to the rules. */
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <string.h>
#include "craft/craft.h"
#include "pktgen.h"

static const char pgm_script[] =
	"-- N frames, M mobile nodes per family; frame(packet) writes one and\n"
	"-- returns false once N are written. t: capture time in microseconds.\n"
	"local HA6, CN, HOST6 = 'fd00:1:0:1::1', 'fd00:0:0:9::1', 'fd00:0:0:9::2'\n"
	"local HA4, FA4, HOST4 = '10.1.0.1', '10.2.0.1', '10.9.0.2'\n"
	"local KEY6, KEY4, SPI = '00112233445566778899aabbccddeeff', '000102030405060708090a0b0c0d0e0f', 1000\n"
	"local MAC = { ha = '02:00:00:00:06:10', ar = '02:00:00:00:06:20', cn = '02:00:00:00:06:50',\n"
	"              fa = '02:00:00:00:04:20', ha4 = '02:00:00:00:04:10', all = '33:33:00:00:00:01' }\n"
	"local function mnmac(j, f) return string.format('02:%02x:00:00:%02x:%02x', f, j >> 8 & 255, j & 255) end\n"
	"local function hoa6(j) return string.format('fd00:1:0:1::%x', 0x1000 + j) end\n"
	"local function coa6(j, r) return string.format('fd00:1:0:%x::%x', 2 + r % 4, 0x1000 + j) end\n"
	"local function hoa4(j) return string.format('10.1.%d.%d', 1 + j // 250, 1 + j % 250) end\n"
	"local function tok(j, r, k) return string.format('%02x%06x%08x', k, j, r) end\n"
	"local t, next_ra = 0, 0\n"
	"local function out(p) t = t + 20; return frame(t, p) end\n"
	"local function ras()\n"
	"  if t < next_ra then return true end\n"
	"  next_ra = next_ra + 50000\n"
	"  return out { eth = { src = MAC.ar, dst = MAC.all }, ip6 = { src = 'fe80::1', dst = 'ff02::1', hlim = 255 },\n"
	"               icmp6 = { type = 'ra', lifetime = 1800, opts = { { type = 'sll', addr = MAC.ar },\n"
	"                 { type = 'advint', advint = 70 }, { type = 'prefix', prefix = 'fd00:1:0:2::/64', flags = { L = 1, A = 1 } } } } }\n"
	"end\n"
	"local function mip6(j, r)\n"
	"  local hoa, coa, mac, seq = hoa6(j), coa6(j, r), mnmac(j, 6), (100 + r) % 65536\n"
	"  local ts = 0x6e00000000000000 + r\n"
	"  local ht, ct, hc, cc = tok(j, r, 1), tok(j, r, 2), tok(j, r, 3), tok(j, r, 4)\n"
	"  local auth = { type = 'auth', subtype = 1, spi = SPI, key = KEY6 }\n"
	"  local ok = out { eth = { src = mac, dst = MAC.ar }, ip6 = { src = coa, dst = HA6 }, dopt = { hao = hoa },\n"
	"    mh = { type = 'bu', seq = seq, flags = { A = 1, H = 1 }, lifetime = 60, opts = { { type = 'replay', ts = ts }, auth } } }\n"
	"  and out { eth = { src = MAC.ha, dst = mac }, ip6 = { src = HA6, dst = coa }, rh = { type = 2, addr = hoa },\n"
	"    mh = { type = 'ba', status = 0, seq = seq, lifetime = 60, opts = { { type = 'replay', ts = ts }, auth } } }\n"
	"  if ok and r == 0 then\n"
	"    ok = out { eth = { src = MAC.ha, dst = MAC.all }, ip6 = { src = 'fe80::10', dst = 'ff02::1', hlim = 255 },\n"
	"      icmp6 = { type = 'na', flags = { O = 1 }, target = hoa, opts = { { type = 'tll', addr = MAC.ha } } } }\n"
	"  end\n"
	"  local tr = { flow = 1 + j, seq = r, sent = 1700000000000000000 + t * 1000, size = 60 }\n"
	"  local idx = r % 65536\n"
	"  return ok\n"
	"  and out { eth = { src = MAC.cn, dst = MAC.ha }, ip6 = { src = HOST6, dst = hoa, hlim = 63 }, traffic = tr }\n"
	"  and out { eth = { src = MAC.ha, dst = mac }, ip6 = { src = HA6, dst = coa }, inner = { ip6 = { src = HOST6, dst = hoa, hlim = 62 }, traffic = tr } }\n"
	"  and out { eth = { src = mac, dst = MAC.ar }, ip6 = { src = coa, dst = HA6 }, inner = { ip6 = { src = hoa, dst = HOST6, hlim = 64 }, traffic = tr } }\n"
	"  and out { eth = { src = mac, dst = MAC.ar }, ip6 = { src = coa, dst = HA6 }, inner = { ip6 = { src = hoa, dst = CN }, mh = { type = 'hoti', cookie = hc } } }\n"
	"  and out { eth = { src = MAC.ha, dst = MAC.cn }, ip6 = { src = hoa, dst = CN }, mh = { type = 'hoti', cookie = hc } }\n"
	"  and out { eth = { src = mac, dst = MAC.ar }, ip6 = { src = coa, dst = CN }, mh = { type = 'coti', cookie = cc } }\n"
	"  and out { eth = { src = MAC.cn, dst = MAC.ha }, ip6 = { src = CN, dst = hoa }, mh = { type = 'hot', nonce_idx = idx, cookie = hc, token = ht } }\n"
	"  and out { eth = { src = MAC.ha, dst = mac }, ip6 = { src = HA6, dst = coa }, inner = { ip6 = { src = CN, dst = hoa }, mh = { type = 'hot', nonce_idx = idx, cookie = hc, token = ht } } }\n"
	"  and out { eth = { src = MAC.cn, dst = mac }, ip6 = { src = CN, dst = coa }, mh = { type = 'cot', nonce_idx = idx, cookie = cc, token = ct } }\n"
	"  and out { eth = { src = mac, dst = MAC.ar }, ip6 = { src = coa, dst = CN }, dopt = { hao = hoa },\n"
	"    mh = { type = 'bu', seq = seq, flags = { A = 1 }, lifetime = 100, align = true,\n"
	"           opts = { { type = 'ni', home = idx, coa = idx }, { type = 'bad', home_token = ht, coa_token = ct } } } }\n"
	"  and out { eth = { src = MAC.cn, dst = mac }, ip6 = { src = CN, dst = coa }, rh = { type = 2, addr = hoa },\n"
	"    mh = { type = 'ba', status = 0, seq = seq, lifetime = 100, opts = { { type = 'bad', home_token = ht, coa_token = ct } } } }\n"
	"  and out { eth = { src = MAC.cn, dst = mac }, ip6 = { src = CN, dst = coa }, rh = { type = 2, addr = hoa }, traffic = tr }\n"
	"  and out { eth = { src = mac, dst = MAC.ar }, ip6 = { src = coa, dst = CN }, dopt = { hao = hoa }, traffic = tr }\n"
	"end\n"
	"local function mip4(j, r)\n"
	"  local home, mac, coa = hoa4(j), mnmac(j, 4), FA4\n"
	"  local id = ((1700000000 + 2208988800 + t // 1000000) << 32) | (r & 0xffffffff)\n"
	"  local ext = { { type = 'mnha', spi = SPI, key = KEY4 } }\n"
	"  local rrq = { type = 'rrq', flags = { T = 1 }, lifetime = 300, home = home, ha = HA4, coa = coa, id = id, ext = ext }\n"
	"  local rrp = { type = 'rrp', code = 0, lifetime = 300, home = home, ha = HA4, id = id, ext = ext }\n"
	"  return out { eth = { src = mac, dst = MAC.fa }, ip = { src = home, dst = FA4 }, udp = { sport = 49152, dport = 434 }, mip4 = rrq }\n"
	"  and out { eth = { src = MAC.fa, dst = MAC.ha4 }, ip = { src = FA4, dst = HA4 }, udp = { sport = 434, dport = 434 }, mip4 = rrq }\n"
	"  and out { eth = { src = MAC.ha4, dst = MAC.fa }, ip = { src = HA4, dst = FA4 }, udp = { sport = 434, dport = 434 }, mip4 = rrp }\n"
	"  and out { eth = { src = MAC.fa, dst = mac }, ip = { src = FA4, dst = home }, udp = { sport = 434, dport = 49152 }, mip4 = rrp }\n"
	"  and out { eth = { src = MAC.ha4, dst = MAC.fa }, ip = { src = HA4, dst = coa, ttl = 64 },\n"
	"    inner = { ip = { src = HOST4, dst = home, ttl = 63 }, icmp = { type = 'echo', id = j, seq = r } } }\n"
	"  and out { eth = { src = MAC.fa, dst = mac }, ip = { src = HOST4, dst = home, ttl = 62 }, icmp = { type = 'echo', id = j, seq = r } }\n"
	"  and out { eth = { src = MAC.fa, dst = 'ff:ff:ff:ff:ff:ff' }, arp = { op = 'request', sha = MAC.fa, spa = FA4, tha = '00:00:00:00:00:00', tpa = HA4 } }\n"
	"  and out { eth = { src = MAC.ha4, dst = MAC.fa }, arp = { op = 'reply', sha = MAC.ha4, spa = HA4, tha = MAC.fa, tpa = FA4 } }\n"
	"end\n"
	"local r = 0\n"
	"while true do\n"
	"  for j = 0, M - 1 do\n"
	"    if not (ras() and mip6(j, r) and ras() and mip4(j, r)) then return end\n"
	"  end\n"
	"  r = r + 1\n"
	"end\n";

struct pgm { struct pg_writer *w; uint64_t n, want, t0; };

/* frame(t_us, packet) -> true while more frames are wanted */
static int pgm_l_frame(lua_State *L)
{
	struct pgm *g = lua_touserdata(L, lua_upvalueindex(1));
	struct craft_env env = { .what = "pg_mobility" };
	uint8_t buf[CRAFT_MAX];
	lua_Integer t = luaL_checkinteger(L, 1);

	if (g->n < g->want) {
		size_t len = craft_frame(L, 2, &env, buf, sizeof buf);
		pg_write(g->w, g->t0 + (uint64_t)t * 1000u, buf, len);
		g->n++;
	}
	lua_pushboolean(L, g->n < g->want);
	return 1;
}

int pg_mobility(const char *path, uint64_t n, int n_mn, char *err, size_t errlen)
{
	struct pgm g = { .want = n, .t0 = 1700000000000000000ull };
	lua_State *L;
	int rc = 0;

	if (!(g.w = pg_open(path, err, errlen)))
		return -1;
	if (!(L = luaL_newstate())) {
		snprintf(err, errlen, "pg_mobility: luaL_newstate: out of memory");
		pg_close(g.w);
		return -1;
	}
	luaL_openlibs(L);
	lua_pushlightuserdata(L, &g);
	lua_pushcclosure(L, pgm_l_frame, 1);
	lua_setglobal(L, "frame");
	lua_pushinteger(L, n_mn > 0 ? n_mn : 1);
	lua_setglobal(L, "M");
	if (luaL_loadbuffer(L, pgm_script, sizeof pgm_script - 1, "=pg_mobility") != LUA_OK ||
	    lua_pcall(L, 0, 0, 0) != LUA_OK) {
		snprintf(err, errlen, "%s", lua_tostring(L, -1));
		rc = -1;
	}
	lua_close(L);
	pg_close(g.w);
	return rc;
}
