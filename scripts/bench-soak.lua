-- wrk script for the soak run: a steady mix of what visitors and members do. Each connection
-- waits SOAK_DELAY_MS between requests, so the rate stays steady (about connections x 1000 /
-- (delay + latency) per second) instead of saturating the server.
--   pages 40 %, searches 30 %, entry edits by a logged-in manager 10 %, logins 10 %, sign-ups 10 %.
-- 5xx answers are counted per thread and reported at the end. The server trusts X-Forwarded-For
-- (DESSINE_TRUST_PROXY=1), so each request comes from its own address and rate limits apply as
-- to that many visitors.
local cookie = os.getenv("SOAK_COOKIE") or ""
local delay_ms = tonumber(os.getenv("SOAK_DELAY_MS") or "40")
local pages = {"/", "/annuaire", "/qu-est-ce-que-l-ess", "/annuaire/entreprendre-ensemble",
               "/annuaire/les-courses-asteur", "/connexion", "/inscription"}
local words = {"recycl", "insertion", "culture", "velo", "jardin", "solidaire", "bois", "aide"}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  errors5xx = 0
  answers = 0
end

function delay()
  return delay_ms
end

local function address()
  counter = counter + 1
  return "10." .. (id or 1) .. "." .. (math.floor(counter / 250) % 250) .. "." .. (counter % 250 + 1)
end

local function form(path, body, headers)
  headers = headers or {}
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["X-Forwarded-For"] = address()
  return wrk.format("POST", path, headers, body)
end

request = function()
  local r = math.random(100)
  if r <= 40 then
    return wrk.format("GET", pages[math.random(#pages)], {["X-Forwarded-For"] = address()})
  elseif r <= 70 then
    return wrk.format("GET", "/annuaire?q=" .. words[math.random(#words)] .. "&page=" .. math.random(1, 3),
      {["X-Forwarded-For"] = address()})
  elseif r <= 80 then
    return form("/annuaire/les-courses-asteur/modifier",
      "name=Les+Courses+Asteur&offer=Livraisons+" .. math.random(1000000) ..
      "&postal_code=59140&sectors=mobilite&sectors=services-a-la-personne",
      {["Cookie"] = cookie})
  elseif r <= 90 then
    return form("/connexion", "email=gerance%40courses-asteur.example&password=demo-gerance-asteur&suivant=")
  else
    counter = counter + 1
    return form("/inscription", "name=Soak&email=soak-" .. (id or 1) .. "-" .. counter .. "-" ..
      math.random(1000000000) .. "%40exemple.fr&password=cheval+agrafe+batterie")
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
  io.write(string.format("SOAK answers=%d 5xx=%d p50=%.1fms p99=%.1fms max=%.1fms rate=%.1f/s\n",
    total, total5xx, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests / (summary.duration / 1e6)))
end
