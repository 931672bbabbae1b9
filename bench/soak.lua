-- wrk script of the soak (bench/soak.py): mixed traffic from a list of requests, one per line
-- ("GET /path" or "SIGNUP /api/v1/activities/<id>/signups"), the threads taking turns; a
-- sign-up carries the next member's token (second file). Requests are numbered on from `start`
-- (fifth argument: bench/soak.py's count of the soak's earlier wrk runs' requests), so a new
-- slice goes on with new members instead of reusing the tokens of the slices before it.
--
-- The pace is a fixed rate, as wrk2 holds one: each thread sends its i-th request at
-- `t0 + i * interval` (third argument, ms; 0 = as fast as the connections go), whichever
-- connection is free, so the rate does not follow the answers' latency: when the pages get
-- cheaper (sign-ups repeat, pages come from the cache) the load does not rise, and when they
-- get dearer it does not fall as long as a connection is free. A thread that falls behind
-- catches up by at most `CATCH_UP` intervals, not by a burst of everything it owes.
-- Statuses are counted per code, printed as "status <code>: <n>".
-- Usage: wrk -s bench/soak.lua URL -- requests.txt tokens.txt <interval ms> <threads> <start>

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "statuses.lua")
local ffi = require("ffi")
ffi.cdef([[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock_id, bench_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local now_ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, now_ts)
  return tonumber(now_ts.tv_sec) * 1000 + tonumber(now_ts.tv_nsec) / 1e6
end

local CATCH_UP = 10
numbered = 0 -- a global: done() reads each thread's, the number after its last request
local lines = {}
local signups_before = {} -- line k → how many SIGNUP lines come before it
local signups_per_walk = 0
local tokens = {}
local counter = 0
local interval = 0
local start = 0
local t0 = nil
local slot = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    lines[#lines + 1] = line
    signups_before[#lines] = signups_per_walk
    if line:match("^SIGNUP ") then
      signups_per_walk = signups_per_walk + 1
    end
  end
  for line in io.lines(args[2]) do
    tokens[#tokens + 1] = line
  end
  interval = tonumber(args[3])
  nthreads = tonumber(args[4])
  start = tonumber(args[5] or "0")
end

function delay()
  if interval <= 0 then
    return 0
  end
  local now = now_ms()
  if t0 == nil then
    -- The threads start a fraction of an interval apart, not all at once.
    t0 = now + interval * id / nthreads
  end
  local due = t0 + slot * interval
  if due < now - CATCH_UP * interval then
    -- Far behind (the server slower than the target): forget what is owed beyond CATCH_UP.
    slot = math.floor((now - CATCH_UP * interval - t0) / interval)
    due = t0 + slot * interval
  end
  slot = slot + 1
  return math.max(0, math.floor(due - now))
end

function request()
  -- The soak's n-th request (over all its wrk runs) is the mix's line n, and the k-th sign-up
  -- of the soak carries the k-th token.
  local n = start + counter * nthreads + id
  counter = counter + 1
  numbered = n + 1
  local k = n % #lines + 1
  local kind, path = lines[k]:match("^(%S+) (%S+)$")
  if kind == "SIGNUP" then
    local signup = math.floor(n / #lines) * signups_per_walk + signups_before[k]
    local token = tokens[signup % #tokens + 1]
    return wrk.format("POST", path, { ["Authorization"] = "Bearer " .. token }, nil)
  end
  return wrk.format("GET", path, nil, nil)
end

-- After the statuses, the number the next run of the soak starts from ("next request: <n>").
local count_statuses = done
function done(summary, latency, requests)
  count_statuses(summary, latency, requests)
  local last = 0
  for _, thread in ipairs(threads) do
    last = math.max(last, thread:get("numbered") or 0)
  end
  io.write(string.format("next request: %d\n", last))
end
