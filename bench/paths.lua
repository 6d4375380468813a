-- wrk script for every benchmark scenario: each request asks for a path drawn at random from the file
-- named by WRK_PATHS (one path a line), with a fixed seed (WRK_SEED) so every run and every server sees
-- the same sequence. WRK_COOKIE, when set, is sent on every request (the signed-in page views).
-- When the run ends, one line starting with "WRK_JSON " gives the figures bench/run.py reads.

local paths = {}

function init(args)
   for line in io.lines(os.getenv("WRK_PATHS")) do
      if line ~= "" then
         paths[#paths + 1] = line
      end
   end
   math.randomseed(tonumber(os.getenv("WRK_SEED") or "20261128"))
   local cookie = os.getenv("WRK_COOKIE")
   if cookie and cookie ~= "" then
      wrk.headers["Cookie"] = cookie
   end
end

function request()
   return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, ' ..
      '"p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, "connect_errors": %d, ' ..
      '"read_errors": %d, "write_errors": %d, "timeouts": %d, "non_2xx_3xx": %d}\n',
      summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
      latency:percentile(95), latency:percentile(99), latency.max, latency.mean, errors.connect,
      errors.read, errors.write, errors.timeout, errors.status))
end
