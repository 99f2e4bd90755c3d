-- wrk script: directory searches that mostly miss the 30-second result cache (a random word,
-- filter and page out of several thousand combinations), to measure uncached search work.
local words = {"", "recycl", "insertion", "atelier", "bois", "culture", "mobilite", "solidaire",
               "economie+solidaire", "jardin", "velo", "reemploi", "formation", "aide", "bio"}
local filters = {"", "&secteur=culture", "&territoire=nord", "&territoire=pas-de-calais",
                 "&forme=association", "&forme=scop", "&secteur=recyclage&territoire=nord",
                 "&territoire=communaute-urbaine-de-dunkerque", "&secteur=sport&secteur=tourisme"}
math.randomseed(os.time())
request = function()
  local path = "/annuaire?q=" .. words[math.random(#words)] .. filters[math.random(#filters)]
      .. "&page=" .. math.random(1, 40)
  return wrk.format("GET", path)
end
