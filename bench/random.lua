-- wrk script for bench/http.sh: each request asks for /articles/<id> with the
-- id drawn uniformly from a file of ids, one per line (the script argument
-- after `--`). The generator has a fixed seed, so Broadsheet and nginx are
-- asked for the same sequence of pages.
local paths = {}

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = "/articles/" .. line
  end
  if #paths == 0 then
    error("no ids in " .. tostring(args[1]))
  end
  math.randomseed(42)
end

function request()
  return wrk.format(nil, paths[math.random(#paths)])
end
