-- Shared by the wrk scripts (bench/signup.lua, bench/soak.lua): every answer's status counted
-- per thread, summed over the threads at the end and printed as "status <code>: <n>" lines,
-- which bench/server.py reads. A script loads it with
--   dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "statuses.lua")
-- and registers its threads with `threads` in its own setup().

threads = {}
statuses = {}  -- a global: done() reads it from each thread

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d: %d\n", status, count))
  end
end
