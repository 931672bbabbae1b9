-- wrk script of the soak (bench/soak.py): mixed traffic from a list of requests, one per line
-- ("GET /path" or "SIGNUP /api/v1/activities/<id>/signups"), each thread walking the list from
-- its own offset; a sign-up carries the next member's token (second file). The pace: each
-- connection waits `delay` ms after each answer (third argument), which holds the load near the
-- soak's target rate. Statuses are counted per code, printed as "status <code>: <n>".
-- Usage: wrk -s bench/soak.lua URL -- requests.txt tokens.txt <delay ms> <threads>

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "statuses.lua")
local lines = {}
local tokens = {}
local counter = 0
local pause = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    lines[#lines + 1] = line
  end
  for line in io.lines(args[2]) do
    tokens[#tokens + 1] = line
  end
  pause = tonumber(args[3])
  nthreads = tonumber(args[4])
end

function delay()
  return pause
end

function request()
  local n = counter * nthreads + id
  counter = counter + 1
  local kind, path = lines[n % #lines + 1]:match("^(%S+) (%S+)$")
  if kind == "SIGNUP" then
    local token = tokens[n % #tokens + 1]
    return wrk.format("POST", path, { ["Authorization"] = "Bearer " .. token }, nil)
  end
  return wrk.format("GET", path, nil, nil)
end
