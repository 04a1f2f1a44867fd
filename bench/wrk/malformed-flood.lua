-- A paced flood of malformed tokens (right shape, wrong checksum) from a valid gateway: each
-- connection waits FLOOD_DELAY_MS between requests, so the rate is about connections × 1000 / delay.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GATEWAY_TOKEN")
local good = os.getenv("CLIENT_TOKEN")
local last = string.sub(good, -1)
local wrong = (last == "a") and "b" or "a"
wrk.body = "token=" .. string.sub(good, 1, -2) .. wrong .. "&scope=query"
local pause = tonumber(os.getenv("FLOOD_DELAY_MS") or "2")
function delay()
  return pause
end
