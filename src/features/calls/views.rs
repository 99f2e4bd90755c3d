//! The pages of calls for projects and consortia: the list, the form to publish or edit a call,
//! a call's page (with the form to lead a consortium), and a consortium's page for its members.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::api::{
    CALL_NOTICES, CallFormData, CallList, CallPage, EditCall, FormConsortium, PublishCall,
    load_call, load_call_form, load_calls,
};
use super::consortia::{
    AddTask, AnswerInvitation, ConsortiumPage, InvitePartner, SetRole, SetVisibility, TickTask,
    load_consortium,
};
use super::model::{MemberStatus, VISIBILITIES};
use crate::error::AppError;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::{Choice, Field, FormErrors, FormPath, TextArea};
use crate::ui::href::login_then;
use crate::ui::meta::Description;
use crate::ui::notice::Notice;

fn visibilities() -> Vec<(String, String)> {
    crate::text::choices::options(VISIBILITIES)
}

/// « 31 mars 2027 » for a stored day.
fn day(text: &str) -> String {
    crate::timestamp::french_day(text)
}

/// `/appels`.
#[component]
pub fn CallsPage() -> impl IntoView {
    let list = Resource::new_blocking(|| (), |_| load_calls());
    view! {
        <Title text="Appels à projets" />
        <Description text="Les appels à projets qui concernent l'économie sociale et solidaire du territoire, et les consortiums que les structures forment pour y répondre ensemble." />
        <h1>"Appels à projets"</h1>
        <p class="lead">"Répondre à plusieurs, c'est plus fort : les structures forment un consortium autour d'un appel, invitent leurs partenaires de l'annuaire, se répartissent les rôles et suivent ensemble ce qu'il reste à faire."</p>
        <Suspense>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <CallListView list /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CallListView(list: CallList) -> impl IntoView {
    let today = list.today;
    let (open, closed): (Vec<_>, Vec<_>) =
        list.calls.into_iter().partition(|c| c.deadline >= today);
    let card = |call: super::db::CallRow| {
        let formed =
            crate::text::check::count_of(call.consortia, "consortium formé", "consortiums formés");
        let territory = if call.territory.is_empty() {
            "Tout le territoire".to_owned()
        } else {
            call.territory.clone()
        };
        view! {
            <li class="card">
                <h3><a href=format!("/appels/{}", call.id)>{call.title.clone()}</a></h3>
                <p class="meta">{call.funder.clone()}" · "{territory}" · date limite : "{day(&call.deadline)}</p>
                <p>{formed}</p>
            </li>
        }
    };
    let no_open = open.is_empty();
    let open = open.into_iter().map(card).collect_view();
    let has_closed = !closed.is_empty();
    let closed = closed.into_iter().map(card).collect_view();
    view! {
        {list.may_publish.then(|| view! { <p><a href="/appels/nouveau">"Publier un appel à projets"</a></p> })}
        <h2>"Appels ouverts"</h2>
        {if no_open {
            view! { <p>"Aucun appel ouvert pour l'instant."</p> }.into_any()
        } else {
            view! { <ul class="cards">{open}</ul> }.into_any()
        }}
        {has_closed.then(|| view! {
            <h2>"Appels clos"</h2>
            <ul class="cards">{closed}</ul>
        })}
    }
}

/// `/appels/nouveau`.
#[component]
pub fn NewCallPage() -> impl IntoView {
    view! { <CallFormPage id=0 /> }
}

/// `/appels/{id}/modifier`.
#[component]
pub fn EditCallPage() -> impl IntoView {
    let id = crate::ui::href::route_id()();
    view! { <CallFormPage id /> }
}

#[component]
fn CallFormPage(id: i64) -> impl IntoView {
    let data = Resource::new_blocking(move || id, load_call_form);
    let title = if id > 0 {
        "Modifier l'appel à projets"
    } else {
        "Publier un appel à projets"
    };
    let here = if id > 0 {
        format!("/appels/{id}/modifier")
    } else {
        "/appels/nouveau".to_owned()
    };
    view! {
        <Title text=title />
        <p class="breadcrumb"><a href="/appels">"← Appels à projets"</a></p>
        <h1>{title}</h1>
        <Suspense>
            {move || {
                let here = here.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <CallFormView data id /> }.into_any(),
                        Err(AppError::Unauthorized) => view! {
                            <p>"Pour publier un appel, "<a href=login_then(&here)>"connectez-vous"</a>"."</p>
                        }.into_any(),
                        Err(AppError::Forbidden) => view! {
                            <p>"Les appels sont publiés par les gestionnaires d'une fiche de l'annuaire, la rédaction et les administrateurs du portail."</p>
                        }.into_any(),
                        Err(error) => view! { <ErrorPage error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn CallFormView(data: CallFormData, id: i64) -> impl IntoView {
    let mut structures = Vec::new();
    if data.as_portal {
        structures.push((String::new(), "Le portail DESSINE".to_owned()));
    }
    structures.extend(data.structures);
    let mut territories = vec![(String::new(), "Tout le territoire du portail".to_owned())];
    territories.extend(data.territories);
    let call = data.call;
    let editing = call.is_some();
    let value = move |f: fn(&super::db::CallRow) -> String| call.as_ref().map(f);
    let (action, path, button) = if id > 0 {
        (
            EditCall::action(&[&id.to_string()]),
            EditCall::PATH,
            "Enregistrer",
        )
    } else {
        (
            PublishCall::action(&[]),
            PublishCall::PATH,
            "Publier l'appel",
        )
    };
    view! {
        <Enhance>
            <form method="post" action=action class="stack-form wide" id="formulaire-appel" data-fn=path>
                <FormErrors />
                {editing.then(|| view! { <input type="hidden" name="id" value=id.to_string() /> })}
                {(!editing).then(|| view! { <Choice name="structure" label="Publié par" options=structures.clone() /> })}
                <Field name="title" label="Titre de l'appel" value=value(|c| c.title.clone()).unwrap_or_default() />
                <Field name="funder" label="Financeur" hint="Par exemple : Région Hauts-de-France, Communauté urbaine de Dunkerque, une fondation." value=value(|c| c.funder.clone()).unwrap_or_default() />
                <Field name="deadline" label="Date limite de dépôt" kind="date" value=value(|c| c.deadline.clone()).unwrap_or_default() />
                <Field name="themes" label="Thèmes" required=false hint="Séparés par des virgules : réemploi, insertion, alimentation." value=value(|c| c.themes.clone()).unwrap_or_default() />
                <Choice name="territory" label="Territoire" options=territories value=value(|c| c.territory_slug.clone()).unwrap_or_default() />
                <Field name="url" label="Lien vers le texte officiel" kind="url" value=value(|c| c.url.clone()).unwrap_or_default() />
                <TextArea name="description" label="Présentation" hint="Ce que l'appel finance, pour qui, et ce qu'il demande." value=value(|c| c.description.clone()).unwrap_or_default() />
                <button type="submit">{button}</button>
            </form>
        </Enhance>
    }
}

/// `/appels/{id}`.
#[component]
pub fn CallDetailPage() -> impl IntoView {
    let id = crate::ui::href::route_id();
    let page = Resource::new_blocking(id, load_call);
    view! {
        <p class="breadcrumb"><a href="/appels">"← Appels à projets"</a></p>
        <Notice known=CALL_NOTICES />
        <Suspense>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <CallView page /> }.into_any(),
                    Err(error) => view! { <Title text="Appel introuvable" /><ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CallView(page: CallPage) -> impl IntoView {
    let call = page.call;
    let id = call.id.to_string();
    let formed = crate::text::check::count_of(
        call.consortia,
        "consortium s'est formé",
        "consortiums se sont formés",
    );
    let territory = if call.territory.is_empty() {
        "Tout le territoire du portail".to_owned()
    } else {
        call.territory.clone()
    };
    let publisher = call.structure_slug.clone().zip(call.structure_name.clone());
    let has_public = !page.public.is_empty();
    let has_mine = !page.mine.is_empty();
    let public = page
        .public
        .into_iter()
        .map(|(name, lead, members)| {
            let members = crate::text::check::count_of(members, "structure", "structures");
            view! { <li>{name}" — mené par "{lead}" ("{members}")"</li> }
        })
        .collect_view();
    let mine = page
        .mine
        .into_iter()
        .map(|(id, name, status)| {
            let state = MemberStatus::parse(&status).map_or(status.clone(), |s| s.label().to_owned());
            view! { <li><a href=format!("/consortiums/{id}")>{name}</a>" — votre structure : "{state}</li> }
        })
        .collect_view();
    let structures = page.structures;
    let can_lead = page.open && !structures.is_empty();
    let back = format!("/appels/{id}");
    view! {
        <Title text=call.title.clone() />
        <Description text=format!("{} : appel à projets de {}, date limite le {}.", call.title, call.funder, day(&call.deadline)) />
        <h1>{call.title.clone()}</h1>
        <dl class="facts">
            <dt>"Financeur"</dt><dd>{call.funder.clone()}</dd>
            <dt>"Date limite"</dt><dd>{day(&call.deadline)}{(!page.open).then_some(" (clos)")}</dd>
            <dt>"Territoire"</dt><dd>{territory}</dd>
            {(!call.themes.is_empty()).then(|| view! { <dt>"Thèmes"</dt><dd>{call.themes.clone()}</dd> })}
            {publisher.map(|(slug, name)| view! { <dt>"Publié par"</dt><dd><a href=format!("/annuaire/{slug}")>{name}</a></dd> })}
        </dl>
        <p><a href=call.url.clone() rel="noopener noreferrer external">"Le texte officiel de l'appel"</a></p>
        {(!call.description.is_empty()).then(|| view! { <p class="prose">{call.description.clone()}</p> })}
        {(page.may_edit && page.open).then(|| view! { <p><a href=format!("/appels/{}/modifier", call.id)>"Modifier l'appel"</a></p> })}
        <h2>"Consortiums"</h2>
        <p>{formed}" pour répondre à cet appel."</p>
        {has_public.then(|| view! { <ul>{public}</ul> })}
        {has_mine.then(|| view! { <h3>"Vos consortiums"</h3><ul>{mine}</ul> })}
        {can_lead.then(|| view! {
            <h3>"Former un consortium"</h3>
            <Enhance>
                <form method="post" action=FormConsortium::action(&[&id]) class="stack-form" id="former-consortium" data-fn=FormConsortium::PATH>
                    <FormErrors />
                    <input type="hidden" name="call" value=id.clone() />
                    <Choice name="structure" label="Structure chef de file" options=structures />
                    <Field name="name" label="Nom du consortium" />
                    <Choice name="visibility" label="Sur la page de l'appel" options=visibilities() />
                    <button type="submit">"Former le consortium"</button>
                </form>
            </Enhance>
        })}
        {(page.open && !page.logged_in).then(|| view! {
            <p>"Pour former un consortium au nom de votre structure, "<a href=login_then(&back)>"connectez-vous"</a>"."</p>
        })}
    }
}

/// `/consortiums/{id}?chercher=…`.
#[component]
pub fn ConsortiumDetailPage() -> impl IntoView {
    let id = crate::ui::href::route_id();
    let back = format!("/consortiums/{}", id());
    let query = use_query_map();
    let key = move || (id(), query.with(|q| q.get("chercher").unwrap_or_default()));
    let page = Resource::new_blocking(key, |(id, words)| load_consortium(id, words));
    view! {
        <Notice known=CALL_NOTICES />
        <Suspense>
            {move || {
                let back = back.clone();
                Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <ConsortiumView page /> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        view! {
                            <Title text="Consortium" />
                            <h1>"Consortium"</h1>
                            <p>"Cette page est celle des structures du consortium : "<a href=login_then(&back)>"connectez-vous"</a>"."</p>
                        }.into_any()
                    }
                    Err(error) => view! { <Title text="Consortium" /><ErrorPage error /> }.into_any(),
                }
            })
            }}
        </Suspense>
    }
}

#[component]
fn ConsortiumView(page: ConsortiumPage) -> impl IntoView {
    let consortium = page.consortium;
    let id = consortium.id.to_string();
    let lead = page.viewer.lead && page.open;
    let contacts = page.contacts;
    let members = page
        .members
        .into_iter()
        .map(|m| {
            let state = MemberStatus::parse(&m.status).map_or(m.status.clone(), |s| s.label().to_owned());
            let people = contacts
                .iter()
                .filter(|(structure, _, _)| *structure == m.structure_id)
                .map(|(_, name, email)| format!("{name} <{email}>"))
                .collect::<Vec<_>>()
                .join(", ");
            let reach = [m.email.clone(), m.phone.clone(), people]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            let structure = m.structure_id.to_string();
            let role_form = (lead && m.status != MemberStatus::Declined.as_str()).then(|| {
                let id = id.clone();
                view! {
                    <form method="post" action=SetRole::action(&[&id]) class="inline-form" id=format!("role-{structure}") data-fn=SetRole::PATH>
                        <input type="hidden" name="consortium" value=id.clone() />
                        <input type="hidden" name="structure" value=structure.clone() />
                        <label for=format!("champ-role-{structure}")>"Rôle"</label>
                        " "
                        <input type="text" id=format!("champ-role-{structure}") name="role" value=m.role.clone() maxlength="80" />
                        " "
                        <button type="submit" class="secondary">"Enregistrer le rôle"</button>
                    </form>
                }
            });
            view! {
                <li class="card">
                    <h3><a href=format!("/annuaire/{}", m.slug)>{m.name.clone()}</a></h3>
                    <p class="meta">{state}{(!m.role.is_empty()).then(|| format!(" · {}", m.role))}</p>
                    {(!reach.is_empty()).then(|| view! { <p>{reach}</p> })}
                    {role_form}
                </li>
            }
        })
        .collect_view();
    let invited = page
        .invited
        .into_iter()
        .map(|(structure, name)| {
            let id = id.clone();
            let structure = structure.to_string();
            view! {
                <form method="post" action=AnswerInvitation::action(&[&id]) class="stack-form" id=format!("reponse-{structure}") data-fn=AnswerInvitation::PATH>
                    <p><strong>{name}</strong>" est invitée dans ce consortium."</p>
                    <input type="hidden" name="consortium" value=id.clone() />
                    <input type="hidden" name="structure" value=structure.clone() />
                    <button type="submit" name="decision" value="accepter">"Accepter"</button>
                    " "
                    <button type="submit" name="decision" value="decliner" class="secondary">"Décliner"</button>
                </form>
            }
        })
        .collect_view();
    let tasks = page
        .tasks
        .into_iter()
        .map(|t| {
            let id = id.clone();
            let done = t.done_at.is_some();
            let task = t.id.to_string();
            let who = done.then(|| match &t.done_by {
                Some(name) => format!(" — fait par {name}"),
                None => " — fait".to_owned(),
            });
            view! {
                <li>
                    <form method="post" action=TickTask::action(&[&id]) class="inline-form" id=format!("tache-{task}") data-fn=TickTask::PATH>
                        <input type="hidden" name="consortium" value=id.clone() />
                        <input type="hidden" name="task" value=task.clone() />
                        <input type="hidden" name="fait" value=if done { "0" } else { "1" } />
                        <span>{t.label.clone()}</span>{who}
                        " "
                        <button type="submit" class="secondary">{if done { "Décocher" } else { "Fait" }}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let candidates = page
        .candidates
        .into_iter()
        .map(|(structure, name, commune)| {
            let id = id.clone();
            let structure = structure.to_string();
            view! {
                <li>
                    <form method="post" action=InvitePartner::action(&[&id]) class="inline-form" id=format!("inviter-{structure}") data-fn=InvitePartner::PATH>
                        <input type="hidden" name="consortium" value=id.clone() />
                        <input type="hidden" name="structure" value=structure.clone() />
                        <span>{name.clone()}" — "{commune}</span>
                        " "
                        <label for=format!("champ-role-propose-{structure}")>"Rôle proposé"</label>
                        " "
                        <input type="text" id=format!("champ-role-propose-{structure}") name="role" maxlength="80" />
                        " "
                        <button type="submit">"Inviter"</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let member = page.viewer.member;
    let public = consortium.visibility == "publique";
    let deadline = day(&consortium.deadline);
    view! {
        <Title text=format!("Consortium : {}", consortium.name) />
        <p class="breadcrumb"><a href=format!("/appels/{}", consortium.call_id)>{format!("← {}", consortium.call_title)}</a></p>
        <h1>{consortium.name.clone()}</h1>
        <p class="meta">"Mené par "{consortium.lead_name.clone()}" · date limite de l'appel : "{deadline}{(!page.open).then_some(" (clos)")}</p>
        <Enhance>
            {invited}
            <h2>"Les structures"</h2>
            <FormErrors />
            <ul class="cards">{members}</ul>
            {lead.then(|| {
                let id = id.clone();
                view! {
                    <h2>"Inviter une structure de l'annuaire"</h2>
                    <form method="get" action=format!("/consortiums/{id}") class="search-row" role="search">
                        <label for="chercher">"Nom de la structure"</label>
                        <input type="search" id="chercher" name="chercher" />
                        <button type="submit">"Chercher"</button>
                    </form>
                    <ul>{candidates}</ul>
                    <h2>"Sur la page de l'appel"</h2>
                    <form method="post" action=SetVisibility::action(&[&id]) class="stack-form" id="visibilite" data-fn=SetVisibility::PATH>
                        <input type="hidden" name="consortium" value=id.clone() />
                        <Choice name="visibility" label="Le consortium y est" options=visibilities() value=if public { "publique" } else { "privee" } />
                        <button type="submit" class="secondary">"Enregistrer"</button>
                    </form>
                }
            })}
            {member.then(|| {
                let id = id.clone();
                view! {
                    <h2 id="liste">"Ce qu'il reste à faire"</h2>
                    <ul class="checklist">{tasks}</ul>
                    <form method="post" action=AddTask::action(&[&id]) class="stack-form" id="ajouter-tache" data-fn=AddTask::PATH>
                        <input type="hidden" name="consortium" value=id.clone() />
                        <Field name="label" label="Nouvelle tâche" hint="Par exemple : lettre d'engagement de chaque partenaire." />
                        <button type="submit">"Ajouter"</button>
                    </form>
                }
            })}
        </Enhance>
    }
}
