//! The purchasing pages: `/achats` (open public needs, GET filters), `/achats/{id}` (a need:
//! its suppliers for the buyer, the answer form for a supplier), `/achats/nouveau`,
//! `/achats/mes-demandes`, `/achats/bilan`, and a fair's meetings `/evenements/{slug}/rendez-vous`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

use super::api::{
    AddStand, AddSupplier, AnswerNeed, BookMeeting, ChangeSupplier, CloseNeed, ContactSupplier,
    CreateNeed, DeclareBuyer, OpenSlots, SendNeed, load_fair, load_my_purchasing, load_need,
    load_need_form, load_needs, load_report,
};
use super::{
    AMOUNT_BANDS, Answer, BUYER_KINDS, CLAUSES, Fair, NEED_KINDS, NeedPage, NeedStatus,
    NeedSummary, Outcome, PURCHASING_NOTICES, Report, ReportRow, Supplier, euros, label_of,
};
use crate::error::AppError;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::{CheckboxGroup, Choice, Field, FormErrors, TextArea};
use crate::ui::href::login_then;
use crate::ui::meta::Description;
use crate::ui::notice::Notice;

fn options(choices: &[(&str, &str)]) -> Vec<(String, String)> {
    choices
        .iter()
        .map(|(value, label)| ((*value).to_owned(), (*label).to_owned()))
        .collect()
}

/// Blank-line separated paragraphs of a plain text.
fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p class="prewrap">{p.to_owned()}</p> })
        .collect_view()
}

/// A need in a list.
#[component]
fn NeedItem(need: NeedSummary) -> impl IntoView {
    let deadline = need.deadline_text();
    view! {
        <li class="result">
            <h3><a href=format!("/achats/{}", need.id)>{need.title.clone()}</a></h3>
            <p class="meta">
                {format!("{} · {} · {} · réponses jusqu'au {deadline}",
                    need.organisation, need.commune, label_of(NEED_KINDS, &need.kind))}
            </p>
            <p class="meta">
                {need.sectors.join(", ")}
                {(need.clause != "aucune").then(|| format!(" · {}", label_of(CLAUSES, &need.clause)))}
                {(!need.public).then_some(" · diffusion restreinte")}
                {(need.status != NeedStatus::Open).then(|| format!(" · {}", need.status.label()))}
            </p>
        </li>
    }
}

/// `/achats`: what responsible purchasing on the portal is, and the open public needs.
#[component]
pub fn PurchasingPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        query.with(|q| {
            (
                q.get("secteur").unwrap_or_default(),
                q.get("territoire").unwrap_or_default(),
            )
        })
    };
    let list = Resource::new_blocking(filters, |(sector, territory)| load_needs(sector, territory));
    view! {
        <Title text="Achats responsables" />
        <Description text="Collectivités, bailleurs, entreprises et comités d'entreprise : publiez un besoin, les structures de l'ESS du territoire qui peuvent y répondre le reçoivent." />
        <h1>"Achats responsables"</h1>
        <p class="lead">"Une collectivité, un bailleur social, une entreprise ou un comité d'entreprise a besoin d'un traiteur, d'une équipe de nettoyage, d'un imprimeur, d'un déménagement ? Le portail trouve les structures de l'économie sociale et solidaire du territoire qui savent le faire, leur transmet la demande, et suit le besoin jusqu'au contrat."</p>
        <Suspense>
            {move || Suspend::new(async move {
                let (sector, territory) = filters();
                match list.await {
                    Ok(list) => {
                        let mut sectors = vec![(String::new(), "Tous les secteurs".to_owned())];
                        sectors.extend(list.sectors.clone());
                        let mut territories = vec![(String::new(), "Tout le territoire".to_owned())];
                        territories.extend(list.territories.clone());
                        view! {
                            <p class="button-row">
                                <a class="button" href="/achats/nouveau">"Publier un besoin"</a>
                                {list.logged_in.then(|| view! { <a href="/achats/mes-demandes">"Mes demandes"</a> })}
                                <a href="/achats/bilan">"Le bilan des achats"</a>
                            </p>
                            {(!list.fairs.is_empty()).then(|| view! {
                                <ul class="days">
                                    {list.fairs.iter().map(|(slug, title)| view! {
                                        <li><a href=format!("/evenements/{slug}/rendez-vous")>{format!("Rendez-vous d'affaires : {title}")}</a></li>
                                    }).collect_view()}
                                </ul>
                            })}
                            <form method="get" action="/achats" class="filters" role="search" aria-label="Filtrer les besoins">
                                <div class="field">
                                    <label for="secteur">"Secteur"</label>
                                    <select id="secteur" name="secteur">
                                        {sectors.into_iter().map(|(value, text)| {
                                            let selected = value == sector;
                                            view! { <option value=value selected=selected>{text}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="territoire">"Territoire"</label>
                                    <select id="territoire" name="territoire">
                                        {territories.into_iter().map(|(value, text)| {
                                            let selected = value == territory;
                                            view! { <option value=value selected=selected>{text}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit">"Filtrer"</button>
                            </form>
                            <section aria-labelledby="besoins-ouverts">
                                <h2 id="besoins-ouverts">{match list.needs.len() {
                                    0 => "Aucun besoin ouvert pour ces critères".to_owned(),
                                    1 => "1 besoin ouvert".to_owned(),
                                    n => format!("{n} besoins ouverts"),
                                }}</h2>
                                <ul class="result-list">
                                    {list.needs.into_iter().map(|need| view! { <NeedItem need /> }).collect_view()}
                                </ul>
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn need_facts(need: &NeedSummary) -> String {
    format!(
        "{} · {} · lieu : {} · {} · réponses jusqu'au {} · {}",
        label_of(NEED_KINDS, &need.kind),
        label_of(AMOUNT_BANDS, &need.amount_band),
        need.commune,
        label_of(CLAUSES, &need.clause),
        need.deadline_text(),
        if need.public {
            "publié sur le portail"
        } else {
            "envoyé aux seules structures choisies"
        }
    )
}

/// `/achats/{id}`.
#[component]
pub fn NeedDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    };
    let page = Resource::new_blocking(id, load_need);
    view! {
        <p class="breadcrumb"><a href="/achats">"← Achats responsables"</a></p>
        <Suspense>
            {move || Suspend::new(async move {
                let here = format!("/achats/{}", id());
                match page.await {
                    Ok(page) => view! { <NeedView page /> }.into_any(),
                    // The same page for a need that does not exist and one the visitor may not
                    // read; a recipient following the mail's link logs in from it.
                    Err(AppError::NotFound) => view! {
                        <ErrorPage error=AppError::NotFound />
                        {crate::features::accounts::rendering_user().is_none().then(|| view! {
                            <p>"Un besoin envoyé à quelques structures n'est visible que par elles : si vous gérez l'une d'elles, "
                                <a href=login_then(&here)>"connectez-vous"</a>" pour le lire."</p>
                        })}
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NeedView(page: NeedPage) -> impl IntoView {
    let need = page.need;
    let id = need.id;
    let status = need.status;
    // Visitors get no island: nothing in the page for them to enhance.
    let interactive = page.owner || !page.mine.is_empty();
    let contents = view! {
            <div id="besoin-contenu" tabindex="-1">
            {page.mine.into_iter().map(|supplier| view! { <SupplierAnswer need=id status supplier /> }).collect_view()}
            {page.owner.then(|| match status {
                NeedStatus::Draft => view! { <DraftSuppliers need=id suppliers=page.suppliers.clone() /> }.into_any(),
                _ => view! { <Answers need=id status suppliers=page.suppliers.clone() /> }.into_any(),
            })}
            {(page.owner && !page.history.is_empty()).then(|| view! {
                <details>
                    <summary>{match page.history.len() { 1 => "Historique (1 changement)".to_owned(), n => format!("Historique ({n} changements)") }}</summary>
                    <ol class="history">
                        {page.history.into_iter().map(|line| view! {
                            <li>{format!("{} — {}", line.at.french_date_time(), line.text)}</li>
                        }).collect_view()}
                    </ol>
                </details>
            })}
        </div>
    };
    view! {
        <Title text=need.title.clone() />
        <Description text=page.description.clone() />
        <h1>{need.title.clone()}</h1>
        <Notice known=PURCHASING_NOTICES />
        <p class="meta"><strong>{need.organisation.clone()}</strong>{format!(" ({})", label_of(BUYER_KINDS, &need.buyer_kind))}</p>
        <p class="meta">{need_facts(&need)}</p>
        <p class="meta">{format!("Secteurs : {} · état : {}", need.sectors.join(", "), status.label())}</p>
        <section aria-labelledby="description-besoin">
            <h2 id="description-besoin">"Le besoin"</h2>
            {paragraphs(&page.description)}
        </section>
        {if interactive {
            view! { <Enhance>{contents}</Enhance> }.into_any()
        } else {
            contents.into_any()
        }}
    }
}

/// The buyer's draft: the proposed structures, why each, and the buttons to remove, add, send.
#[component]
fn DraftSuppliers(need: i64, suppliers: Vec<Supplier>) -> impl IntoView {
    let kept = suppliers.iter().filter(|s| !s.removed).count();
    view! {
        <section aria-labelledby="proposees">
            <h2 id="proposees">{format!("Structures proposées ({kept} retenue(s) sur {})", suppliers.len())}</h2>
            <p>"Le portail a cherché les structures publiées de l'annuaire qui travaillent dans les secteurs du besoin, près du lieu de la prestation, ou dont l'offre reprend ses mots. Retirez celles qui ne conviennent pas, ajoutez celles que vous connaissez, puis envoyez."</p>
            {suppliers.is_empty().then(|| view! { <p>"Aucune structure ne correspond d'elle-même : ajoutez-en une ci-dessous."</p> })}
            <ul class="requests">
                {suppliers.into_iter().map(|s| {
                    let (action, label) = if s.removed { ("remettre", "Remettre dans la liste") } else { ("retirer", "Retirer") };
                    view! {
                        <li data-row>
                            <a href=format!("/annuaire/{}", s.slug)>{s.name.clone()}</a>
                            {format!(" ({})", s.commune)}
                            <span data-row-state>{if s.removed { " — retirée" } else { "" }}</span>
                            <p class="meta">{s.reasons.clone()}</p>
                            <form method="post" action=format!("/achats/{need}/fournisseurs") class="inline-form"
                                id=format!("fournisseur-{}", s.structure_id) data-fn=ChangeSupplier::PATH data-refresh="#besoin-contenu">
                                <input type="hidden" name="need" value=need />
                                <input type="hidden" name="structure" value=s.structure_id />
                                <input type="hidden" name="action" value=action />
                                <button type="submit" class="secondary">{label}<span class="visually-hidden">{format!(" : {}", s.name)}</span></button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form method="post" action=format!("/achats/{need}/fournisseurs/ajouter") class="stack-form"
                id="ajout-structure" data-fn=AddSupplier::PATH data-refresh="#besoin-contenu">
                <FormErrors />
                <input type="hidden" name="need" value=need />
                <Field name="structure" label="Ajouter une structure de l'annuaire" hint="Son nom exact, ou l'adresse de sa fiche (…/annuaire/…)." />
                <button type="submit" class="secondary">"Ajouter"</button>
            </form>
            <form method="post" action=format!("/achats/{need}/envoyer") class="stack-form" id="envoi" data-fn=SendNeed::PATH>
                <input type="hidden" name="need" value=need />
                <button type="submit" disabled={kept == 0}>{format!("Envoyer le besoin aux {kept} structure(s) retenue(s)")}</button>
            </form>
        </section>
    }
}

/// The buyer's view of a sent need: the answers side by side, a message to each structure, and
/// the form that closes the need.
#[component]
fn Answers(need: i64, status: NeedStatus, suppliers: Vec<Supplier>) -> impl IntoView {
    let kept: Vec<Supplier> = suppliers.into_iter().filter(|s| !s.removed).collect();
    let answered = kept.iter().filter(|s| s.answer.is_some()).count();
    let closing = kept.clone();
    view! {
        <section aria-labelledby="reponses">
            <h2 id="reponses">{format!("Réponses ({answered} sur {})", kept.len())}</h2>
            <ul class="answers">
                {kept.into_iter().map(|s| {
                    let answer = match s.answer {
                        Some(answer) => format!("{} (le {})", answer.label(), s.answered_at.map(|a| a.french_date()).unwrap_or_default()),
                        None => "pas encore de réponse".to_owned(),
                    };
                    let form_id = format!("contact-{}", s.structure_id);
                    let field_id = format!("message-{}", s.structure_id);
                    view! {
                        <li class="answer-card">
                            <h3><a href=format!("/annuaire/{}", s.slug)>{s.name.clone()}</a></h3>
                            <p class="meta">{format!("{} · {}", s.commune, s.reasons)}</p>
                            <p><strong>"Réponse : "</strong>{answer}</p>
                            {(!s.message.is_empty()).then(|| view! { <blockquote>{paragraphs(&s.message)}</blockquote> })}
                            {(!s.attachment_url.is_empty()).then(|| view! {
                                <p><a href=s.attachment_url.clone() rel="nofollow noopener" target="_blank">"Document joint (ouvre un nouvel onglet)"</a></p>
                            })}
                            {s.outcome.map(|o| view! {
                                <p><strong>"Résultat : "</strong>{o.label()}{s.amount.map(|a| format!(", {}", euros(a)))}</p>
                            })}
                            <p class="meta">
                                {(!s.email.is_empty()).then(|| view! { <a href=format!("mailto:{}", s.email)>{s.email.clone()}</a> })}
                                {(!s.phone.is_empty()).then(|| format!(" · {}", s.phone))}
                                {s.contacted_at.map(|at| format!(" · contactée le {}", at.french_date()))}
                            </p>
                            <details>
                                <summary>"Écrire à cette structure"<span class="visually-hidden">{format!(" : {}", s.name)}</span></summary>
                                <form method="post" action=format!("/achats/{need}/contact") class="stack-form"
                                    id=form_id data-fn=ContactSupplier::PATH data-refresh="#besoin-contenu">
                                    <input type="hidden" name="need" value=need />
                                    <input type="hidden" name="structure" value=s.structure_id />
                                    <div class="field">
                                        <label for=field_id.clone()>"Votre message"</label>
                                        <textarea id=field_id name="message" rows="4" maxlength="3000" required></textarea>
                                    </div>
                                    <button type="submit">"Envoyer le message"</button>
                                </form>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        {(status == NeedStatus::Open && !closing.is_empty()).then(|| view! { <CloseForm need suppliers=closing /> })}
    }
}

#[component]
fn CloseForm(need: i64, suppliers: Vec<Supplier>) -> impl IntoView {
    view! {
        <section aria-labelledby="cloture">
            <h2 id="cloture">"Clore le besoin"</h2>
            <p>"Indiquez ce qu'il advient pour chaque structure, et le montant des contrats remportés : ces chiffres font le bilan des achats responsables du territoire."</p>
            <form method="post" action=format!("/achats/{need}/cloture") class="stack-form wide" id="formulaire-cloture" data-fn=CloseNeed::PATH>
                <FormErrors />
                <input type="hidden" name="need" value=need />
                <table class="outcomes">
                    <caption class="visually-hidden">"Résultat par structure"</caption>
                    <thead><tr><th scope="col">"Structure"</th><th scope="col">"Résultat"</th><th scope="col">"Montant (€ HT, si retenue)"</th></tr></thead>
                    <tbody>
                        {suppliers.into_iter().map(|s| {
                            let outcome_id = format!("resultat-{}", s.structure_id);
                            let amount_id = format!("montant-{}", s.structure_id);
                            let chosen = s.outcome.unwrap_or(if s.answer == Some(Answer::Interested) { Outcome::Lost } else { Outcome::Dropped });
                            view! {
                                <tr>
                                    <th scope="row"><label for=outcome_id.clone()>{s.name.clone()}</label></th>
                                    <td>
                                        <input type="hidden" name="structure" value=s.structure_id />
                                        <select id=outcome_id name="outcome">
                                            {Outcome::ALL.into_iter().map(|o| view! {
                                                <option value=o.as_str() selected={o == chosen}>{o.label()}</option>
                                            }).collect_view()}
                                        </select>
                                    </td>
                                    <td>
                                        <label for=amount_id.clone() class="visually-hidden">{format!("Montant pour {}", s.name)}</label>
                                        <input id=amount_id name="amount" type="text" inputmode="numeric" maxlength="14" value="" />
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <button type="submit">"Clore le besoin"</button>
            </form>
        </section>
    }
}

/// The answer box of a structure the person manages.
#[component]
fn SupplierAnswer(need: i64, status: NeedStatus, supplier: Supplier) -> impl IntoView {
    let heading = format!("Votre réponse pour {}", supplier.name);
    let answered = supplier.answer.map(|answer| {
        format!(
            "Vous avez répondu le {} : {}.",
            supplier
                .answered_at
                .map(|a| a.french_date())
                .unwrap_or_default(),
            answer.label()
        )
    });
    view! {
        <section aria-labelledby="votre-reponse" class="stewardship">
            <h2 id="votre-reponse">{heading}</h2>
            <p class="meta">{format!("Pourquoi vous : {}", supplier.reasons)}</p>
            {answered.map(|text| view! { <p>{text}</p> })}
            {supplier.outcome.map(|o| view! { <p><strong>"Résultat : "</strong>{o.label()}</p> })}
            {(status == NeedStatus::Open).then(|| view! {
                <form method="post" action=format!("/achats/{need}/reponse") class="stack-form" id="formulaire-reponse"
                    data-fn=AnswerNeed::PATH data-refresh="#besoin-contenu">
                    <FormErrors />
                    <input type="hidden" name="need" value=need />
                    <input type="hidden" name="structure" value=supplier.slug.clone() />
                    <fieldset class="field">
                        <legend>"Êtes-vous intéressés ?"</legend>
                        <p><input type="radio" id="reponse-oui" name="answer" value="interesse" checked={supplier.answer != Some(Answer::Declined)} />
                        <label for="reponse-oui">"Oui, nous pouvons répondre"</label></p>
                        <p><input type="radio" id="reponse-non" name="answer" value="pas-interesse" checked={supplier.answer == Some(Answer::Declined)} />
                        <label for="reponse-non">"Non, pas cette fois"</label></p>
                    </fieldset>
                    <TextArea name="message" label="Votre message (ou la raison si vous n'êtes pas intéressés)" value=supplier.message.clone() rows=5 />
                    <Field name="attachment_url" label="Lien vers un document (facultatif)" kind="url" required=false value=supplier.attachment_url.clone()
                        hint="Une plaquette, un devis ou des références, déposés en ligne : https://…" />
                    <button type="submit">{if supplier.answer.is_some() { "Modifier ma réponse" } else { "Envoyer ma réponse" }}</button>
                </form>
            })}
        </section>
    }
}

/// `/achats/nouveau`: the buyer form first, then the need form.
#[component]
pub fn NewNeedPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_need_form());
    view! {
        <Title text="Publier un besoin d'achat" />
        <p class="breadcrumb"><a href="/achats">"← Achats responsables"</a></p>
        <h1>"Publier un besoin d'achat"</h1>
        <Notice known=PURCHASING_NOTICES />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => match data.buyer {
                        None => view! { <BuyerFormView /> }.into_any(),
                        Some(buyer) => view! {
                            <p>{format!("Vous publiez pour : {} ({}). ", buyer.organisation, label_of(BUYER_KINDS, &buyer.kind))}</p>
                            <NeedFormView communes=data.communes sectors=data.sectors />
                        }.into_any(),
                    },
                    Err(AppError::Unauthorized) => view! {
                        <p>"Pour publier un besoin, "<a href=login_then("/achats/nouveau")>"connectez-vous"</a>" ou "<a href="/inscription">"créez un compte"</a>"."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BuyerFormView() -> impl IntoView {
    let mut kinds = vec![(String::new(), "—".to_owned())];
    kinds.extend(options(BUYER_KINDS));
    view! {
        <section aria-labelledby="acheteur">
            <h2 id="acheteur">"Pour quelle organisation achetez-vous ?"</h2>
            <Enhance>
                <form method="post" action="/achats/acheteur" class="stack-form" id="formulaire-acheteur" data-fn=DeclareBuyer::PATH>
                    <FormErrors />
                    <Field name="organisation" label="Organisation" autocomplete="organization" hint="Par exemple : Communauté urbaine de Dunkerque, service de la commande publique." />
                    <Choice name="kind" label="Type d'organisation" options=kinds />
                    <Field name="siret" label="SIRET (facultatif)" required=false hint="14 chiffres." />
                    <button type="submit">"Continuer"</button>
                </form>
            </Enhance>
        </section>
    }
}

#[component]
fn NeedFormView(communes: Vec<(String, String)>, sectors: Vec<(String, String)>) -> impl IntoView {
    let mut commune_options = vec![(String::new(), "—".to_owned())];
    commune_options.extend(communes);
    let visibility = vec![
        (
            "public".to_owned(),
            "Publié sur le portail (page « Achats responsables »)".to_owned(),
        ),
        (
            "private".to_owned(),
            "Envoyé seulement aux structures choisies".to_owned(),
        ),
    ];
    view! {
        <Enhance>
            <form method="post" action="/achats/nouveau" class="stack-form wide" id="formulaire-besoin" data-fn=CreateNeed::PATH>
                <FormErrors />
                <Field name="title" label="Objet" hint="Par exemple : Traiteur pour un buffet de 80 personnes." />
                <TextArea name="description" label="Description" hint="Ce qu'il faut faire, quand, les quantités : les structures répondent d'après ce texte." />
                <CheckboxGroup name="sectors" legend="Secteurs d'activité" options=sectors checked=Vec::new() hint="Cochez de un à cinq secteurs." />
                <Choice name="commune" label="Commune où la prestation a lieu" options=commune_options />
                <Choice name="kind" label="Type de besoin" options=options(NEED_KINDS) />
                <Choice name="amount_band" label="Montant estimé" options=options(AMOUNT_BANDS) />
                <Field name="deadline" label="Date limite des réponses" kind="date" />
                <Choice name="clause" label="Clause sociale" options=options(CLAUSES)
                    hint="Un marché réservé n'est proposé qu'aux structures de la forme juridique correspondante." />
                <Choice name="visibility" label="Diffusion" options=visibility />
                <button type="submit">"Enregistrer et voir les structures proposées"</button>
            </form>
        </Enhance>
    }
}

/// `/achats/mes-demandes`.
#[component]
pub fn MyPurchasingPage() -> impl IntoView {
    let mine = Resource::new_blocking(|| (), |_| load_my_purchasing());
    view! {
        <Title text="Mes demandes d'achat" />
        <p class="breadcrumb"><a href="/achats">"← Achats responsables"</a></p>
        <h1>"Mes demandes d'achat"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match mine.await {
                    Ok(mine) => view! {
                        <section aria-labelledby="mes-besoins">
                            <h2 id="mes-besoins">"Mes besoins d'acheteur"</h2>
                            {match &mine.buyer {
                                None => view! { <p>"Vous n'avez pas encore publié de besoin. "<a href="/achats/nouveau">"Publier un besoin"</a></p> }.into_any(),
                                Some(buyer) => view! {
                                    <p>{format!("Pour {}. ", buyer.organisation)}<a href="/achats/nouveau">"Publier un besoin"</a></p>
                                }.into_any(),
                            }}
                            <ul class="result-list">
                                {mine.needs.into_iter().map(|need| view! { <NeedItem need /> }).collect_view()}
                            </ul>
                        </section>
                        <section aria-labelledby="recus">
                            <h2 id="recus">"Besoins reçus par mes structures"</h2>
                            {mine.received.is_empty().then(|| view! { <p>"Aucun besoin reçu pour le moment."</p> })}
                            <ul class="result-list">
                                {mine.received.into_iter().map(|(need, structure, answer)| view! {
                                    <li class="result">
                                        <h3><a href=format!("/achats/{}", need.id)>{need.title.clone()}</a></h3>
                                        <p class="meta">{format!("{} · pour {structure} · {} · {}", need.organisation,
                                            answer.map_or("à répondre", Answer::label), need.status.label())}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <p><a href=login_then("/achats/mes-demandes")>"Connectez-vous"</a>" pour voir vos demandes."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReportTable(caption: String, first: &'static str, rows: Vec<ReportRow>) -> impl IntoView {
    view! {
        <table class="report">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{first}</th>
                    <th scope="col">"Besoins publiés"</th>
                    <th scope="col">"Réponses intéressées"</th>
                    <th scope="col">"Contrats remportés"</th>
                    <th scope="col">"Montant"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| view! {
                    <tr>
                        <th scope="row">{row.name}</th>
                        <td>{row.needs}</td>
                        <td>{row.answers}</td>
                        <td>{row.won}</td>
                        <td>{euros(row.amount)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// `/achats/bilan?annee=…`.
#[component]
pub fn ReportPage() -> impl IntoView {
    let query = use_query_map();
    let year = move || {
        query.with(|q| {
            q.get("annee")
                .and_then(|y| y.trim().parse::<i32>().ok())
                .unwrap_or(0)
        })
    };
    let report = Resource::new_blocking(year, load_report);
    view! {
        <Title text="Bilan des achats responsables" />
        <Description text="Ce que le portail a fait naître : besoins publiés, réponses des structures de l'ESS, contrats remportés et leur montant, par secteur et par territoire." />
        <p class="breadcrumb"><a href="/achats">"← Achats responsables"</a></p>
        <h1>"Bilan des achats responsables"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => view! { <ReportView report /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReportView(report: Report) -> impl IntoView {
    let year = report.year;
    let mut years = report.years.clone();
    if !years.contains(&year) {
        years.insert(0, year);
    }
    view! {
        <form method="get" action="/achats/bilan" class="filters" aria-label="Choisir l'année">
            <div class="field">
                <label for="annee">"Année"</label>
                <select id="annee" name="annee">
                    {years.into_iter().map(|y| view! { <option value=y selected={y == year}>{y}</option> }).collect_view()}
                </select>
            </div>
            <button type="submit">"Afficher"</button>
        </form>
        <p>{format!("Besoins publiés en {year}, réponses des structures intéressées, contrats remportés par des structures de l'ESS et leur montant déclaré par l'acheteur. Un besoin de plusieurs secteurs compte dans chacun ; le territoire est l'intercommunalité du lieu de la prestation.")}</p>
        <p><a href=format!("/achats/bilan.csv?annee={year}") download>{format!("Télécharger le bilan {year} (CSV)")}</a></p>
        <ReportTable caption=format!("Total {year}") first="Ensemble" rows=vec![report.total] />
        <ReportTable caption=format!("Par secteur, {year}") first="Secteur" rows=report.by_sector />
        <ReportTable caption=format!("Par territoire, {year}") first="Territoire" rows=report.by_territory />
    }
}

fn hour(at: crate::timestamp::Timestamp) -> String {
    let t = at.in_paris();
    format!("{}h{:02}", t.hour(), t.minute())
}

/// `/evenements/{slug}/rendez-vous`: the fair's one-to-one meetings.
#[component]
pub fn FairPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug").unwrap_or_default());
    let fair = Resource::new_blocking(slug, load_fair);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let here = format!("/evenements/{}/rendez-vous", slug());
                match fair.await {
                    Ok(fair) => view! { <FairView fair /> }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <Title text="Rendez-vous d'affaires" />
                        <h1>"Rendez-vous d'affaires"</h1>
                        <p><a href=login_then(&here)>"Connectez-vous"</a>" pour voir cet événement."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FairView(fair: Fair) -> impl IntoView {
    let here = format!("/evenements/{}/rendez-vous", fair.slug);
    let title = format!("Rendez-vous d'affaires : {}", fair.title);
    let free_slots: Vec<(String, String)> = fair
        .slots
        .iter()
        .filter(|(id, _, _, _)| !fair.busy.contains(id))
        .map(|(id, starts, ends, _)| {
            (
                id.to_string(),
                format!("{} – {}", hour(*starts), hour(*ends)),
            )
        })
        .collect();
    let stands: Vec<(String, String)> = fair
        .stands
        .iter()
        .map(|(id, _, name)| (id.to_string(), name.clone()))
        .collect();
    let (book_here, book_slug, login_here) = (here.clone(), fair.slug.clone(), here.clone());
    let booking = match (&fair.buyer, fair.logged_in) {
        (Some(buyer), _) if !fair.slots.is_empty() && !fair.stands.is_empty() => view! {
            <section aria-labelledby="reserver">
                <h2 id="reserver">"Réserver un rendez-vous"</h2>
                <p>{format!("Pour {}. Un créneau déjà pris par la structure vous sera signalé.", buyer.organisation)}</p>
                <Enhance>
                    <form method="post" action=book_here class="stack-form" id="formulaire-rendez-vous" data-fn=BookMeeting::PATH data-refresh="#programme,#creneaux">
                        <FormErrors />
                        <input type="hidden" name="slug" value=book_slug />
                        <Choice name="structure" label="Structure (stand)" options=stands />
                        <Choice name="slot" label="Créneau" options=free_slots />
                        <button type="submit">"Réserver"</button>
                    </form>
                </Enhance>
            </section>
        }.into_any(),
        (Some(_), _) => view! { <p>"Les créneaux et les stands ne sont pas encore ouverts."</p> }.into_any(),
        (None, true) => view! {
            <p>"Les rendez-vous se réservent par les acheteurs : "<a href="/achats/nouveau">"indiquez pour quelle organisation vous achetez"</a>"."</p>
        }.into_any(),
        (None, false) => view! {
            <p>"Acheteur ? "<a href=login_then(&login_here)>"Connectez-vous"</a>" pour réserver un rendez-vous avec une structure exposante."</p>
        }.into_any(),
    };
    view! {
        <Title text=title.clone() />
        <p class="breadcrumb"><a href=format!("/evenements/{}", fair.slug)>{format!("← {}", fair.title)}</a></p>
        <h1>{title}</h1>
        <Notice known=PURCHASING_NOTICES />
        <p class="lead">{format!("Le {}, les acheteurs rencontrent en tête-à-tête les structures de l'ESS qui tiennent un stand.", fair.starts_at.french_date())}</p>
        <section aria-labelledby="programme-titre" id="programme" tabindex="-1">
            <h2 id="programme-titre">"Mon programme"</h2>
            {fair.schedule.is_empty().then(|| view! { <p>"Aucun rendez-vous pour vous à ce salon."</p> })}
            <ul class="requests">
                {fair.schedule.into_iter().map(|m| view! {
                    <li>{format!("{} – {} : {} avec ", hour(m.starts_at), hour(m.ends_at), m.buyer)}
                        <a href=format!("/annuaire/{}", m.structure_slug)>{m.structure}</a></li>
                }).collect_view()}
            </ul>
        </section>
        {booking}
        <section aria-labelledby="exposants">
            <h2 id="exposants">{format!("Structures exposantes ({})", fair.stands.len())}</h2>
            <ul class="result-list">
                {fair.stands.iter().map(|(_, slug, name)| view! {
                    <li><a href=format!("/annuaire/{slug}")>{name.clone()}</a></li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="creneaux-titre" id="creneaux" tabindex="-1">
            <h2 id="creneaux-titre">{format!("Créneaux ({})", fair.slots.len())}</h2>
            <ul class="days">
                {fair.slots.iter().map(|(_, starts, ends, booked)| view! {
                    <li>{format!("{} – {} · {booked} rendez-vous réservé(s)", hour(*starts), hour(*ends))}</li>
                }).collect_view()}
            </ul>
        </section>
        {fair.organiser.then(|| view! {
            <section aria-labelledby="organiser">
                <h2 id="organiser">"Organiser les rendez-vous"</h2>
                <Enhance>
                <form method="post" action=format!("{here}/creneaux") class="stack-form" id="formulaire-creneaux" data-fn=OpenSlots::PATH>
                    <FormErrors />
                    <input type="hidden" name="slug" value=fair.slug.clone() />
                    <Field name="start_time" label="Premier créneau à" kind="time" value="10:00" />
                    <Field name="end_time" label="Dernier créneau fini à" kind="time" value="17:00" />
                    <Field name="minutes" label="Durée d'un créneau (minutes)" kind="number" value="20" />
                    <button type="submit">"Ouvrir les créneaux"</button>
                </form>
                <form method="post" action=format!("{here}/stands") class="stack-form" id="formulaire-stand" data-fn=AddStand::PATH>
                    <input type="hidden" name="slug" value=fair.slug.clone() />
                    <Field name="exposant" label="Structure exposante" hint="Son nom exact, ou l'adresse de sa fiche (…/annuaire/…)." />
                    <button type="submit">"Ajouter l'exposant"</button>
                </form>
                </Enhance>
            </section>
        })}
    }
}
