//! The three information pages of the main menu: what the ESS is, what DESSINE is, who runs it.
//! Their text is static and written for this portal.

use crate::ui::meta::Description;
use leptos::prelude::*;
use leptos_meta::Title;

/// « Qu'est-ce que l'ESS ? »
#[component]
pub fn WhatIsEssPage() -> impl IntoView {
    view! {
        <Title text="Qu'est-ce que l'ESS ?" />
        <Description text="L'économie sociale et solidaire en quelques mots : associations, coopératives, mutuelles, fondations et entreprises d'insertion qui placent l'utilité sociale avant le profit, sur le territoire." />
        <article class="prose">
            <h1>"Qu'est-ce que l'économie sociale et solidaire ?"</h1>
            <p class="lead">
                "L'économie sociale et solidaire (ESS) regroupe des entreprises qui produisent des biens et des services comme les autres, mais qui se fixent d'abord un but d'utilité sociale et partagent le pouvoir autrement."
            </p>
            <h2>"Des principes communs"</h2>
            <ul>
                <li>
                    <strong>"Un projet avant le profit"</strong>
                    " : les bénéfices servent d'abord à maintenir et développer l'activité ; une part importante est mise en réserve et ne peut pas être partagée."
                </li>
                <li>
                    <strong>"Une gouvernance démocratique"</strong>
                    " : les décisions associent les membres, les salariés ou les usagers, souvent selon la règle « une personne, une voix »."
                </li>
                <li>
                    <strong>"Un ancrage local"</strong>
                    " : les emplois créés restent sur le territoire et répondent à des besoins repérés sur place."
                </li>
            </ul>
            <h2>"Qui en fait partie ?"</h2>
            <p>
                "La loi du 31 juillet 2014 relative à l'économie sociale et solidaire en donne le périmètre :"
            </p>
            <ul>
                <li>"les associations, des clubs sportifs aux structures d'action sociale ;"</li>
                <li>
                    "les coopératives, dont les SCOP, où les salariés détiennent la majorité du capital, et les SCIC, qui associent salariés, usagers et collectivités ;"
                </li>
                <li>"les mutuelles de santé et d'assurance ;"</li>
                <li>"les fondations ;"</li>
                <li>
                    "les sociétés commerciales qui adoptent ces principes, parmi lesquelles les entreprises agréées « ESUS » (entreprise solidaire d'utilité sociale)."
                </li>
            </ul>
            <p>
                "Les structures d'insertion par l'activité économique (ateliers et chantiers d'insertion, entreprises d'insertion, entreprises de travail temporaire d'insertion, associations intermédiaires) y tiennent une place particulière : elles emploient des personnes éloignées de l'emploi et les accompagnent vers un travail durable."
            </p>
            <h2>"Sur notre territoire"</h2>
            <p>
                "Sur l'agglomération dunkerquoise, l'ESS représente environ un emploi sur huit. Elle est présente dans la culture et le sport, premiers secteurs choisis par les porteurs de projets, mais aussi dans le recyclage, le bâtiment, les services à la personne, la mobilité, le tourisme ou les circuits courts."
            </p>
            <p>
                "L'ESS ne s'oppose pas à l'économie « classique » : entreprises, collectivités et bailleurs lui achètent des services, s'associent à elle pour répondre à des marchés ou pour remplir les clauses sociales de leurs achats."
            </p>
        </article>
    }
}

/// « Qu'est-ce que DESSINE ? »
#[component]
pub fn WhatIsDessinePage() -> impl IntoView {
    view! {
        <Title text="Qu'est-ce que DESSINE ?" />
        <Description text="DESSINE, le portail des réseaux de l'ESS du Dunkerquois et de l'Artois : annuaire des structures, événements, clubs et achat responsable." />
        <article class="prose">
            <h1>"Qu'est-ce que DESSINE ?"</h1>
            <p class="lead">
                "DESSINE est le portail des acteurs de l'économie sociale et solidaire de la Communauté urbaine de Dunkerque, de l'Artois et du Pas-de-Calais. Il rassemble en un seul endroit ce qui était dispersé entre des réseaux, des listes et des tableurs."
            </p>
            <h2>"Ce que le portail permet"</h2>
            <ul>
                <li>
                    <strong>"Trouver un acteur"</strong>
                    " : un annuaire des structures, consultable par mots, par secteur, par territoire, par forme juridique et par label."
                </li>
                <li>
                    <strong>"Suivre l'actualité"</strong>
                    " : les nouvelles des réseaux, classées par mots-clés."
                </li>
                <li>
                    <strong>"Participer aux événements"</strong>
                    " : salon de l'achat responsable, mois de l'ESS, réunions de clubs, avec inscription en ligne."
                </li>
                <li>
                    <strong>"Faire vivre les clubs"</strong>
                    " : les clubs d'entreprises de l'ESS y gèrent leurs membres, leur charte et leurs rencontres trimestrielles."
                </li>
                <li>
                    <strong>"Acheter responsable"</strong>
                    " : les acheteurs publics et privés y repèrent les fournisseurs de l'ESS qui répondent à leurs besoins."
                </li>
                <li>
                    <strong>"Valoriser la démarche progrès"</strong>
                    " : les structures engagées, après six journées de formation collective, reçoivent un identifiant renouvelé tous les deux ans."
                </li>
            </ul>
            <h2>"Pensé pour tout le monde"</h2>
            <p>
                "Chaque page fonctionne sur un téléphone modeste et une connexion lente, avec ou sans JavaScript, au clavier comme avec un lecteur d'écran. Le portail ne dépose aucun traceur publicitaire."
            </p>
        </article>
    }
}

/// « Qui sommes-nous ? »
#[component]
pub fn WhoWeArePage() -> impl IntoView {
    view! {
        <Title text="Qui sommes-nous ?" />
        <Description text="Qui anime DESSINE : les réseaux de l'économie sociale et solidaire du territoire et leurs partenaires." />
        <article class="prose">
            <h1>"Qui sommes-nous ?"</h1>
            <p class="lead">
                "DESSINE est porté par les réseaux de l'économie sociale et solidaire du territoire, avec le soutien des collectivités qui ont fait de l'ESS un axe de leur développement économique."
            </p>
            <h2>"Sur le Dunkerquois"</h2>
            <p>
                "La Communauté urbaine de Dunkerque a confié l'animation de sa politique ESS à l'association Entreprendre Ensemble, qui soutient les structures et accompagne l'insertion par l'activité économique. Le club de l'ESS du Dunkerquois, lancé avec les structures d'insertion et de la filière récupération-recyclage, compte aujourd'hui quatorze structures. Il a organisé le premier salon de l'achat responsable du territoire, pendant le mois de l'ESS."
            </p>
            <h2>"En Artois"</h2>
            <p>
                "Né d'une première rencontre à Beuvry qui avait réuni une quarantaine de structures, le Club des entrepreneurs de l'ESS d'Artois Comm. se retrouve chaque trimestre autour d'une charte commune. Ses dix-huit membres échangent leurs pratiques, mutualisent des moyens et répondent ensemble à des appels à projets."
            </p>
            <h2>"Dans le Pas-de-Calais"</h2>
            <p>
                "Le Département et le Conseil départemental de l'économie sociale et solidaire (CDESS) conduisent la démarche progrès, qui accompagne les structures vers une meilleure reconnaissance de leurs pratiques."
            </p>
            <h2>"Comment le portail est fait"</h2>
            <p>
                "DESSINE est un logiciel libre. Les structures tiennent elles-mêmes leur fiche à jour ; les animateurs des réseaux modèrent les contenus publiés."
            </p>
        </article>
    }
}
