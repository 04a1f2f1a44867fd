-- POST /v1/tokens with a fresh name every time (create throughput through the API).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ADMIN_TOKEN")
local run = os.time()
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/v1/tokens", nil, '{"name":"bench-create-' .. run .. '-' .. n .. '","scopes":["query"]}')
end
