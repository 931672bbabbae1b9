-- wrk script of the sign-up storm (bench/storm.py): every request POSTs a sign-up with the
-- next member's token (read from the file given after `--`), so each connection signs up
-- distinct members; tokens are reused only once all are used (a repeat answers 200).
-- Usage: wrk -c500 -s bench/signup.lua http://…/api/v1/activities/<id>/signups -- tokens.txt

local threads = {}
local tokens = {}
local counter = 0
statuses = {}  -- a global: done() reads it from each thread

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    tokens[#tokens + 1] = line
  end
  nthreads = tonumber(args[2])
end

function request()
  local i = (counter * nthreads + id) % #tokens + 1
  counter = counter + 1
  return wrk.format("POST", nil, { ["Authorization"] = "Bearer " .. tokens[i] }, nil)
end

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
