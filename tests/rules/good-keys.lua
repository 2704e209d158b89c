-- expect: ok
-- Every key rule{} knows, once each: loads and judges.
rule {
  id = "x.good", rfc = "RFC 6275 §9.5.1", text = "all known keys",
  select = { ["mh.type"] = 5 },
  check = function(pkts) return pass() end,
}
rule { id = "x.never", text = "never", select = { ["mh.type"] = 200 }, never = true }
