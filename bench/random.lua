-- wrk script for bench/http.sh: each request asks for /articles/<id> with the
-- id drawn uniformly from a file of ids, one per line (the script argument
-- after `--`). The generator has a fixed seed, so Broadsheet and nginx are
-- asked for the same sequence of pages. Requests are formatted once in
-- `init`: formatting per request would make wrk, not the server, the limit.
local requests = {}

function init(args)
  for line in io.lines(args[1]) do
    requests[#requests + 1] = wrk.format(nil, "/articles/" .. line)
  end
  if #requests == 0 then
    error("no ids in " .. tostring(args[1]))
  end
  math.randomseed(42)
end

function request()
  return requests[math.random(#requests)]
end
