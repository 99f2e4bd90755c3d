-- wrk script: random directory searches that were never made before, to measure search work
-- that no shared page can answer (a dense word searched alone may come from the index's kept
-- words, src/search/remembered.rs, as it would for a visitor): 0-3 words drawn from the synthetic data's vocabulary (scripts/bench.sh
-- passes the sector, territory and form slugs it read from the facets of /annuaire in
-- BENCH_FACETS), 0-2 facets, a random page, and a counter that makes every query string unique.
local words = {
  "acces", "accessible", "accompagne", "accompagnement", "accueil", "accueille", "activites",
  "adaptes", "agees", "agir", "aide", "alimentation", "amateurs", "animation", "animations",
  "apprend", "approvisionnement", "appui", "archives", "art", "artistiques", "atelier", "ateliers",
  "auberge", "auto", "autrement", "avenir", "bailleurs", "balades", "bati", "batiment", "batir",
  "blanchisserie", "bons", "bureau", "cafe", "carrelage", "chantier", "chez", "citoyen",
  "citoyennes", "clauses", "club", "cocagne", "collecte", "collective", "comites", "compagnie",
  "compagnons", "conciergerie", "construction", "coup", "courses", "creant", "cree", "culture",
  "culturelle", "dechets", "decouvertes", "decouvrir", "demande", "deplacer", "destruction",
  "developpe", "diagnostics", "differenciee", "difficulte", "disposition", "domicile", "donne",
  "droits", "dune", "durable", "durables", "eco", "ecole", "ecologique", "ecriture", "education",
  "electromenager", "elles", "eloignees", "emploi", "emplois", "encadrement", "encombrants",
  "energetique", "energie", "energies", "enfants", "ensemble", "entraide", "entreprise",
  "entretien", "environnement", "epargne", "epicerie", "escapade", "espaces", "ess", "facilite",
  "fait", "familles", "ferme", "fetes", "finance", "financier", "flottes", "fonds", "foot",
  "forme", "freins", "garage", "garantie", "garde", "gestes", "gestion", "gites", "groupes",
  "guidees", "habitants", "habitat", "handicapees", "hebergement", "honneur", "industriel",
  "insertion", "investisseurs", "jardiniers", "jardins", "jeunesse", "jour", "lecture", "legumes",
  "leve", "libre", "littoral", "local", "locales", "location", "locaux", "logements", "maconnerie",
  "main", "maison", "marche", "marches", "marcheurs", "mediation", "menage", "menages", "metiers",
  "meubles", "microcredit", "milieu", "milieux", "mise", "mobil", "mobilise", "mobilite",
  "modestes", "musiques", "nature", "naturels", "nettoyage", "objets", "occasion", "oeuvre",
  "omnisports", "outil", "ouverte", "ouvre", "panier", "paniers", "papiers", "partage", "partagee",
  "passerelle", "patrimoine", "paysan", "peinture", "periscolaires", "personnel", "personnes",
  "petit", "petits", "placements", "plus", "point", "portage", "pratique", "pratiques", "prets",
  "prix", "producteurs", "produits", "projets", "propose", "protege", "proximite", "publics",
  "qualite", "quartier", "quartiers", "rapproche", "recyclage", "recyclerie", "reduit", "reemploi",
  "relais", "rend", "renov", "renovation", "renove", "repair", "reparation", "repas", "repassage",
  "repond", "respectueux", "ressourcerie", "restauration", "rester", "roue", "salaries", "saveurs",
  "scene", "scolaire", "second", "seconde", "sejours", "seminaires", "sensibilisation", "services",
  "social", "sociale", "sociales", "sociaux", "solidaire", "solidaires", "solidarite",
  "spectacles", "sport", "sportifs", "sportive", "sportives", "terre", "territoire", "theatre",
  "tourisme", "tous", "traiteur", "transition", "transport", "travail", "travaux", "tremplin",
  "tri", "vehicules", "velo", "velos", "vent", "vente", "vers", "vert", "verts", "vie", "visites",
  "vivante", "vivre", "voisins",
}
local facets = {}
for pair in string.gmatch(os.getenv("BENCH_FACETS") or "", "%S+") do
  facets[#facets + 1] = pair
end
local counter = 0

setup = function(thread)
  thread:set("seed", math.random(1, 1000000))
end

init = function()
  math.randomseed(os.time() + (seed or 0))
end

request = function()
  counter = counter + 1
  local parts = {}
  for _ = 1, math.random(0, 3) do
    parts[#parts + 1] = words[math.random(#words)]
  end
  local path = "/annuaire?q=" .. table.concat(parts, "+")
  if #facets > 0 then
    for _ = 1, math.random(0, 2) do
      path = path .. "&" .. facets[math.random(#facets)]
    end
  end
  return wrk.format("GET", path .. "&page=" .. math.random(1, 10) .. "&n=" .. counter .. "-" .. math.random(1, 1000000000))
end
