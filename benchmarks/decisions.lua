-- wrk script: POST /api/v1/decisions as a data holder. Set PROJECT and API_KEY in the environment:
--   PROJECT=prj-… API_KEY=rlk_… wrk -t2 -c2 -d30s --latency -s benchmarks/decisions.lua http://127.0.0.1:8080/api/v1/decisions
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Api-Key"] = os.getenv("API_KEY")
local project = os.getenv("PROJECT")
local n = 0
request = function()
  n = n + 1
  local person = string.format("%016x%016x", n * 2654435761 % 4294967296, n)
  return wrk.format(nil, nil, nil, '{"person":"' .. person .. '","projectId":"' .. project .. '"}')
end
