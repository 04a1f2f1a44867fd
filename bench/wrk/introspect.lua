-- POST /v1/introspect with one valid client token (warm cache, keep-alive); secrets come from the environment.
wrk.method = "POST"
wrk.body = "token=" .. os.getenv("CLIENT_TOKEN") .. "&scope=query"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GATEWAY_TOKEN")
