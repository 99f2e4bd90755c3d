//! A need's page: its facts, its suppliers, their answers, closing it.

use crate::error::AppError;
use crate::features::purchasing::Answer;
use crate::features::purchasing::BUYER_KINDS;
use crate::features::purchasing::NeedPage;
use crate::features::purchasing::NeedStatus;
use crate::features::purchasing::Outcome;
use crate::features::purchasing::PURCHASING_NOTICES;
use crate::features::purchasing::Supplier;
use crate::features::purchasing::answers::AnswerNeed;
use crate::features::purchasing::answers::CloseNeed;
use crate::features::purchasing::answers::ContactSupplier;
use crate::features::purchasing::euros;
use crate::features::purchasing::label_of;
use crate::features::purchasing::needs::load_need;
use crate::features::purchasing::suppliers::AddSupplier;
use crate::features::purchasing::suppliers::ChangeSupplier;
use crate::features::purchasing::suppliers::SendNeed;
use crate::features::purchasing::views::need_facts;
use crate::features::purchasing::views::paragraphs;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::Field;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use crate::ui::form::TextArea;
use crate::ui::href::login_then;
use crate::ui::meta::Description;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

/// `/achats/{id}`.
#[component]
pub fn NeedDetailPage() -> impl IntoView {
    let id = crate::ui::href::route_id();
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
                NeedStatus::Draft => view! { <DraftSuppliers need=id confirmed=need.buyer_confirmed suppliers=page.suppliers.clone() /> }.into_any(),
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
fn DraftSuppliers(need: i64, confirmed: bool, suppliers: Vec<Supplier>) -> impl IntoView {
    let kept = suppliers.iter().filter(|s| !s.removed).count();
    let reach = crate::features::purchasing::buyers::UNCONFIRMED_REACH;
    view! {
        <section aria-labelledby="proposees">
            <h2 id="proposees">{format!("Structures proposées ({kept} retenue(s) sur {})", suppliers.len())}</h2>
            <p>"Le portail a cherché les structures publiées de l'annuaire qui travaillent dans les secteurs du besoin, près du lieu de la prestation, ou dont l'offre reprend ses mots. Retirez celles qui ne conviennent pas, ajoutez celles que vous connaissez, puis envoyez."</p>
            {(!confirmed).then(|| view! {
                <p class="notice" role="note">{format!("Votre organisation n'est pas encore confirmée par un administrateur du portail : en attendant, un besoin part vers {reach} structures au plus. Gardez les {reach} qui conviennent le mieux, ou attendez la confirmation.")}</p>
            })}
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
                            <form method="post" action=ChangeSupplier::action(&[&need.to_string()]) class="inline-form"
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
            <form method="post" action=AddSupplier::action(&[&need.to_string()]) class="stack-form"
                id="ajout-structure" data-fn=AddSupplier::PATH data-refresh="#besoin-contenu">
                <FormErrors />
                <input type="hidden" name="need" value=need />
                <Field name="structure" label="Ajouter une structure de l'annuaire" hint="Son nom exact, ou l'adresse de sa fiche (…/annuaire/…)." />
                <button type="submit" class="secondary">"Ajouter"</button>
            </form>
            <form method="post" action=SendNeed::action(&[&need.to_string()]) class="stack-form" id="envoi" data-fn=SendNeed::PATH>
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
                                <form method="post" action=ContactSupplier::action(&[&need.to_string()]) class="stack-form"
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
            <form method="post" action=CloseNeed::action(&[&need.to_string()]) class="stack-form wide" id="formulaire-cloture" data-fn=CloseNeed::PATH>
                <FormErrors />
                <input type="hidden" name="need" value=need />
                <table class="outcomes">
                    <caption class="visually-hidden">"Résultat par structure"</caption>
                    <thead><tr><th scope="col">"Structure"</th><th scope="col">"Résultat"</th><th scope="col">"Montant (€ HT, si retenue)"</th></tr></thead>
                    <tbody>
                        {suppliers.into_iter().enumerate().map(|(row, s)| {
                            let field = |name: &str| format!("rows[{row}][{name}]");
                            let outcome_id = format!("resultat-{}", s.structure_id);
                            let amount_id = format!("montant-{}", s.structure_id);
                            let chosen = s.outcome.unwrap_or(if s.answer == Some(Answer::Interested) { Outcome::Lost } else { Outcome::Dropped });
                            view! {
                                <tr>
                                    <th scope="row"><label for=outcome_id.clone()>{s.name.clone()}</label></th>
                                    <td>
                                        <input type="hidden" name=field("structure") value=s.structure_id />
                                        <select id=outcome_id name=field("outcome")>
                                            {Outcome::ALL.into_iter().map(|o| view! {
                                                <option value=o.as_str() selected={o == chosen}>{o.label()}</option>
                                            }).collect_view()}
                                        </select>
                                    </td>
                                    <td>
                                        <label for=amount_id.clone() class="visually-hidden">{format!("Montant pour {}", s.name)}</label>
                                        <input id=amount_id name=field("amount") type="text" inputmode="numeric" maxlength="14" value="" />
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
                <form method="post" action=AnswerNeed::action(&[&need.to_string()]) class="stack-form" id="formulaire-reponse"
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
