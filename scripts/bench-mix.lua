-- wrk script: the saturating mix of issue 28, each request from its own client address
-- (the server trusts X-Forwarded-For): 45 % reading pages of every kind (MIX_PAGES, space-
-- separated), 30 % random never-repeated searches, 10 % guest registrations to an event
-- (MIX_EVENT, its slug), 8 % wrong logins, 7 % label identifier checks. MIX_DELAY_MS between
-- requests of a connection (0: as fast as the server answers; a fraction is kept on average, wrk
-- waiting whole milliseconds). Prints one MIX line: answers,
-- 5xx, answers over 2 s, latency percentiles, rate.
local pages = {}
for page in string.gmatch(os.getenv("MIX_PAGES") or "/", "%S+") do table.insert(pages, page) end
local event = os.getenv("MIX_EVENT") or ""
local delay_ms = tonumber(os.getenv("MIX_DELAY_MS") or "0")
local words = {"recyclage", "insertion", "culture", "velo", "jardin", "solidaire", "bois", "aide",
               "emploi", "habitat", "mobilite", "alimentation", "numerique", "ess", "cooperative"}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  errors5xx = 0
  slow = 0
  answers = 0
end

function delay()
  local whole = math.floor(delay_ms)
  if math.random() < delay_ms - whole then return whole + 1 end
  return whole
end

local function address()
  counter = counter + 1
  return "10." .. (id or 1) .. "." .. (math.floor(counter / 250) % 250) .. "." .. (counter % 250 + 1)
end

local function form(path, body)
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Forwarded-For"] = address(),
  }, body)
end

request = function()
  local r = math.random(100)
  if r <= 45 then
    return wrk.format("GET", pages[math.random(#pages)], {["X-Forwarded-For"] = address()})
  elseif r <= 75 then
    counter = counter + 1
    local q = words[math.random(#words)]
    if math.random(2) == 1 then q = q .. "+" .. words[math.random(#words)] end
    return wrk.format("GET", "/annuaire?q=" .. q .. "&page=" .. math.random(1, 3) .. "&n=" ..
      (id or 1) .. "-" .. counter, {["X-Forwarded-For"] = address()})
  elseif r <= 85 then
    counter = counter + 1
    return form("/evenements/" .. event .. "/inscription", "slug=" .. event ..
      "&name=Invite+Mix&email=mix-" .. (id or 1) .. "-" .. counter .. "-" .. math.random(1000000000) ..
      "%40exemple.fr")
  elseif r <= 93 then
    return form("/connexion", "email=personne-" .. math.random(1000000) ..
      "%40exemple.fr&password=mauvais+mot+de+passe&suivant=")
  else
    return wrk.format("GET", "/label/verifier?identifiant=DP-62-" .. math.random(1000, 9999) .. "-" ..
      math.random(1000, 9999), {["X-Forwarded-For"] = address()})
  end
end

response = function(status, headers, body)
  answers = answers + 1
  if status >= 500 then errors5xx = errors5xx + 1 end
end

done = function(summary, latency, requests)
  local total5xx, total = 0, 0
  for _, thread in ipairs(threads) do
    total5xx = total5xx + thread:get("errors5xx")
    total = total + thread:get("answers")
  end
  local over = 0
  -- wrk keeps every latency: the share over 2 s from its distribution.
  for p = 99.0, 100.0, 0.001 do
    if latency:percentile(p) > 2000000 then
      over = math.floor(total * (100 - p) / 100 + 0.5)
      break
    end
  end
  -- Requests past wrk's own time limit are not in its latencies: over 2 s too.
  over = over + summary.errors.timeout
  io.write(string.format(
    "MIX answers=%d 5xx=%d over2s=%d timeouts=%d p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms rate=%.1f/s\n",
    total, total5xx, over, summary.errors.timeout, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6)))
end
