//! The club admins' page: requests, invitations, members, admins, history.

use crate::error::AppError;
use crate::features::clubs::ActiveRow;
use crate::features::clubs::CLUB_NOTICES;
use crate::features::clubs::MemberStatus;
use crate::features::clubs::MembershipPage;
use crate::features::clubs::PendingRow;
use crate::features::clubs::decisions::DecideMembership;
use crate::features::clubs::decisions::RemoveMember;
use crate::features::clubs::decisions::SetClubAdmin;
use crate::features::clubs::decisions::load_membership;
use crate::features::clubs::views::paragraphs;
use crate::features::clubs::views::slug_param;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use crate::ui::form::form_outcome;
use crate::ui::href::login_then;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

/// `/clubs/{slug}/membres`: requests and invitations, members and their representatives, the
/// history; every row acts in place with JavaScript, by a plain form without.
#[component]
pub fn MembershipManagementPage() -> impl IntoView {
    let slug = slug_param();
    let for_load = slug.clone();
    let page = Resource::new_blocking(move || for_load.clone(), load_membership);
    view! {
        <Title text="Membres du club" />
        <Suspense>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <Membership page /> }.into_any(),
                        Err(AppError::Unauthorized) => view! {
                            <h1>"Connexion nécessaire"</h1>
                            <p><a href=login_then(&format!("/clubs/{slug}/membres"))>"Connectez-vous"</a>" pour gérer les membres du club."</p>
                        }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

const REFRESH: &str = "#en-attente, #membres-actifs, #historique";

#[component]
fn Membership(page: MembershipPage) -> impl IntoView {
    let MembershipPage {
        club,
        pending,
        active,
        history,
    } = page;
    let here = format!("/clubs/{}", club.slug);
    let slug = club.slug.clone();
    let pending_title = format!("Demandes et invitations en attente ({})", pending.len());
    let active_title = format!("Structures membres ({})", active.len());
    view! {
        <p class="breadcrumb"><a href=here.clone()>"← Retour au club"</a></p>
        <h1>{format!("Membres : {}", club.name)}</h1>
        <Notice known=CLUB_NOTICES />
        <FormErrors />
        <p class="list-links"><a href=format!("{here}#inviter")>"Inviter une structure"</a></p>
        <Enhance>
            <section id="en-attente" tabindex="-1" aria-labelledby="titre-en-attente">
                <h2 id="titre-en-attente">{pending_title}</h2>
                {if pending.is_empty() {
                    view! { <p>"Aucune demande ni invitation en attente."</p> }.into_any()
                } else {
                    view! {
                        <ul class="member-rows">
                            {pending.into_iter().map(|row| view! { <PendingItem slug=slug.clone() row /> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
            <section id="membres-actifs" tabindex="-1" aria-labelledby="titre-membres-actifs">
                <h2 id="titre-membres-actifs">{active_title}</h2>
                <ul class="member-rows">
                    {active.into_iter().map(|row| view! { <ActiveItem slug=slug.clone() row /> }).collect_view()}
                </ul>
            </section>
            <section id="historique" tabindex="-1" aria-labelledby="titre-historique">
                <h2 id="titre-historique">"Historique"</h2>
                <div class="table-wrap">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">"Date"</th>
                                <th scope="col">"Changement"</th>
                                <th scope="col">"Motif"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {history.into_iter().map(|line| view! {
                                <tr>
                                    <td>{line.at.french_date_time()}</td>
                                    <td>{format!("{} {} {}", line.actor, line.action.phrase(), line.target)}</td>
                                    <td>{line.reason}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        </Enhance>
    }
}

#[component]
fn PendingItem(slug: String, row: PendingRow) -> impl IntoView {
    let sid = row.structure_id;
    let invited = row.status == MemberStatus::Invited;
    let state = if invited {
        "Invitation envoyée"
    } else {
        "Demande d'adhésion"
    };
    let by = if row.proposed_by.is_empty() {
        String::new()
    } else {
        format!(" par {}", row.proposed_by)
    };
    let name = row.name.clone();
    view! {
        <li data-row>
            <p>
                <strong><a href=format!("/annuaire/{}", row.slug)>{row.name.clone()}</a></strong>
                " — "<span data-row-state>{state}</span>
                <span class="muted">{format!(", le {}{by}", row.since.french_date())}</span>
            </p>
            {(!row.message.is_empty()).then(|| view! { <blockquote>{paragraphs(&row.message)}</blockquote> })}
            <form method="post" action=DecideMembership::action(&[&slug]) class="row-form" id=format!("decision-{sid}")
                data-fn=DecideMembership::PATH data-refresh=REFRESH>
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="structure" value=sid />
                <div class="field">
                    <label for=format!("motif-decision-{sid}")>"Motif (facultatif, transmis à la structure)"</label>
                    <input id=format!("motif-decision-{sid}") name="reason" type="text" maxlength="2000" />
                </div>
                {(!invited).then(|| view! {
                    <button type="submit" name="decision" value="approuver" data-optimistic="Approuvée…">"Approuver"<span class="visually-hidden">{format!(" la demande de {name}")}</span></button>
                })}
                <button type="submit" name="decision" value="decliner" class="secondary" data-optimistic="Déclinée…">
                    {if invited { "Retirer l'invitation" } else { "Décliner" }}
                    <span class="visually-hidden">{format!(" ({})", row.name)}</span>
                </button>
            </form>
        </li>
    }
}

#[component]
fn ActiveItem(slug: String, row: ActiveRow) -> impl IntoView {
    let sid = row.structure_id;
    let outcome = form_outcome();
    // A removal refused without JavaScript shows its message next to its own row.
    let error = (outcome.value("structure") == Some(&sid.to_string()))
        .then(|| outcome.error_for("reason").map(str::to_owned))
        .flatten();
    let reason_id = format!("motif-retrait-{sid}");
    let error_id = format!("{reason_id}-erreur");
    let name = row.name.clone();
    view! {
        <li data-row>
            <p>
                <strong><a href=format!("/annuaire/{}", row.slug)>{row.name.clone()}</a></strong>
                " — "<span data-row-state>{format!("membre depuis le {}", row.since.french_date())}</span>
            </p>
            {if row.representatives.is_empty() {
                view! { <p class="muted">"Aucun gérant sur DESSINE."</p> }.into_any()
            } else {
                view! {
                    <ul class="representatives">
                        {row.representatives.into_iter().map(|person| {
                            let form_id = format!("admin-{sid}-{}", person.user_id);
                            let (value, label, pending) = if person.admin {
                                ("retirer", "Retirer le rôle d'administrateur", "n'est plus administrateur…")
                            } else {
                                ("nommer", "Nommer administrateur", "administrateur…")
                            };
                            view! {
                                <li data-row>
                                    {person.name.clone()}
                                    " "<span data-row-state class="tag">{person.admin.then_some("administrateur du club")}</span>
                                    <form method="post" action=SetClubAdmin::action(&[&slug]) class="inline-form" id=form_id
                                        data-fn=SetClubAdmin::PATH data-refresh=REFRESH data-optimistic=pending>
                                        <input type="hidden" name="slug" value=slug.clone() />
                                        <input type="hidden" name="user" value=person.user_id />
                                        <button type="submit" name="change" value=value class="secondary">{label}<span class="visually-hidden">{format!(" : {}", person.name)}</span></button>
                                    </form>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form method="post" action=RemoveMember::action(&[&slug]) class="row-form" id=format!("retrait-{sid}")
                data-fn=RemoveMember::PATH data-refresh=REFRESH data-optimistic="Retrait en cours…">
                <input type="hidden" name="slug" value=slug.clone() />
                <input type="hidden" name="structure" value=sid />
                <div class="field" class:has-error=error.is_some()>
                    <label for=reason_id.clone()>"Motif du retrait (transmis à la structure)"</label>
                    {error.clone().map(|message| view! { <p class="field-error" id=error_id.clone()>{message}</p> })}
                    <input id=reason_id name="reason" type="text" maxlength="2000" required
                        aria-invalid=error.is_some().then_some("true") aria-describedby=error.is_some().then_some(error_id.clone()) />
                </div>
                <button type="submit" class="secondary">"Retirer du club"<span class="visually-hidden">{format!(" : {name}")}</span></button>
            </form>
        </li>
    }
}
