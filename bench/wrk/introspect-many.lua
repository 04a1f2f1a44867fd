-- POST /v1/introspect presenting the tokens of TOKENS_FILE in turn, one after another across all
-- connections (with -t1 every connection shares this counter): 1,000 distinct tokens round-robin, all
-- cached after the warm-up, so no two consecutive requests on a connection carry the same token.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GATEWAY_TOKEN")
local bodies = {}
for line in io.lines(os.getenv("TOKENS_FILE")) do bodies[#bodies + 1] = "token=" .. line .. "&scope=query" end
-- Formatted once, in init: wrk knows the URL's path only once the script has loaded.
local requests = {}
function init(args)
  for i, body in ipairs(bodies) do requests[i] = wrk.format(nil, nil, nil, body) end
end
local n = 0
function request()
  n = n + 1
  return requests[(n - 1) % #requests + 1]
end
