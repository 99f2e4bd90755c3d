//! Demo articles: the life of the territory's ESS networks as the portal's sources tell it,
//! written in our own words, with their keywords and links to the demo structures, clubs and
//! events (which become their mentions). Dated back from today, one scheduled and one draft.

use super::{ArticleEdit, Publication};
use crate::db::Db;
use crate::timestamp::Timestamp;

struct DemoArticle {
    title: &'static str,
    summary: &'static str,
    body: &'static str,
    keywords: &'static str,
    /// Days before today (negative: scheduled in the future).
    days_ago: i64,
    publication: Publication,
}

const ARTICLES: &[DemoArticle] = &[
    DemoArticle {
        title: "Le Club de l'ESS du Dunkerquois est lancé",
        summary: "Réunies par la Communauté urbaine et Entreprendre Ensemble, les structures d'insertion et de la filière récupération-recyclage posent les bases d'un club de terrain.",
        body: "Le 1er février, Sony Clinquart, vice-président de la [Communauté urbaine de Dunkerque](https://www.communaute-urbaine-dunkerque.fr) chargé du développement social et solidaire, et Jean-Yves Frémont, président d'[Entreprendre Ensemble](/annuaire/entreprendre-ensemble), ont réuni des responsables de structures de l'économie sociale et solidaire autour d'un projet commun : un club.\n\n## Un club centré sur l'insertion et le recyclage\n\nPour commencer, le [club](/clubs/club-de-l-ess-du-dunkerquois) rassemble les structures d'insertion par l'activité économique et celles de la récupération et du recyclage. Sur le Dunkerquois, l'ESS pèse 12,4 % des emplois : la maintenir et la développer fait partie des priorités des États généraux de l'emploi local.\n\nEntreprendre Ensemble avait rencontré une à une les quinze structures intéressées. La réunion leur a restitué ces entretiens : ce que chacune attend en matière de développement économique, d'accompagnement des publics vers l'emploi et de fonctionnement du club.\n\n## Du concret d'abord\n\nLes participants ont demandé des actions concrètes plutôt que des instances. Le club démarrera donc de façon informelle, autour de projets : mutualiser, construire des filières, organiser des parcours pour les salariés en insertion.",
        keywords: "Club, Dunkerquois, Insertion, Recyclage",
        days_ago: 60,
        publication: Publication::Published,
    },
    DemoArticle {
        title: "Premier salon de l'achat responsable : l'ESS fait des affaires",
        summary: "Entreprises, collectivités, bailleurs et comités d'entreprise ont rencontré les structures de l'ESS du territoire sur leurs stands, le temps d'une journée à la Communauté urbaine.",
        body: "C'était une première sur le territoire : le [salon de l'achat responsable](/evenements/salon-de-l-achat-responsable-du-dunkerquois) s'est tenu à la Communauté urbaine de Dunkerque pendant le mois de l'ESS.\n\nÀ l'initiative du [Club de l'ESS du Dunkerquois](/clubs/club-de-l-ess-du-dunkerquois), co-organisé avec la Communauté urbaine et [Entreprendre Ensemble](/annuaire/entreprendre-ensemble), il avait un but simple : permettre aux acheteurs publics et privés de faire affaire avec les structures de l'ESS.\n\nToute la journée, les échanges sur les stands ont débouché sur des engagements concrets entre les acteurs de l'ESS et ceux de l'économie dite classique. Une table ronde le matin, trois ateliers l'après-midi : pour un premier salon, le pari est tenu.",
        keywords: "Achat responsable, Salon, Mois de l'ESS",
        days_ago: 40,
        publication: Publication::Published,
    },
    DemoArticle {
        title: "Table ronde : des passerelles entre économie classique et ESS",
        summary: "Élus, chefs d'entreprise et réseaux régionaux et nationaux de l'ESS ont cherché comment coopérer plutôt que se concurrencer.",
        body: "Au nom du club, qui compte quatorze structures, Jean-Marc Vandevelde, des [Papillons Blancs de Dunkerque](/annuaire/les-papillons-blancs-de-dunkerque), a présenté son ambition : être une porte d'entrée pratique pour les partenariats entre acteurs économiques.\n\nDes films courts ont montré des partenariats qui existent déjà entre entreprises locales et structures de l'ESS. Le débat a porté sur les coopérations territoriales : développer des complémentarités plutôt que renforcer la concurrence. Économie circulaire, réponse commune à des marchés, impact sanitaire et social : les enjeux communs ne manquent pas.\n\nAutour de la table siégeaient notamment des élus de la Communauté urbaine, la Chambre de commerce et d'industrie Côte d'Opale, le Réseau des collectivités territoriales pour une économie solidaire et la [Chambre régionale de l'ESS Hauts-de-France](/annuaire/chambre-regionale-de-l-economie-sociale-et-solidaire-hauts-de-france).\n\nVenue de Belgique, l'entreprise WAAK (1 600 salariés, dont 80 % reconnus handicapés) a témoigné de ce qui se fait à quelques kilomètres de chez nous.",
        keywords: "Achat responsable, Salon, Coopération",
        days_ago: 39,
        publication: Publication::Published,
    },
    DemoArticle {
        title: "Une convention entre la SCOP Les Courses Asteur et Entreprendre Ensemble",
        summary: "À l'issue de la table ronde du salon, la coopérative de livraison et l'association ont signé un partenariat.",
        body: "Laurent Lebecque, gérant de la SCOP [Les Courses Asteur](/annuaire/les-courses-asteur), et Jean-Yves Frémont, président d'[Entreprendre Ensemble](/annuaire/entreprendre-ensemble), ont signé une convention de partenariat devant les participants du [salon de l'achat responsable](/evenements/salon-de-l-achat-responsable-du-dunkerquois).\n\nUn exemple de ce que le salon voulait rendre possible : une structure de l'ESS et un acteur du territoire qui s'engagent ensemble, par écrit.",
        keywords: "SCOP, Partenariat, Achat responsable",
        days_ago: 38,
        publication: Publication::Published,
    },
    DemoArticle {
        title: "Trois ateliers pour acheter autrement",
        summary: "Responsabilité sociétale, clause emploi dans les marchés, mécénat : trois experts ont animé les ateliers du salon.",
        body: "L'après-midi du salon, trois ateliers ont prolongé les échanges :\n\n- **La responsabilité sociétale**, avec Sophie Letartre, du [Réseau Alliances](/annuaire/reseau-alliances) ;\n- **La clause emploi dans les marchés publics et privés**, avec Sylvian Dursent, de l'[Union régionale de l'insertion par l'activité économique](/annuaire/union-regionale-de-l-insertion-par-l-activite-economique) ;\n- **Le mécénat**, avec Patrick Rosenfeld, consultant.\n\nLa clause sociale revient en [atelier pratique](/evenements/atelier-repondre-a-un-marche-avec-une-clause-sociale) pour les structures qui veulent répondre à un marché.",
        keywords: "Clause sociale, Achat responsable, Mécénat",
        days_ago: 37,
        publication: Publication::Published,
    },
    DemoArticle {
        title: "La démarche progrès, pour mieux reconnaître les structures de l'ESS",
        summary: "Dans le Pas-de-Calais, un accompagnement collectif de six jours mène à un identifiant, renouvelé tous les deux ans si la structure continue de progresser.",
        body: "Le Conseil départemental de l'économie sociale et solidaire (CDESS) du Pas-de-Calais a construit avec les acteurs une démarche pour rendre plus lisibles les structures qui pratiquent vraiment l'ESS.\n\n## Deux phases\n\n1. **La mise en place** : six jours de formation collective, à l'issue desquels la structure reçoit un identifiant. Il signifie qu'elle répond pleinement aux valeurs de l'ESS.\n2. **Le lancement** : la structure continue de progresser, avec des suivis collectifs et des entretiens bilans.\n\nTous les deux ans, l'identifiant est renouvelé si la progression est aboutie. Pour le consommateur, c'est la garantie d'une prestation solidaire, sociale et locale.",
        keywords: "Démarche progrès, Label, Pas-de-Calais",
        days_ago: 25,
        publication: Publication::Published,
    },
    DemoArticle {
        title: "Artois : une réunion pour découvrir la démarche progrès",
        summary: "Le Département présente aux acteurs de l'ESS de l'Artois les objectifs de la démarche et la façon d'y entrer.",
        body: "Le Département organise en Artois une [réunion d'information](/evenements/reunion-d-information-sur-la-demarche-progres-en-artois) sur la démarche progrès. Son chargé de mission ESS y détaillera les deux phases, les six journées de formation et le renouvellement de l'identifiant.\n\nCes rencontres servent aussi à se connaître : mettre autour de la table les structures d'un même territoire fait naître un réseau.",
        keywords: "Démarche progrès, Artois, Label",
        days_ago: 20,
        publication: Publication::Published,
    },
    DemoArticle {
        title: "Les grands axes de la politique ESS de la Communauté urbaine",
        summary: "Soutien aux structures, insertion, nouveaux secteurs, circuits courts, finance solidaire : la Communauté urbaine de Dunkerque s'appuie sur Entreprendre Ensemble.",
        body: "La Communauté urbaine de Dunkerque a confié l'animation de sa politique ESS à [Entreprendre Ensemble](/annuaire/entreprendre-ensemble). L'association soutient les structures, avec la Région et le Département, et porte l'insertion par l'activité économique.\n\n## Au-delà de la culture et du sport\n\nLa culture reste le premier secteur choisi par les porteurs de projets, le sport le deuxième. La Communauté urbaine veut en développer d'autres : bâtiment, services à la personne, mobilité, tourisme. Pour les circuits courts, elle travaille avec le Pays des Moulins de Flandre afin de rapprocher producteurs locaux et restauration collective.\n\n## Faire connaître et financer\n\nChaque année, le [Village des solidarités](/evenements/village-des-solidarites) fait découvrir les structures au grand public. La collectivité soutient aussi le [pôle de finance solidaire des CIGALES](/annuaire/pole-de-finance-solidaire-des-cigales), qui accompagne des projets de l'ESS.",
        keywords: "Politique publique, Dunkerquois, Circuits courts",
        days_ago: 14,
        publication: Publication::Published,
    },
    DemoArticle {
        title: "Work&Co primé pour son lieu de travail solidaire",
        summary: "Espaces de travail, crèche solidaire et café équitable : le projet a reçu le grand prix du concours « S'engager pour les quartiers ».",
        body: "Soutenu par les collectivités, dont la Communauté urbaine, le projet [Work&Co](/annuaire/work-co) a reçu à Paris le grand prix du concours de l'innovation économique et sociale « S'engager pour les quartiers », ainsi que le prix de la création d'activité.\n\nIl réunira des espaces de travail et de réunion, une crèche solidaire et un café solidaire et équitable.",
        keywords: "Innovation sociale, Dunkerquois",
        days_ago: 7,
        publication: Publication::Published,
    },
    DemoArticle {
        title: "En Artois, le Club des entrepreneurs de l'ESS se structure",
        summary: "Un an après sa première rencontre, le club compte dix-huit membres, une charte et des réunions chaque trimestre ; il devient une association.",
        body: "Tout est parti d'une invitation de Véronique Trinel, directrice de la [Maison de la poésie](/annuaire/maison-de-la-poesie) : une quarantaine de structures de l'ESS s'étaient retrouvées à Beuvry, avec l'appui d'[Acteurs pour une économie solidaire](/annuaire/acteurs-pour-une-economie-solidaire).\n\nDepuis, le [Club des entrepreneurs de l'ESS d'Artois](/clubs/club-des-entrepreneurs-de-l-ess-d-artois) se réunit chaque trimestre autour d'une charte. Chaque participant peut y faire entrer de nouveaux membres, et chaque rencontre accueille un intervenant : recherche de financements, recrutement…\n\nProchaines étapes : échanger les bonnes pratiques, mutualiser des moyens, répondre ensemble à des appels à projets, et faire connaître le savoir-faire des membres aux collectivités et aux entreprises.",
        keywords: "Club, Artois, Coopération",
        days_ago: 3,
        publication: Publication::Published,
    },
    DemoArticle {
        title: "Mois de l'ESS : le programme sur le Dunkerquois",
        summary: "Salon, ateliers, portes ouvertes : ce que propose le mois de l'économie sociale et solidaire sur le territoire.",
        body: "Le [mois de l'ESS](/evenements/mois-de-l-ess-sur-le-dunkerquois) revient avec son temps fort, le [salon de l'achat responsable](/evenements/salon-de-l-achat-responsable-du-dunkerquois). Le programme complet sera publié ici.",
        keywords: "Mois de l'ESS, Dunkerquois",
        days_ago: -5,
        publication: Publication::Published,
    },
    DemoArticle {
        title: "Bilan de l'année du club (brouillon)",
        summary: "Ce que le Club de l'ESS du Dunkerquois a fait cette année.",
        body: "À compléter avec les chiffres du club.",
        keywords: "Club, Dunkerquois",
        days_ago: 0,
        publication: Publication::Draft,
    },
];

/// Adds the demo articles that are missing (matched by slug), written by the demo editor.
pub async fn seed(db: &Db) -> Result<(), sqlx::Error> {
    let editor = crate::features::accounts::db::find_by_email(
        db,
        crate::features::accounts::demo::EDITOR_EMAIL,
    )
    .await?;
    let Some(editor) = editor else {
        return Ok(());
    };
    let author = crate::features::accounts::CurrentUser {
        id: editor.id,
        name: editor.name,
        email: editor.email,
        role: editor.role,
    };
    let now = Timestamp::now();
    let today = now.in_paris().date();
    for demo in ARTICLES {
        let slug = crate::slug::slugify(demo.title);
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM articles WHERE slug = $1")
            .bind(&slug)
            .fetch_optional(&db.pool)
            .await?;
        if exists.is_some() {
            continue;
        }
        let day = today - time::Duration::days(demo.days_ago);
        let input = ArticleEdit {
            title: demo.title.to_owned(),
            summary: demo.summary.to_owned(),
            body: demo.body.to_owned(),
            keywords: demo.keywords.to_owned(),
            publication: demo.publication,
            date: if demo.publication == Publication::Draft {
                String::new()
            } else {
                format!(
                    "{:04}-{:02}-{:02}",
                    day.year(),
                    u8::from(day.month()),
                    day.day()
                )
            },
            time: "09:00".to_owned(),
        }
        .validated()
        .map_err(|error| sqlx::Error::Protocol(format!("demo article {slug}: {error:?}")))?;
        let links = crate::markdown::linked_pages(&input.body, "");
        super::db::create(db, &input, &links, &author, now)
            .await
            .map_err(|error| sqlx::Error::Protocol(format!("demo article {slug}: {error:?}")))?;
    }
    Ok(())
}
