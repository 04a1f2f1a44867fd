-- Latency at a moderate, steady rate: each connection pauses PACE_MS after every response, so the
-- rate is about connections × 1000 / (PACE_MS + latency). wrk times each request itself.
-- With TOKENS_FILE, every request presents the next token from that file (a cold run: none cached);
-- otherwise CLIENT_TOKEN every time (warm). With PATH_ONLY set, plain GETs of that path (the list).
local pace = tonumber(os.getenv("PACE_MS") or "4")
local path = os.getenv("PATH_ONLY")
local tokens = {}
local file = os.getenv("TOKENS_FILE")
if file then
  for line in io.lines(file) do tokens[#tokens + 1] = line end
else
  tokens[1] = os.getenv("CLIENT_TOKEN")
end
local n = 0

if path then
  wrk.method = "GET"
  wrk.path = path
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("ADMIN_TOKEN")
else
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("GATEWAY_TOKEN")
  request = function()
    n = n + 1
    return wrk.format(nil, nil, nil, "token=" .. tokens[(n - 1) % #tokens + 1] .. "&scope=query")
  end
end

function delay()
  return pace
end
