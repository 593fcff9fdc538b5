-- wrk script for benches/server_load.sh: cycles through the request paths
-- in the file named by the URLS environment variable (one per line), so
-- every connection sends varied amaGama lookups.
local paths = {}
local file = assert(io.open(os.getenv("URLS") or "urls.txt", "r"))
for line in file:lines() do
  if #line > 0 then paths[#paths + 1] = line end
end
file:close()
assert(#paths > 0, "no request paths")

local counter = 0
function setup(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end

local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[((i + offset) % #paths) + 1])
end

local statuses = {}
function response(status, headers, body)
  if status ~= 200 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("non-2xx/3xx: %d\n", summary.errors.status))
end
