-- wrk script used by bench/run for every target (nginx and Sportello alike),
-- so that the load generator does the same work against both.
--
-- Usage: wrk ... -s bench/lookup.lua URL -- PATHS_FILE MARKER
--   PATHS_FILE  one request path per line (e.g. /api/v1/taxpayers?...&fiscal_code=CF);
--               the requests rotate over it, each wrk thread from its own offset.
--   MARKER      a Lua pattern every good response body must contain.
-- A response is "bad" when its status is not 200 or its body lacks MARKER.
-- At the end one machine-readable line starting with "BENCH " is printed;
-- bench/run parses it (latencies in microseconds, as wrk measures them).

local threads = {}

-- Runs in the main Lua state once per wrk thread, before init().
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local reqs = {}
local next_req = 0
local marker = nil
bad = 0 -- global so that done() can read it with thread:get()

-- Pre-formats every request once, so the hot path only picks a string.
function init(args)
  local file = args[1]
  marker = args[2]
  if file == nil then error("lookup.lua: missing PATHS_FILE argument") end
  for line in io.lines(file) do
    if line ~= "" then reqs[#reqs + 1] = wrk.format("GET", line) end
  end
  if #reqs == 0 then error("lookup.lua: no paths in " .. file) end
  next_req = ((id or 0) * 7919) % #reqs
end

function request()
  next_req = next_req % #reqs + 1
  return reqs[next_req]
end

function response(status, headers, body)
  if status ~= 200 or (marker and marker ~= "" and not string.find(body or "", marker)) then
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
