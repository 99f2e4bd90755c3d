#!/usr/bin/env bash
# The Nu HTML checker (vnu, from npm vnu-jar, run by Java) on one page of every type, as a visitor
# and as the demo site admin, against a running server with the demo data.
#   scripts/check-html.sh http://127.0.0.1:PORT
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
base=$1
e2e_node_modules
vnu=end2end/node_modules/vnu-jar/build/dist/vnu.jar
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
salon=salon-de-l-achat-responsable-du-dunkerquois
visitor_pages=(
  / /qu-est-ce-que-l-ess /qu-est-ce-que-dessine /qui-sommes-nous
  /mentions-legales /donnees-personnelles /accessibilite /plan-du-site
  /lettre "/lettre/confirmer?jeton=inconnu" "/lettre/desinscription?jeton=inconnu"
  /annuaire "/annuaire?q=recyclage&secteur=culture" /annuaire/entreprendre-ensemble
  "/annuaire/carte?q=recyclage" "/annuaire?pres=Dunkerque" "/annuaire?zone=2.2,50.9,2.5,51.1&pres=inconnue"
  /observatoire "/observatoire?territoire=communaute-urbaine-de-dunkerque" /donnees
  /moyens "/moyens?type=salle&sens=offre" /moyens/1
  /cooperer /accompagnement /accompagnement/reseaux "/accompagnement/suivi?jeton=inconnu" /accompagnement/demandes/1
  /appels /appels/1 /appels/3 /consortiums/1
  /connexion /inscription /mot-de-passe-oublie "/reinitialiser?token=inconnu" "/verifier?token=inconnu"
  /evenements "/evenements?passes=1&type=autre" "/evenements/$salon"
  "/evenements/confirmer?jeton=inconnu" "/evenements/annuler?jeton=inconnu" /page-qui-n-existe-pas
  /clubs /clubs/club-de-l-ess-du-dunkerquois "/clubs/invitation?jeton=inconnu"
  /actualites "/actualites?mot-cle=demarche-progres" "/actualites?page=2"
  /actualites/premier-salon-de-l-achat-responsable-l-ess-fait-des-affaires
  /label "/label/verifier?identifiant=DP-62-MP7K-Q3XA" "/label/verifier?identifiant=DP-62-PB4N-R8TE"
  "/label/verifier?identifiant=inconnu" "/annuaire?label=demarche-progres" /annuaire/maison-de-la-poesie
  /achats "/achats?secteur=recyclage&territoire=communaute-urbaine-de-dunkerque" /achats/1 /achats/2 /achats/3
  /achats/bilan "/achats/bilan?annee=2020" "/evenements/$salon/rendez-vous" /achats/nouveau
  /annuaire/referencer /annuaire/les-courses-asteur/corriger "/annuaire/proposition/confirmer?jeton=inconnu"
  "/annuaire/toujours-exact?jeton=inconnu" "/annuaire/confirmer-gestion?jeton=inconnu"
)
admin_pages=(
  /compte /admin/utilisateurs /annuaire/les-courses-asteur/modifier "/evenements/$salon"
  "/evenements/$salon/gestion" "/evenements/$salon/accueil" "/evenements/$salon/liste"
  "/evenements/$salon/modifier" /evenements/nouveau
  /clubs/club-de-l-ess-du-dunkerquois "/clubs/club-de-l-ess-du-dunkerquois?inviter=reseau"
  /clubs/club-de-l-ess-du-dunkerquois/membres /clubs/nouveau /clubs/club-de-l-ess-du-dunkerquois/modifier
  /redaction /redaction/articles/nouveau /redaction/articles/1 /redaction/pages/qui-sommes-nous
  /actualites/bilan-de-l-annee-du-club-brouillon
  /label/gestion /label/cohortes/3/journees/4 /annuaire/les-courses-asteur /annuaire/jardins-du-littoral
  /achats/1 /achats/2 /achats/3 /achats/4 /achats/nouveau /achats/mes-demandes "/evenements/$salon/rendez-vous"
  /moderation /moderation/1 /moderation/2 /moderation/moderateurs /annuaire/les-courses-asteur/historique
  /annuaire/referencer /annuaire/jardins-du-littoral/corriger /annuaire/les-courses-asteur/administration
  "/moderation/fusion?garder=les-courses-asteur&fusionner=jardins-du-littoral" /admin/import /achats/acheteurs
  /lettre/abonnes /moyens/proposer /moyens/1
  /accompagnement/file /accompagnement/demandes/1 /accompagnement/demandes/2
  "/accompagnement/reglages?structure=entreprendre-ensemble"
  /appels/nouveau /appels/1/modifier "/consortiums/1?chercher=jardins"
)
# The demo buyer of the urban community: the need form, the booking form, their needs.
buyer_pages=(/achats/nouveau "/evenements/$salon/rendez-vous" /achats/mes-demandes /achats/4)
n=0
fetch() {
  n=$((n + 1))
  curl -s "${@:2}" "$base$1" > "$dir/$(printf '%02d' "$n")$(tr '/?=&' '____' <<<"$1").html"
}
for page in "${visitor_pages[@]}"; do fetch "$page"; done
jar="$dir/cookies"
curl -s -c "$jar" -o /dev/null -H "Origin: $base" --data-urlencode email=admin@dessine.example \
  --data-urlencode password=demo-admin-dessine "$base/connexion"
for page in "${admin_pages[@]}"; do fetch "$page" -b "$jar"; done
buyer="$dir/buyer-cookies"
curl -s -c "$buyer" -o /dev/null -H "Origin: $base" --data-urlencode email=achats@cud.example \
  --data-urlencode password=demo-achats-cud "$base/connexion"
for page in "${buyer_pages[@]}"; do fetch "$page" -b "$buyer"; done
# The demo advisor (Entreprendre Ensemble): the request they follow, with its message form.
advisor="$dir/advisor-cookies"
curl -s -c "$advisor" -o /dev/null -H "Origin: $base" --data-urlencode email=animation@entreprendre-ensemble.example \
  --data-urlencode password=demo-club-dunkerquois "$base/connexion"
for page in /accompagnement/demandes/2 /compte; do fetch "$page" -b "$advisor"; done
# A support request refused without JavaScript: the form again, every error by its field.
n=$((n + 1))
curl -s -H "Origin: $base" --data-urlencode name= --data-urlencode email=x --data-urlencode "title=<b>Projet</b>" \
  "$base/accompagnement" > "$dir/$(printf '%02d' "$n")_refused_support.html"
# A need refused without JavaScript: the form again with every error by its field.
n=$((n + 1))
curl -s -b "$buyer" -H "Origin: $base" --data-urlencode title= --data-urlencode description=court \
  --data-urlencode deadline=hier "$base/achats/nouveau" > "$dir/$(printf '%02d' "$n")_refused_need.html"
# A form refused without JavaScript: the page shown again with its errors.
n=$((n + 1))
curl -s -H "Origin: $base" --data-urlencode name= --data-urlencode email=pas-une-adresse \
  "$base/evenements/$salon/inscription" > "$dir/$(printf '%02d' "$n")_refused_registration.html"
# A removal refused without JavaScript (no reason): the membership page again, the error by its row.
n=$((n + 1))
curl -s -b "$jar" -H "Origin: $base" --data-urlencode slug=club-de-l-ess-du-dunkerquois \
  --data-urlencode structure=1 --data-urlencode reason= \
  "$base/clubs/club-de-l-ess-du-dunkerquois/membres/retrait" > "$dir/$(printf '%02d' "$n")_refused_removal.html"
# The article editor shown again for its preview, without JavaScript.
n=$((n + 1))
curl -s -b "$jar" -H "Origin: $base" --data-urlencode retour=/redaction/articles/nouveau \
  --data-urlencode title=Titre --data-urlencode summary= --data-urlencode "body=## Aperçu
Du **gras**, </textarea> et un [lien](/annuaire)." \
  "$base/redaction/apercu" > "$dir/$(printf '%02d' "$n")_article_preview.html"
# A proposal refused without JavaScript (bad SIRET, no commune): the form again, errors by field.
n=$((n + 1))
curl -s -H "Origin: $base" --data-urlencode name=Essai --data-urlencode siret=ABC \
  --data-urlencode proposer_email=x "$base/annuaire/referencer" > "$dir/$(printf '%02d' "$n")_refused_proposal.html"
# An import's dry run (the SIRENE sample), then an upload refused (unknown département).
sample=tests/data/sirene
n=$((n + 1))
report=$(curl -s -o /dev/null -w '%{redirect_url}' -b "$jar" -H "Origin: $base" -F type=sirene \
  -F "unites=@$sample/StockUniteLegale.csv" -F "etablissements=@$sample/StockEtablissement.csv" \
  -F departements=59,62 "$base/admin/import")
curl -s -b "$jar" "$report" > "$dir/$(printf '%02d' "$n")_import_report.html"
n=$((n + 1))
curl -s -b "$jar" -H "Origin: $base" -F type=sirene -F "unites=@$sample/StockUniteLegale.csv" \
  -F "etablissements=@$sample/StockEtablissement.csv" -F departements=99 \
  "$base/admin/import" > "$dir/$(printf '%02d' "$n")_refused_import.html"
# A message to a structure refused (a bad address, sent back at once), and a refused subscription.
n=$((n + 1))
curl -s -H "Origin: $base" --data-urlencode slug=les-courses-asteur --data-urlencode name=Camille \
  --data-urlencode email=pas-une-adresse --data-urlencode message= --data-urlencode "ouvert=$(date +%s)" \
  "$base/annuaire/les-courses-asteur/ecrire" > "$dir/$(printf '%02d' "$n")_refused_contact.html"
n=$((n + 1))
curl -s -H "Origin: $base" --data-urlencode email=x --data-urlencode frequence=souvent \
  "$base/lettre" > "$dir/$(printf '%02d' "$n")_refused_subscription.html"
# The accessibility statement quotes this count (`about::model::NU_PAGES`): it must stay true.
stated=$(sed -n 's/^pub const NU_PAGES: usize = \([0-9]*\);/\1/p' src/features/about/model.rs)
if [ "$stated" != "$n" ]; then
  echo "the accessibility statement says $stated pages, the checker reads $n: update NU_PAGES" >&2
  exit 1
fi
echo "Nu HTML checker on $n pages"
java -jar "$vnu" --errors-only --format text "$dir"/*.html
echo "all $n pages valid"
