-- wrk script of bench/sanp/run: POSTs paVerifyPaymentNotice requests to
-- /pagopa/paForNode, rotating over the notice numbers of NAVS_FILE put in
-- TEMPLATE_FILE at @NAV@ (each wrk thread from its own offset).
-- Usage: wrk ... -s bench/sanp/verify.lua URL -- NAVS_FILE TEMPLATE_FILE MARKER
-- A response is "bad" when its status is not 200 or its body lacks MARKER.
-- Prints the same "BENCH ..." line as bench/lookup.lua.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local reqs = {}
local next_req = 0
local marker = nil
bad = 0

function init(args)
  local navs, tpl = args[1], args[2]
  marker = args[3]
  local f = assert(io.open(tpl, "r"))
  local body = f:read("*a")
  f:close()
  local headers = { ["Content-Type"] = "text/xml; charset=utf-8", ["SOAPAction"] = '"paVerifyPaymentNotice"' }
  for nav in io.lines(navs) do
    if nav ~= "" then
      reqs[#reqs + 1] = wrk.format("POST", "/pagopa/paForNode", headers, (body:gsub("@NAV@", nav)))
    end
  end
  if #reqs == 0 then error("verify.lua: no notice numbers in " .. navs) end
  next_req = ((id or 0) * 7919) % #reqs
end

function request()
  next_req = next_req % #reqs + 1
  return reqs[next_req]
end

function response(status, headers, body)
  if status ~= 200 or (marker and marker ~= "" and not string.find(body or "", marker, 1, true)) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local nbad = 0
  for _, t in ipairs(threads) do nbad = nbad + (t:get("bad") or 0) end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d rps=%.1f mean_us=%.1f p50_us=%d p90_us=%d p99_us=%d " ..
    "max_us=%d bad=%d status_errors=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    summary.requests / (summary.duration / 1e6), latency.mean,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    nbad, e.status, e.connect, e.read, e.write, e.timeout))
end
