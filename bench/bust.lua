-- wrk script for bench/http.sh's cache-busting case: every request asks for
-- a page with a query string never seen before (`?utm_source=<counter>`),
-- with `Accept-Encoding: br`, as a client trying to make the server render
-- and compress a new URL each time would. Pages: the site feed, the index, a
-- section list and article pages drawn from the ids file (the script
-- argument after `--`).
local paths = { "/feed.xml", "/", "/sections" }
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = "/articles/" .. line
  end
  math.randomseed(7)
  wrk.headers["Accept-Encoding"] = "br"
end

function request()
  counter = counter + 1
  local path = paths[math.random(#paths)]
  return wrk.format(nil, path .. "?utm_source=" .. counter .. "-" .. math.random(1000000000))
end
