#!/usr/bin/env python3
"""Writes SIRENE-shaped stock files (INSEE's column names) for the import's benchmark:
   scripts/sirene-files.py COUNT DIR [INSIDE]  ->  DIR/StockUniteLegale.csv, DIR/StockEtablissement.csv
COUNT establishments, a share INSIDE (default 0.8) of them in the Nord and the Pas-de-Calais, of
COUNT/2 legal units of which three in four are ESS and active; one establishment in ten is
closed. The same arguments always write the same files."""
import os, random, sys

count, out = int(sys.argv[1]), sys.argv[2]
inside = float(sys.argv[3]) if len(sys.argv) > 3 else 0.8
os.makedirs(out, exist_ok=True)
rng = random.Random(count)

def luhn_digit(prefix):
    for d in "0123456789":
        total = 0
        for i, c in enumerate(reversed(prefix + d)):
            n = int(c) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return d

UNIT_COLUMNS = ("siren,statutDiffusionUniteLegale,unitePurgeeUniteLegale,dateCreationUniteLegale,sigleUniteLegale,"
    "sexeUniteLegale,prenom1UniteLegale,prenom2UniteLegale,prenom3UniteLegale,prenom4UniteLegale,prenomUsuelUniteLegale,"
    "pseudonymeUniteLegale,identifiantAssociationUniteLegale,trancheEffectifsUniteLegale,anneeEffectifsUniteLegale,"
    "dateDernierTraitementUniteLegale,nombrePeriodesUniteLegale,categorieEntreprise,anneeCategorieEntreprise,dateDebut,"
    "etatAdministratifUniteLegale,nomUniteLegale,nomUsageUniteLegale,denominationUniteLegale,denominationUsuelle1UniteLegale,"
    "denominationUsuelle2UniteLegale,denominationUsuelle3UniteLegale,categorieJuridiqueUniteLegale,"
    "activitePrincipaleUniteLegale,nomenclatureActivitePrincipaleUniteLegale,nicSiegeUniteLegale,"
    "economieSocialeSolidaireUniteLegale,societeMissionUniteLegale,caractereEmployeurUniteLegale").split(",")
ESTABLISHMENT_COLUMNS = ("siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,"
    "anneeEffectifsEtablissement,activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,"
    "etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,numeroVoieEtablissement,"
    "indiceRepetitionEtablissement,dernierNumeroVoieEtablissement,indiceRepetitionDernierNumeroVoieEtablissement,"
    "typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,"
    "libelleCommuneEtrangerEtablissement,distributionSpecialeEtablissement,codeCommuneEtablissement,codeCedexEtablissement,"
    "libelleCedexEtablissement,codePaysEtrangerEtablissement,libellePaysEtrangerEtablissement,identifiantAdresseEtablissement,"
    "coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,dateDebut,etatAdministratifEtablissement,"
    "enseigne1Etablissement,enseigne2Etablissement,enseigne3Etablissement,denominationUsuelleEtablissement,"
    "activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement").split(",")
CATEGORIES = ["9220"] * 12 + ["9221", "9222", "9300", "5458", "5560", "6317", "8210", "5710"]
ACTIVITIES = ["94.99Z"] * 6 + ["88.99B", "88.10A", "90.01Z", "93.12Z", "38.32Z", "56.10A", "01.13Z", "85.59A", "55.20Z"]
COMMUNES = [("59183", "DUNKERQUE", "59140"), ("59271", "GRANDE-SYNTHE", "59760"), ("62119", "BETHUNE", "62400"),
    ("62178", "BRUAY-LA-BUISSIERE", "62700"), ("59350", "LILLE", "59000"), ("62193", "CALAIS", "62100"),
    ("59295", "HAZEBROUCK", "59190"), ("62041", "ARRAS", "62000")]
ELSEWHERE = [("75111", "PARIS 11", "75011"), ("80021", "AMIENS", "80000"), ("69381", "LYON 1ER", "69001")]
WORDS = "ENTRAIDE SOLIDAIRE JARDIN ATELIER MAISON FOYER RESSOURCERIE CHANTIER CULTURE SPORT VELO QUARTIER AMIS FAMILLES".split()
STREETS = ["RUE", "AV", "BD", "PL", "CHE", "QUAI", "IMP", "ALL"]

units = []
with open(os.path.join(out, "StockUniteLegale.csv"), "w", encoding="utf-8", newline="") as f:
    f.write(",".join(UNIT_COLUMNS) + "\n")
    for i in range(max(1, count // 2)):
        siren = "8" + f"{i:07d}"
        siren += luhn_digit(siren)
        ess = "O" if rng.random() < 0.75 else "N"
        state = "A" if rng.random() < 0.95 else "C"
        row = dict.fromkeys(UNIT_COLUMNS, "")
        row.update(siren=siren, statutDiffusionUniteLegale="O", dateCreationUniteLegale=f"{rng.randint(1950, 2025)}-01-01",
            denominationUniteLegale=" ".join(rng.sample(WORDS, 3)) + f" {i}", categorieJuridiqueUniteLegale=rng.choice(CATEGORIES),
            activitePrincipaleUniteLegale=rng.choice(ACTIVITIES), etatAdministratifUniteLegale=state,
            economieSocialeSolidaireUniteLegale=ess, trancheEffectifsUniteLegale=rng.choice(["NN", "01", "03", "11", "12"]))
        f.write(",".join(row[c] for c in UNIT_COLUMNS) + "\n")
        units.append(siren)
with open(os.path.join(out, "StockEtablissement.csv"), "w", encoding="utf-8", newline="") as f:
    f.write(",".join(ESTABLISHMENT_COLUMNS) + "\n")
    for i in range(count):
        siren = units[i % len(units)]
        nic = f"{i // len(units) + 1:04d}"
        siret = siren + nic + luhn_digit(siren + nic)
        code, commune, postal = rng.choice(COMMUNES if rng.random() < inside else ELSEWHERE)
        row = dict.fromkeys(ESTABLISHMENT_COLUMNS, "")
        row.update(siren=siren, nic=siret[9:], siret=siret, statutDiffusionEtablissement="O",
            numeroVoieEtablissement=str(rng.randint(1, 200)), typeVoieEtablissement=rng.choice(STREETS),
            libelleVoieEtablissement="DE LA " + rng.choice(WORDS), codePostalEtablissement=postal,
            libelleCommuneEtablissement=commune, codeCommuneEtablissement=code,
            etatAdministratifEtablissement="A" if rng.random() < 0.9 else "F",
            activitePrincipaleEtablissement=rng.choice(ACTIVITIES), trancheEffectifsEtablissement=rng.choice(["NN", "02", "11"]))
        f.write(",".join(row[c] for c in ESTABLISHMENT_COLUMNS) + "\n")
