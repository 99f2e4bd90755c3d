//! `/moderation` (the queue) and `/moderation/{id}` (one proposal, side by side).

use crate::features::moderation::deciding::{DecideProposal, load_proposal, load_queue};
use crate::features::moderation::merging::load_pairs;
use crate::features::moderation::{MODERATION_NOTICES, ProposalDetail, ProposalStatus, Queue};
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::{FormErrors, FormPath};
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

#[component]
pub fn ModerationQueuePage() -> impl IntoView {
    let queue = Resource::new_blocking(|| (), |_| load_queue());
    let pairs = Resource::new_blocking(|| (), |_| load_pairs());
    view! {
        <Title text="Modération de l'annuaire" />
        <h1>"Modération de l'annuaire"</h1>
        <Notice known=MODERATION_NOTICES />
        <Suspense>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(queue) => view! { <QueueLists queue /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense>
            {move || Suspend::new(async move {
                pairs.await.ok().filter(|pairs| !pairs.is_empty()).map(|pairs| view! {
                    <section aria-labelledby="doublons">
                        <h2 id="doublons">"Doublons probables"</h2>
                        <ul>
                            {pairs.into_iter().map(|((a, an), (b, bn), why)| view! {
                                <li>{format!("{an} / {bn} ({why}) — ")}
                                    <a href=format!("/moderation/fusion?garder={a}&fusionner={b}")>"Comparer et fusionner"</a></li>
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
        <p><a href="/moderation/moderateurs">"Les modérateurs"</a>" · "<a href="/admin/import">"Importer des structures"</a></p>
    }
}

#[component]
fn QueueLists(queue: Queue) -> impl IntoView {
    let items = queue.proposals;
    let drafts = queue.drafts;
    let stale = queue.stale;
    view! {
        {if items.is_empty() {
            view! { <p>"Aucune proposition n'attend : l'annuaire est à jour."</p> }.into_any()
        } else {
            view! {
                <p>{format!("{} proposition{} en attente, la plus ancienne en premier.", items.len(), if items.len() > 1 { "s" } else { "" })}</p>
                <div class="table-scroll" role="region" aria-label="Propositions en attente" tabindex="0">
                <table>
                    <thead><tr><th scope="col">"Proposition"</th><th scope="col">"Territoire"</th><th scope="col">"Par"</th><th scope="col">"Champs"</th><th scope="col">"Reçue le"</th></tr></thead>
                    <tbody>
                        {items.into_iter().map(|item| view! {
                            <tr>
                                <th scope="row"><a href=format!("/moderation/{}", item.id)>{format!("{} : {}", item.kind.label(), item.name)}</a></th>
                                <td>{item.territory}</td>
                                <td>{item.proposer}</td>
                                <td>{item.fields}</td>
                                <td><time datetime=item.created_at.iso_date()>{item.created_at.french_date()}</time></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            }.into_any()
        }}
        {(!drafts.is_empty()).then(|| view! {
            <section aria-labelledby="a-publier">
                <h2 id="a-publier">"Fiches à publier"</h2>
                <p>"Créées en rejoignant un club sur invitation : elles attendent une vérification avant d'apparaître dans l'annuaire."</p>
                <ul>
                    {drafts.into_iter().map(|(slug, name, commune, created)| view! {
                        <li><a href=format!("/annuaire/{slug}/administration")>{name}</a>{format!(" — {commune}, créée le {}", created.french_date())}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!stale.is_empty()).then(|| view! {
            <section aria-labelledby="a-verifier">
                <h2 id="a-verifier">"Fiches non vérifiées depuis deux ans"</h2>
                <p>"Leurs gestionnaires reçoivent chaque année un rappel ; sans réponse, la fiche passe après les autres dans les recherches."</p>
                <ul>
                    {stale.into_iter().map(|(slug, name, commune, verified)| view! {
                        <li><a href=format!("/annuaire/{slug}")>{name}</a>{format!(" — {commune}, {}", verified.map_or_else(|| "jamais vérifiée".to_owned(), |at| format!("vérifiée le {}", at.french_date())))}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

#[component]
pub fn ProposalReviewPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| {
        p.get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let proposal = Resource::new_blocking(move || id, load_proposal);
    view! {
        <Title text="Examiner une proposition" />
        <p class="breadcrumb"><a href="/moderation">"← Toutes les propositions"</a></p>
        <Suspense>
            {move || Suspend::new(async move {
                match proposal.await {
                    Ok(detail) => view! { <Review detail /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Review(detail: ProposalDetail) -> impl IntoView {
    let heading = match &detail.entry {
        Some((_, name)) => format!("{} : {name}", detail.kind.label()),
        None => format!(
            "{} : {}",
            detail.kind.label(),
            detail
                .changes
                .iter()
                .find(|c| c.field == "name")
                .map_or("", |c| c.proposed.as_str())
        ),
    };
    let open = detail.status == ProposalStatus::Pending;
    let id = detail.id.to_string();
    view! {
        <h1>{heading}</h1>
        <Enhance>
        <div id="etat-proposition" tabindex="-1">
        <p>{format!("Proposée par {} ({}) le {} — {}.", detail.proposer, detail.proposer_email, detail.created_at.french_date(), detail.status.label())}</p>
        {detail.entry.clone().map(|(slug, _)| view! { <p><a href=format!("/annuaire/{slug}")>"Voir la fiche"</a>" · "<a href=format!("/annuaire/{slug}/historique")>"Son historique"</a></p> })}
        {detail.decided.clone().map(|(by, at, reason)| view! {
            <p class="notice">{format!("Décidée par {by} le {}.", at.french_date_time())}{(!reason.is_empty()).then(|| format!(" Motif : « {reason} »"))}</p>
        })}
        </div>
        {(!detail.look_alikes.is_empty()).then(|| view! {
            <section aria-labelledby="semblables" class="warning">
                <h2 id="semblables">"Fiches semblables"</h2>
                <ul>
                    {detail.look_alikes.iter().map(|(slug, name, why)| view! {
                        <li><a href=format!("/annuaire/{slug}")>{name.clone()}</a>{format!(" ({why})")}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <form method="post" action=DecideProposal::action(&[&id]) class="stack-form wide" id="decision" data-fn=DecideProposal::PATH
            data-refresh="#etat-proposition, #decision">
            <FormErrors />
            <input type="hidden" name="id" value=id.clone() />
            <div class="table-scroll" role="region" aria-label="Valeurs actuelles et proposées" tabindex="0">
            <table class="side-by-side">
                <caption>"Chaque champ : la valeur actuelle et la valeur proposée. Décochez ce que vous ne retenez pas."</caption>
                <thead><tr><th scope="col">"Champ"</th><th scope="col">"Actuellement"</th><th scope="col">"Proposé"</th><th scope="col">"Retenir"</th></tr></thead>
                <tbody>
                    {detail.changes.into_iter().map(|change| {
                        let box_id = format!("retenir-{}", change.field);
                        view! {
                            <tr>
                                <th scope="row">{change.label.clone()}{change.required.then_some(" (nécessaire)")}</th>
                                <td class="before">{if change.current.is_empty() { "—".to_owned() } else { change.current }}</td>
                                <td class="after">{if change.proposed.is_empty() { "(vide)".to_owned() } else { change.proposed }}</td>
                                <td>
                                    <input type="checkbox" id=box_id.clone() name="accepted" value=change.field checked=true disabled=!open />
                                    <label for=box_id class="visually-hidden">{format!("Retenir : {}", change.label)}</label>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            {open.then(|| view! {
                <div class="field">
                    <label for="champ-reason">"Motif (nécessaire pour un refus, transmis à l'auteur)"</label>
                    <textarea id="champ-reason" name="reason" rows="3"></textarea>
                </div>
                <p class="actions">
                    <button type="submit" name="verdict" value="accepter">"Accepter les champs cochés"</button>
                    " "
                    <button type="submit" name="verdict" value="refuser" class="secondary">"Refuser la proposition"</button>
                </p>
            })}
        </form>
        </Enhance>
    }
}
