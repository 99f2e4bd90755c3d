//! The club pages: `/clubs`, each club's page (charter, members, meetings, joining, inviting),
//! the membership page of club admins, and the page behind an e-mail invitation.

use crate::ui::meta::Description;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;

use super::api::{
    AnswerInvitation, CreateClub, DecideMembership, InviteByEmail, InviteStructure, LeaveClub,
    RemoveMember, RequestToJoin, SaveClub, SetClubAdmin, list_clubs, load_club, load_club_form,
    load_email_invitation, load_membership,
};
use super::*;
use crate::error::AppError;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::{Field, FormErrors, TextArea, form_outcome};
use crate::ui::href::{encode_component, login_then};
use crate::ui::notice::Notice;

fn slug_param() -> String {
    use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default())
}

fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p>{p.trim().to_owned()}</p> })
        .collect_view()
}

fn members_count(n: usize) -> String {
    match n {
        0 => "Aucune structure membre".to_owned(),
        1 => "1 structure membre".to_owned(),
        n => format!("{n} structures membres"),
    }
}

/// `/clubs`: every club of the territory.
#[component]
pub fn ClubsPage() -> impl IntoView {
    let clubs = Resource::new_blocking(|| (), |_| list_clubs());
    view! {
        <Title text="Clubs" />
        <Description text="Les clubs de structures de l'ESS du territoire : une charte, des rencontres chaque trimestre, des projets communs." />
        <h1>"Clubs"</h1>
        {is_site_admin().then(|| view! { <p class="list-links"><a href="/clubs/nouveau">"Créer un club"</a></p> })}
        <p class="lead">"Les clubs réunissent des structures de l'ESS d'un même territoire autour d'une charte : elles se rencontrent chaque trimestre, mutualisent des moyens et répondent ensemble aux marchés. Chaque membre peut y faire entrer de nouvelles structures."</p>
        <Suspense>
            {move || Suspend::new(async move {
                match clubs.await {
                    Ok(clubs) if clubs.is_empty() => view! { <p>"Aucun club pour le moment."</p> }.into_any(),
                    Ok(clubs) => view! {
                        <ul class="cards">
                            {clubs.into_iter().map(|club| view! {
                                <li class="card">
                                    <h2><a href=format!("/clubs/{}", club.slug)>{club.name}</a></h2>
                                    <p class="meta">{club.territory}" · "{members_count(club.members as usize)}</p>
                                    <p>{club.description.split("\n\n").next().unwrap_or_default().to_owned()}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Whether the person looking administers the site (rendered on the server only).
fn is_site_admin() -> bool {
    crate::features::accounts::rendering_user().is_some_and(|u| u.is_admin())
}

/// `/clubs/nouveau` (site admins) and `/clubs/{slug}/modifier` (the club's admins): the club's
/// name, territory, presentation, charter and meetings.
#[component]
pub fn ClubFormPage() -> impl IntoView {
    let slug = slug_param();
    let for_load = slug.clone();
    let form = Resource::new_blocking(move || for_load.clone(), load_club_form);
    view! {
        <Title text=if slug.is_empty() { "Nouveau club" } else { "Modifier le club" } />
        <Suspense>
            {move || {
                let slug = slug.clone();
                Suspend::new(async move {
                    match form.await {
                        Ok(form) => view! { <ClubFormView form /> }.into_any(),
                        Err(AppError::Unauthorized) => {
                            let here = if slug.is_empty() { "/clubs/nouveau".to_owned() } else { format!("/clubs/{slug}/modifier") };
                            view! {
                                <h1>"Connexion nécessaire"</h1>
                                <p><a href=login_then(&here)>"Connectez-vous"</a>" pour continuer."</p>
                            }.into_any()
                        }
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ClubFormView(form: ClubForm) -> impl IntoView {
    let ClubForm {
        slug,
        edit,
        territories,
    } = form;
    let is_new = slug.is_empty();
    let outcome = form_outcome();
    let territory = outcome
        .value("territory")
        .map(str::to_owned)
        .unwrap_or(edit.territory.clone());
    let territory_error = outcome.error_for("territory").map(str::to_owned);
    let (action, endpoint) = if is_new {
        ("/clubs/nouveau".to_owned(), CreateClub::PATH)
    } else {
        (format!("/clubs/{slug}/modifier"), SaveClub::PATH)
    };
    view! {
        {(!is_new).then(|| view! { <p class="breadcrumb"><a href=format!("/clubs/{slug}")>"← Retour au club"</a></p> })}
        <h1>{if is_new { "Nouveau club" } else { "Modifier le club" }}</h1>
        <FormErrors />
        <form method="post" action=action class="stack-form wide" data-fn=endpoint>
            {(!is_new).then(|| view! { <input type="hidden" name="slug" value=slug.clone() /> })}
            <Field name="name" label="Nom du club" value=edit.name.clone() autocomplete="off" />
            <div class="field" class:has-error=territory_error.is_some()>
                <label for="champ-territory">"Territoire"</label>
                {territory_error.clone().map(|m| view! { <p class="field-error" id="champ-territory-erreur">{m}</p> })}
                <select id="champ-territory" name="territory" aria-invalid=territory_error.is_some().then_some("true")
                    aria-describedby=territory_error.is_some().then_some("champ-territory-erreur")>
                    <option value="">"Non précisé"</option>
                    {territories.into_iter().map(|(value, name)| {
                        let selected = territory == value;
                        view! { <option value=value selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <TextArea name="description" label="Présentation" hint="Un paragraphe par ligne vide." value=edit.description.clone() />
            <TextArea name="charter" label="Charte" hint="Ce à quoi s'engagent les membres." value=edit.charter.clone() />
            <Field name="meetings" label="Rencontres" hint="Par exemple : chaque trimestre, chez l'un des membres." value=edit.meetings.clone() required=false />
            <button type="submit">{if is_new { "Créer le club" } else { "Enregistrer" }}</button>
        </form>
    }
}

/// `/clubs/{slug}`: the club's charter, members and meetings; joining, answering an invitation,
/// leaving, and inviting for members.
#[component]
pub fn ClubDetailPage() -> impl IntoView {
    let slug = slug_param();
    let search = use_query_map().with_untracked(|q| q.get("inviter").unwrap_or_default());
    let page = Resource::new_blocking(
        move || (slug.clone(), search.clone()),
        |(slug, search)| load_club(slug, search),
    );
    let news_slug = slug_param();
    view! {
        <Suspense>
            {move || {
                let news_slug = news_slug.clone();
                Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let news = crate::features::news::views::mentions("clubs", news_slug).await;
                        view! {
                            <ClubView page />
                            <crate::features::news::views::MentionedIn links=news />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

#[component]
fn ClubView(page: ClubPage) -> impl IntoView {
    let ClubPage {
        club,
        members,
        meetings,
        viewer,
        search,
        candidates,
    } = page;
    let here = format!("/clubs/{}", club.slug);
    let count = members_count(members.len());
    let admin_link = viewer.admin.then(|| {
        view! {
            <p class="list-links">
                <a class="button" href=format!("{here}/membres")>"Gérer les membres"</a>
                " · "
                <a href=format!("{here}/modifier")>"Modifier la présentation et la charte"</a>
            </p>
        }
    });
    let invite = viewer.member.then(|| {
        view! { <InviteSection slug=club.slug.clone() search candidates /> }
    });
    view! {
        <Title text=club.name.clone() />
        <Description text=club.description.clone() />
        <p class="breadcrumb"><a href="/clubs">"← Tous les clubs"</a></p>
        <h1>{club.name.clone()}</h1>
        <p class="lead">{club.territory.clone()}" · "{count.clone()}</p>
        <Notice known=CLUB_NOTICES />
        <FormErrors />
        {admin_link}
        <div class="prose">{paragraphs(&club.description)}</div>
        <section aria-labelledby="charte" class="prose">
            <h2 id="charte">"La charte"</h2>
            {paragraphs(&club.charter)}
        </section>
        <Enhance>
        <section aria-labelledby="rencontres" id="rencontres-club">
            <h2 id="rencontres">"Les rencontres"</h2>
            {(!club.meetings.is_empty()).then(|| view! { <p>{club.meetings.clone()}</p> })}
            {if meetings.is_empty() {
                view! { <p>"Aucune rencontre annoncée pour le moment."</p> }.into_any()
            } else {
                view! {
                    <ul class="result-list">
                        {meetings.into_iter().map(|meeting| view! {
                            <li class="result">
                                <h3><a href=format!("/evenements/{}", meeting.slug)>{meeting.title}</a></h3>
                                <p class="meta">
                                    {meeting.starts_at.french_date_time()}
                                    {(!meeting.place.is_empty()).then(|| format!(" · {}", meeting.place))}
                                    {meeting.members_only.then_some(" · Réservé aux membres du club")}
                                </p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!viewer.member).then(|| view! { <p class="muted">"Les réunions du club sont réservées à ses membres : elles apparaissent ici pour les gérants des structures membres, une fois connectés."</p> })}
        </section>
        <YourStructures slug=club.slug.clone() viewer=viewer.clone() here=here.clone() />
        {invite}
        <section aria-labelledby="membres" id="membres-club">
            <h2 id="membres">{count}</h2>
            <ul class="member-list">
                {members.into_iter().map(|member| view! {
                    <li>
                        <a href=format!("/annuaire/{}", member.slug)>{member.name}</a>
                        <span class="muted">{format!(" — {}, {}", member.legal_form, member.commune)}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
        </Enhance>
    }
}

/// What a structure's own step changes on the club's page.
const OWN_REFRESH: &str = "#vos-structures, #rencontres-club, #membres-club";

/// Where the viewer's structures stand, with the step each may take.
#[component]
fn YourStructures(slug: String, viewer: ClubViewer, here: String) -> impl IntoView {
    if !viewer.logged_in {
        return view! {
            <section aria-labelledby="adhesion">
                <h2 id="adhesion">"Rejoindre le club"</h2>
                <p><a href=login_then(&here)>"Connectez-vous"</a>" pour demander l'adhésion de votre structure, ou répondre à une invitation."</p>
            </section>
        }
        .into_any();
    }
    if viewer.own.is_empty() {
        return view! {
            <section aria-labelledby="adhesion">
                <h2 id="adhesion">"Rejoindre le club"</h2>
                <p>"Pour demander l'adhésion, votre compte doit gérer la fiche de votre structure : ouvrez sa fiche dans l'"<a href="/annuaire">"annuaire"</a>" et demandez à la gérer."</p>
            </section>
        }
        .into_any();
    }
    let (free, engaged): (Vec<OwnStructure>, Vec<OwnStructure>) = viewer
        .own
        .into_iter()
        .partition(|s| s.status.is_none_or(MemberStatus::may_start_over));
    let outcome = form_outcome();
    let chosen = outcome.value("structure").unwrap_or_default().to_owned();
    let join = (!free.is_empty()).then(|| {
        let single = (free.len() == 1).then(|| free[0].clone());
        view! {
            <form method="post" action=format!("{here}/adhesion") class="stack-form" id="demande-adhesion"
                data-fn=RequestToJoin::PATH data-refresh=OWN_REFRESH>
                <input type="hidden" name="slug" value=slug.clone() />
                {match single {
                    Some(own) => view! {
                        <input type="hidden" name="structure" value=own.id />
                        <p>{format!("Demander l'adhésion de {} :", own.name)}</p>
                    }.into_any(),
                    None => view! {
                        <div class="field">
                            <label for="champ-structure">"Votre structure"</label>
                            <select id="champ-structure" name="structure">
                                {free.iter().map(|own| {
                                    let selected = chosen == own.id.to_string();
                                    view! { <option value=own.id selected=selected>{own.name.clone()}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    }.into_any(),
                }}
                <TextArea name="message" label="Votre message aux administrateurs du club (facultatif)" hint="Présentez votre structure et ce qu'elle attend du club." />
                <button type="submit">"Demander l'adhésion"</button>
            </form>
        }
    });
    view! {
        <section aria-labelledby="adhesion" id="votre-structure">
            <h2 id="adhesion">"Votre structure et le club"</h2>
            <div id="vos-structures" tabindex="-1">
                <ul class="member-rows">
                    {engaged.into_iter().map(|own| view! { <EngagedRow slug=slug.clone() here=here.clone() own /> }).collect_view()}
                </ul>
                {join}
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn EngagedRow(slug: String, here: String, own: OwnStructure) -> impl IntoView {
    let name = own.name.clone();
    match own.status {
        Some(MemberStatus::Active) => view! {
            <li data-row>
                <p><strong>{name.clone()}</strong>" "<span data-row-state>"est membre du club."</span></p>
                <form method="post" action=format!("{here}/depart") class="inline-form" id=format!("depart-{}", own.id)
                    data-fn=LeaveClub::PATH data-refresh=OWN_REFRESH data-optimistic="quitte le club…">
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="structure" value=own.id />
                    <button type="submit" class="secondary">"Quitter le club"<span class="visually-hidden">{format!(" ({name})")}</span></button>
                </form>
            </li>
        }.into_any(),
        Some(MemberStatus::Invited) => view! {
            <li data-row>
                <p><strong>{name.clone()}</strong>" "<span data-row-state>"est invitée à rejoindre le club."</span></p>
                {(!own.message.is_empty()).then(|| view! { <blockquote>{paragraphs(&own.message)}</blockquote> })}
                <form method="post" action=format!("{here}/reponse") class="inline-form" id=format!("reponse-{}", own.id)
                    data-fn=AnswerInvitation::PATH data-refresh=OWN_REFRESH>
                    <input type="hidden" name="slug" value=slug />
                    <input type="hidden" name="structure" value=own.id />
                    <button type="submit" name="answer" value="accepter" data-optimistic="rejoint le club…">"Accepter l'invitation"<span class="visually-hidden">{format!(" pour {name}")}</span></button>
                    <button type="submit" name="answer" value="decliner" class="secondary" data-optimistic="décline l'invitation…">"Décliner"<span class="visually-hidden">{format!(" l'invitation pour {name}")}</span></button>
                </form>
            </li>
        }.into_any(),
        _ => view! {
            <li data-row>
                <p><strong>{name}</strong>" : la demande d'adhésion attend la réponse des administrateurs du club."</p>
            </li>
        }.into_any(),
    }
}

/// Inviting: a structure of the directory found by its name, or an address for one not listed.
#[component]
fn InviteSection(slug: String, search: String, candidates: Vec<Candidate>) -> impl IntoView {
    let here = format!("/clubs/{slug}");
    // The message typed in this form, when it comes back refused (it is the one with `email`).
    let outcome = form_outcome();
    let replayed_message = outcome
        .value("email")
        .and(outcome.value("message"))
        .unwrap_or_default()
        .to_owned();
    let results = (!search.is_empty()).then(|| {
        if candidates.is_empty() {
            view! { <p role="status">{format!("Aucune structure à inviter ne correspond à « {search} » : elle est peut-être déjà membre, ou pas encore dans l'annuaire (invitez-la alors par e-mail).")}</p> }.into_any()
        } else {
            let back = format!("{here}?inviter={}", encode_component(&search));
            view! {
                <h3 id="resultats-invitation">{format!("Structures trouvées pour « {search} »")}</h3>
                <ul class="member-rows" aria-labelledby="resultats-invitation">
                    {candidates.into_iter().map(|candidate| view! {
                        <li data-row>
                            <p><strong>{candidate.name.clone()}</strong>" "<span class="muted">{candidate.commune}</span>" "<span data-row-state></span></p>
                            <form method="post" action=format!("{here}/invitations") class="inline-form" id=format!("inviter-{}", candidate.id)
                                data-fn=InviteStructure::PATH data-refresh="#resultats-inviter" data-optimistic="invitation envoyée…">
                                <input type="hidden" name="slug" value=slug.clone() />
                                <input type="hidden" name="structure" value=candidate.id />
                                <input type="hidden" name="retour" value=back.clone() />
                                <button type="submit">"Inviter"<span class="visually-hidden">{format!(" {}", candidate.name)}</span></button>
                            </form>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }
    });
    view! {
        <section aria-labelledby="titre-inviter" id="inviter" tabindex="-1">
            <h2 id="titre-inviter">"Inviter une structure"</h2>
            <p>"Chaque membre peut faire entrer une structure dans le club : ses gérants reçoivent l'invitation et y répondent ici."</p>
            <form method="get" action=format!("{here}#inviter") class="filters" role="search" aria-label="Chercher une structure à inviter">
                <div class="field">
                    <label for="champ-inviter">"Nom de la structure dans l'annuaire"</label>
                    <input id="champ-inviter" name="inviter" type="search" value=search.clone() maxlength="100" />
                </div>
                <button type="submit">"Chercher"</button>
            </form>
            <div id="resultats-inviter" tabindex="-1">{results}</div>
            <h3>"Inviter une structure qui n'est pas dans l'annuaire"</h3>
            <form method="post" action=format!("{here}/invitations/courriel") class="stack-form" id="inviter-courriel"
                data-fn=InviteByEmail::PATH>
                <input type="hidden" name="slug" value=slug.clone() />
                <Field name="email" label="Adresse e-mail de la personne à inviter" kind="email" autocomplete="off" />
                // Not `TextArea`: the join form on the same page has a `message` field too.
                <div class="field">
                    <label for="champ-message-invitation">"Votre message (facultatif)"</label>
                    <textarea id="champ-message-invitation" name="message" rows="4">{crate::ui::form::textarea_text(&replayed_message)}</textarea>
                </div>
                <button type="submit">"Envoyer l'invitation"</button>
            </form>
        </section>
    }
}

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
            <form method="post" action=format!("/clubs/{slug}/membres/decision") class="row-form" id=format!("decision-{sid}")
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
                                    <form method="post" action=format!("/clubs/{slug}/membres/administrateurs") class="inline-form" id=form_id
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
            <form method="post" action=format!("/clubs/{slug}/membres/retrait") class="row-form" id=format!("retrait-{sid}")
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

/// `/clubs/invitation?jeton=…`: the page behind an e-mail invitation.
#[component]
pub fn EmailInvitationPage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get("jeton").unwrap_or_default());
    let for_load = token.clone();
    let page = Resource::new_blocking(move || for_load.clone(), load_email_invitation);
    view! {
        <Title text="Invitation à rejoindre un club" />
        <Suspense>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match page.await {
                        Ok(invitation) => view! { <InvitationForm token invitation /> }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn InvitationForm(token: String, invitation: EmailInvitation) -> impl IntoView {
    let here = format!("/clubs/invitation?jeton={}", encode_component(&token));
    let logged_in = crate::features::accounts::rendering_user().is_some();
    let intro = view! {
        <h1>{format!("Invitation : {}", invitation.club_name)}</h1>
        <p class="lead">"Une structure membre vous invite à faire entrer la vôtre dans ce club."</p>
        {(!invitation.message.is_empty()).then(|| view! { <blockquote>{paragraphs(&invitation.message)}</blockquote> })}
        <p><a href=format!("/clubs/{}", invitation.club_slug)>"Découvrir le club, sa charte et ses membres"</a></p>
    };
    if !logged_in {
        return view! {
            {intro}
            <p>"Pour accepter, connectez-vous (ou créez votre compte, puis revenez à ce lien, valable 30 jours)."</p>
            <p class="list-links">
                <a class="button" href=login_then(&here)>"Se connecter"</a>
                " "
                <a href="/inscription">"Créer un compte"</a>
            </p>
        }
        .into_any();
    }
    let outcome = form_outcome();
    let chosen = outcome
        .value("structure")
        .unwrap_or(if invitation.own.is_empty() {
            "nouvelle"
        } else {
            ""
        })
        .to_owned();
    let chosen_form = outcome.value("legal_form").unwrap_or_default().to_owned();
    let chosen_commune = outcome.value("commune").unwrap_or_default().to_owned();
    let legal_error = outcome.error_for("legal_form").map(str::to_owned);
    let commune_error = outcome.error_for("commune").map(str::to_owned);
    view! {
        {intro}
        <FormErrors />
        <form method="post" action="/clubs/invitation" class="stack-form">
            <input type="hidden" name="token" value=token />
            {(!invitation.own.is_empty()).then(|| view! {
                <fieldset>
                    <legend>"Quelle structure rejoint le club ?"</legend>
                    <ul class="choices">
                        {invitation.own.iter().map(|(id, name)| {
                            let value = id.to_string();
                            let checked = chosen == value;
                            view! {
                                <li><label><input type="radio" name="structure" value=value checked=checked />" "{name.clone()}</label></li>
                            }
                        }).collect_view()}
                        <li><label><input type="radio" name="structure" value="nouvelle" checked=chosen == "nouvelle" />" Une structure qui n'est pas encore dans l'annuaire"</label></li>
                    </ul>
                </fieldset>
            })}
            {invitation.own.is_empty().then(|| view! { <input type="hidden" name="structure" value="nouvelle" /> })}
            <fieldset>
                <legend>"Nouvelle fiche de l'annuaire"</legend>
                <p class="hint">"À remplir si votre structure n'est pas encore dans l'annuaire : vous en deviendrez gérant·e et pourrez compléter la fiche ensuite."</p>
                <Field name="name" label="Nom de la structure" required=false autocomplete="organization" />
                <div class="field" class:has-error=legal_error.is_some()>
                    <label for="champ-legal_form">"Forme juridique"</label>
                    {legal_error.clone().map(|m| view! { <p class="field-error" id="champ-legal_form-erreur">{m}</p> })}
                    <select id="champ-legal_form" name="legal_form" aria-invalid=legal_error.is_some().then_some("true")
                        aria-describedby=legal_error.is_some().then_some("champ-legal_form-erreur")>
                        <option value="">"Choisissez…"</option>
                        {crate::features::directory::LEGAL_FORMS.iter().map(|(slug, label)| view! {
                            <option value=*slug selected=chosen_form == *slug>{*label}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field" class:has-error=commune_error.is_some()>
                    <label for="champ-commune">"Commune"</label>
                    {commune_error.clone().map(|m| view! { <p class="field-error" id="champ-commune-erreur">{m}</p> })}
                    <select id="champ-commune" name="commune" aria-invalid=commune_error.is_some().then_some("true")
                        aria-describedby=commune_error.is_some().then_some("champ-commune-erreur")>
                        <option value="">"Choisissez…"</option>
                        {invitation.communes.into_iter().map(|(slug, name)| {
                            let selected = chosen_commune == slug;
                            view! { <option value=slug selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </fieldset>
            <button type="submit">"Rejoindre le club"</button>
        </form>
    }
    .into_any()
}
