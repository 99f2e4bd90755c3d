//! A club's page: charter, meetings, members, and what the viewer's structures may do.

use crate::features::clubs::CLUB_NOTICES;
use crate::features::clubs::Candidate;
use crate::features::clubs::ClubPage;
use crate::features::clubs::ClubViewer;
use crate::features::clubs::MemberStatus;
use crate::features::clubs::OwnStructure;
use crate::features::clubs::invitations::AnswerInvitation;
use crate::features::clubs::invitations::InviteByEmail;
use crate::features::clubs::invitations::InviteStructure;
use crate::features::clubs::listing::load_club;
use crate::features::clubs::requests::LeaveClub;
use crate::features::clubs::requests::RequestToJoin;
use crate::features::clubs::views::members_count;
use crate::features::clubs::views::paragraphs;
use crate::features::clubs::views::slug_param;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::Field;
use crate::ui::form::FormErrors;
use crate::ui::form::FormPath;
use crate::ui::form::TextArea;
use crate::ui::form::form_outcome;
use crate::ui::href::encode_component;
use crate::ui::href::login_then;
use crate::ui::meta::Description;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

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
                        let news = crate::features::news::reading::mentions("clubs", news_slug).await;
                        view! {
                            <ClubView page />
                            <crate::ui::mentions::MentionedIn links=news />
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
            <form method="post" action=RequestToJoin::action(&[&slug]) class="stack-form" id="demande-adhesion"
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
                    {engaged.into_iter().map(|own| view! { <EngagedRow slug=slug.clone() own /> }).collect_view()}
                </ul>
                {join}
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn EngagedRow(slug: String, own: OwnStructure) -> impl IntoView {
    let name = own.name.clone();
    let (leave, answer) = (
        LeaveClub::action(&[&slug]),
        AnswerInvitation::action(&[&slug]),
    );
    match own.status {
        Some(MemberStatus::Active) => view! {
            <li data-row>
                <p><strong>{name.clone()}</strong>" "<span data-row-state>"est membre du club."</span></p>
                <form method="post" action=leave class="inline-form" id=format!("depart-{}", own.id)
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
                <form method="post" action=answer class="inline-form" id=format!("reponse-{}", own.id)
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
                            <form method="post" action=InviteStructure::action(&[&slug]) class="inline-form" id=format!("inviter-{}", candidate.id)
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
            <form method="post" action=InviteByEmail::action(&[&slug]) class="stack-form" id="inviter-courriel"
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
