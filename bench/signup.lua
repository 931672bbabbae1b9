-- wrk script of the sign-up storm (bench/storm.py): every request POSTs a sign-up with the
-- next member's token (read from the file given after `--`), so each connection signs up
-- distinct members; tokens are reused only once all are used (a repeat answers 200).
-- Usage: wrk -c500 -s bench/signup.lua http://…/api/v1/activities/<id>/signups -- tokens.txt

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "statuses.lua")
local tokens = {}
local counter = 0

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
