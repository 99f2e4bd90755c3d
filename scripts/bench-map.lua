-- wrk script: the map's groups for random boxes at random zooms, as a visitor panning and
-- zooming over the territory would ask them (scripts/bench-map.sh). A box is what a 1,200 x 700
-- pixel map shows at its zoom (7: the whole region, 17: a street), centred at a random point of
-- the territory; one request in three adds a filter (BENCH_FACETS), one in four a word.
local facets = {}
for facet in string.gmatch(os.getenv("BENCH_FACETS") or "", "%S+") do
  facets[#facets + 1] = facet
end
local words = { "insertion", "recyclage", "emploi", "culture", "jardins", "solidaire", "sport" }
local counter = 0

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8), 16) or 0))
end

request = function()
  counter = counter + 1
  local zoom = math.random(7, 17)
  local width = 360 / 2 ^ zoom * (1200 / 256)
  local height = width * 0.63 * 700 / 1200
  local lon = 1.6 + math.random() * 1.7
  local lat = 50.0 + math.random() * 1.1
  local path = string.format("/annuaire/carte.json?zone=%.5f,%.5f,%.5f,%.5f&zoom=%d",
    lon - width / 2, lat - height / 2, lon + width / 2, lat + height / 2, zoom)
  if #facets > 0 and math.random(3) == 1 then
    path = path .. "&" .. facets[math.random(#facets)]
  end
  if math.random(4) == 1 then
    path = path .. "&q=" .. words[math.random(#words)]
  end
  return wrk.format("GET", path)
end
