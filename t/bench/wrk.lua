-- wrk script: a uniformly random slug (or search query) per request.
--
-- Environment: BENCH_SLUGS (file, one slug or URL-encoded query a line),
-- BENCH_PATH (the URL with %s for it), BENCH_AE (Accept-Encoding value, or
-- empty).
-- Requests are formatted once in init(), so that the load generator
-- spends its time on the network, not in Lua.  done() prints one
-- machine-readable line for t/bench/run.

local reqs, n

function init(args)
    local path = os.getenv("BENCH_PATH")
    local ae = os.getenv("BENCH_AE") or ""
    local headers = {}

    if ae ~= "" then
        headers["Accept-Encoding"] = ae
    end

    reqs, n = {}, 0

    for slug in io.lines(os.getenv("BENCH_SLUGS")) do
        n = n + 1
        reqs[n] = wrk.format("GET", string.format(path, slug), headers)
    end

    math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end

function request()
    return reqs[math.random(n)]
end

function done(summary, latency, requests)
    local e = summary.errors

    io.write(string.format(
        "WRKRESULT requests=%d duration_us=%d p50_us=%d p99_us=%d"
        .. " errors=%d status_errors=%d\n",
        summary.requests, summary.duration,
        latency:percentile(50), latency:percentile(99),
        e.connect + e.read + e.write + e.timeout, e.status))
end
