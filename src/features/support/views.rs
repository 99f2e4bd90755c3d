//! The support pages: the request form, a request's page (for its holder, by account or
//! private link, and for the advisors), the advisors' queue, the networks and their figures,
//! a network's settings, and the member's requests on « Mon compte ».

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use super::api::{
    AskSupport, CloseRequest, ConfirmSupport, NetworkSettings, Networks, Queue, RequestPage,
    SUPPORT_NOTICES, SaveNetworkSettings, SupportFormData, TakeRequest, Viewer, WriteMessage,
    load_follow, load_my_support, load_network_settings, load_networks, load_queue, load_request,
    load_support_form,
};
use super::model::{NEEDS, OUTCOMES, STAGES, Status, label_of};
use crate::error::AppError;
use crate::ui::enhance::Enhance;
use crate::ui::error::ErrorPage;
use crate::ui::form::{CheckboxGroup, Choice, Field, FormErrors, FormPath, TextArea};
use crate::ui::href::login_then;
use crate::ui::meta::Description;
use crate::ui::notice::Notice;

use crate::text::choices::options;

fn needs_text(needs: &[String]) -> String {
    needs
        .iter()
        .map(|n| label_of(NEEDS, n))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `/accompagnement`: what support is, and the form.
#[component]
pub fn SupportPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_support_form());
    view! {
        <Title text="Je porte un projet : demander un accompagnement" />
        <Description text="Vous avez un projet d'économie sociale et solidaire dans le Dunkerquois, l'Artois ou le Pas-de-Calais ? Décrivez-le : les réseaux d'accompagnement du territoire vous répondent." />
        <h1>"Je porte un projet"</h1>
        <Notice known=SUPPORT_NOTICES />
        <p class="lead">"Une idée, une étude, une création, un développement : décrivez votre projet et ce dont vous avez besoin. Votre demande part vers les réseaux d'accompagnement qui couvrent votre commune et vos besoins ; un conseiller la prend et vous répond par le portail, sans que votre adresse lui soit communiquée."</p>
        <p><a href="/accompagnement/reseaux">"Les réseaux d'accompagnement et ce qu'ils couvrent"</a></p>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <SupportForm data /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SupportForm(data: SupportFormData) -> impl IntoView {
    let mut sectors = vec![(String::new(), "Je ne sais pas encore".to_owned())];
    sectors.extend(data.sectors);
    let mut communes = vec![(String::new(), "Choisissez une commune".to_owned())];
    communes.extend(data.communes);
    let member = data.member;
    view! {
        <h2>"Votre projet"</h2>
        <Enhance>
            <form method="post" action=AskSupport::action(&[]) class="stack-form wide" id="formulaire-accompagnement" data-fn=AskSupport::PATH>
                <FormErrors />
                {match member {
                    Some(name) => view! {
                        <p>"Vous écrivez en tant que "<strong>{name}</strong>" : les réponses arriveront à l'adresse de votre compte, et vous suivrez la demande dans « Mon compte »."</p>
                    }.into_any(),
                    None => view! {
                        <Field name="name" label="Votre nom" autocomplete="name" />
                        <Field name="email" label="Votre adresse e-mail" kind="email" autocomplete="email"
                            hint="Nous y envoyons un lien pour confirmer la demande et la suivre. Elle n'est montrée à personne." />
                        <p class="hint">"Vous avez un compte ? "<a href=login_then("/accompagnement")>"Connectez-vous"</a>" pour suivre la demande dans « Mon compte »."</p>
                    }.into_any(),
                }}
                <Field name="title" label="Le projet en une ligne" hint="Par exemple : Épicerie solidaire à Grande-Synthe." />
                <Choice name="commune" label="Commune du projet" options=communes />
                <Choice name="sector" label="Secteur d'activité" options=sectors />
                <Choice name="stage" label="Où en est le projet ?" options=options(STAGES) />
                <CheckboxGroup name="needs" legend="Vos besoins" options=options(NEEDS) checked=Vec::new() hint="Cochez tout ce qui vous aiderait." />
                <TextArea name="description" label="Votre projet" hint="Ce que vous voulez faire, pour qui, avec qui, et ce que vous avez déjà fait." rows=8 />
                <button type="submit">"Envoyer ma demande"</button>
            </form>
        </Enhance>
    }
}

/// `/accompagnement/suivi?jeton=…`: the holder's private link.
#[component]
pub fn FollowPage() -> impl IntoView {
    let query = use_query_map();
    let jeton = move || query.with(|q| q.get("jeton").unwrap_or_default());
    let page = Resource::new_blocking(jeton, load_follow);
    view! {
        <Meta name="robots" content="noindex" />
        <Notice known=SUPPORT_NOTICES />
        <Suspense>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <RequestView page /> }.into_any(),
                    Err(error) => view! { <Title text="Lien de suivi" /><ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/accompagnement/demandes/{id}`.
#[component]
pub fn RequestDetailPage() -> impl IntoView {
    let id = crate::ui::href::route_id();
    let page = Resource::new_blocking(id, load_request);
    view! {
        <Notice known=SUPPORT_NOTICES />
        <Suspense>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <RequestView page /> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        let back = format!("/accompagnement/demandes/{}", id());
                        view! {
                            <Title text="Demande d'accompagnement" />
                            <h1>"Demande d'accompagnement"</h1>
                            <p>"Pour lire cette demande, "<a href=login_then(&back)>"connectez-vous"</a>" (ou ouvrez le lien de suivi reçu par courriel)."</p>
                        }.into_any()
                    }
                    Err(error) => view! { <Title text="Demande introuvable" /><ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RequestView(page: RequestPage) -> impl IntoView {
    let request = page.request;
    let status = request.status();
    let id = request.id.to_string();
    let jeton = page.jeton;
    let (confirm_jeton, write_jeton) = (jeton.clone(), jeton);
    let (take_id, write_id, close_id) = (id.clone(), id.clone(), id);
    let holder = page.viewer == Viewer::Holder;
    let follows =
        matches!(page.viewer, Viewer::Advisor { user, .. } if request.advisor_id == Some(user));
    let may_take = matches!(page.viewer, Viewer::Advisor { .. })
        && request.advisor_id.is_none()
        && matches!(status, Status::Waiting | Status::Taken);
    let may_write = status == Status::Taken && (holder || follows);
    let may_close = status == Status::Taken && (follows || page.viewer == Viewer::Admin);
    let confirmable = holder && status == Status::Unconfirmed;
    // A post refused because the request changed meanwhile (taken by someone else, closed)
    // comes back to a page without its form: its message is shown here.
    let formless = !(may_take || may_write || may_close || confirmable);
    let state = match (&request.outcome, status) {
        (Some(outcome), Status::Closed) => format!("close — {}", label_of(OUTCOMES, outcome)),
        _ => status.label().to_owned(),
    };
    let followed_by = match (&request.advisor_name, &request.network_name) {
        (Some(advisor), Some(network)) => Some(format!("{advisor}, de {network}")),
        _ => None,
    };
    let sent_to = (!page.networks.is_empty()).then(|| page.networks.join(", "));
    let messages = page.messages;
    let no_messages = messages.is_empty();
    let thread = messages
        .into_iter()
        .map(|m| {
            let who = if m.from_holder {
                request.holder_name.clone()
            } else {
                format!("{} (conseiller)", m.name)
            };
            view! {
                <li class="card">
                    <p class="meta">{who}" — "{m.created_at.french_date_time()}</p>
                    <p class="prose">{m.body}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <Title text=format!("Demande d'accompagnement : {}", request.title) />
        <p class="breadcrumb">
            {if holder {
                view! { <a href="/accompagnement">"← Accompagnement"</a> }.into_any()
            } else {
                view! { <a href="/accompagnement/file">"← File des demandes"</a> }.into_any()
            }}
        </p>
        <h1>{request.title.clone()}</h1>
        <p class="meta">"État : "<strong>{state}</strong></p>
        {formless.then(|| view! { <FormErrors /> })}
        {confirmable.then(|| view! {
            <Enhance>
                <form method="post" action=ConfirmSupport::action(&[]) class="stack-form" id="confirmer-demande" data-fn=ConfirmSupport::PATH>
                    <FormErrors />
                    <p>"Confirmez votre adresse pour que la demande parte vers les réseaux d'accompagnement."</p>
                    <input type="hidden" name="jeton" value=confirm_jeton.clone() />
                    <button type="submit">"Confirmer ma demande"</button>
                </form>
            </Enhance>
        })}
        <dl class="facts">
            <dt>"Porteur ou porteuse"</dt><dd>{request.holder_name.clone()}</dd>
            <dt>"Commune"</dt><dd>{request.commune.clone()}</dd>
            <dt>"Secteur"</dt><dd>{if request.sector.is_empty() { "Pas encore choisi".to_owned() } else { request.sector.clone() }}</dd>
            <dt>"Avancement"</dt><dd>{label_of(STAGES, &request.stage).to_owned()}</dd>
            <dt>"Besoins"</dt><dd>{needs_text(&page.needs)}</dd>
            <dt>"Déposée le"</dt><dd>{request.created_at.french_date()}</dd>
            {sent_to.map(|names| view! { <dt>"Envoyée à"</dt><dd>{names}</dd> })}
            {followed_by.map(|who| view! { <dt>"Suivie par"</dt><dd>{who}</dd> })}
        </dl>
        <h2>"Le projet"</h2>
        <p class="prose">{request.description.clone()}</p>
        {may_take.then(|| view! {
            <Enhance>
                <form method="post" action=TakeRequest::action(&[&take_id]) class="stack-form" id="prendre-demande" data-fn=TakeRequest::PATH>
                    <FormErrors />
                    <input type="hidden" name="request" value=take_id.clone() />
                    <button type="submit">"Prendre cette demande"</button>
                </form>
            </Enhance>
        })}
        <h2>"Échanges"</h2>
        {if no_messages {
            view! { <p>{if status == Status::Taken { "Aucun message pour l'instant." } else { "Les échanges commencent quand un conseiller a pris la demande." }}</p> }.into_any()
        } else {
            view! { <ol class="thread">{thread}</ol> }.into_any()
        }}
        {may_write.then(|| view! {
            <Enhance>
                <form method="post" action=WriteMessage::action(&[&write_id]) class="stack-form" id="ecrire-message" data-fn=WriteMessage::PATH>
                    <FormErrors />
                    <input type="hidden" name="request" value=write_id.clone() />
                    <input type="hidden" name="jeton" value=write_jeton.clone() />
                    <TextArea name="body" label="Votre message" hint="Il est transmis par courriel sans votre adresse." />
                    <button type="submit">"Envoyer"</button>
                </form>
            </Enhance>
        })}
        {may_close.then(|| view! {
            <h2>"Clore la demande"</h2>
            <Enhance>
                <form method="post" action=CloseRequest::action(&[&close_id]) class="stack-form" id="clore-demande" data-fn=CloseRequest::PATH>
                    <FormErrors />
                    <input type="hidden" name="request" value=close_id.clone() />
                    <Choice name="outcome" label="Issue" options=options(OUTCOMES) />
                    <button type="submit" class="secondary">"Clore"</button>
                </form>
            </Enhance>
        })}
    }
}

/// `/accompagnement/file`: the requests sent to the advisor's networks.
#[component]
pub fn QueuePage() -> impl IntoView {
    let queue = Resource::new_blocking(|| (), |_| load_queue());
    view! {
        <Title text="File des demandes d'accompagnement" />
        <h1>"File des demandes d'accompagnement"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(queue) => view! { <QueueView queue /> }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <p>"Pour voir les demandes, "<a href=login_then("/accompagnement/file")>"connectez-vous"</a>"."</p>
                    }.into_any(),
                    Err(AppError::Forbidden) => view! {
                        <p>"Cette file est celle des conseillers des réseaux d'accompagnement (les gestionnaires de leur fiche dans l'annuaire). "<a href="/accompagnement/reseaux">"Voir les réseaux"</a></p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QueueView(queue: Queue) -> impl IntoView {
    let me = queue.me;
    let rows = queue
        .requests
        .into_iter()
        .map(|r| {
            let state = match (Status::parse(&r.status), r.advisor_id) {
                (Some(Status::Taken), Some(id)) if id == me => "Suivie par vous".to_owned(),
                (Some(Status::Taken), _) => format!(
                    "Suivie par {}",
                    r.advisor_name.clone().unwrap_or_else(|| "un conseiller".to_owned())
                ),
                (Some(status), _) => crate::text::check::capitalise(status.label()),
                (None, _) => r.status.clone(),
            };
            view! {
                <tr>
                    <td><a href=format!("/accompagnement/demandes/{}", r.id)>{r.title.clone()}</a></td>
                    <td>{r.commune.clone()}</td>
                    <td>{label_of(STAGES, &r.stage).to_owned()}</td>
                    <td>{r.created_at.french_date()}</td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    let networks = queue
        .networks
        .into_iter()
        .map(|(slug, name)| {
            view! {
                <li><a href=crate::ui::href::with_query("/accompagnement/reglages", "structure", &slug)>{format!("Ce que couvre {name}")}</a></li>
            }
        })
        .collect_view();
    view! {
        <p>"Les demandes envoyées à vos réseaux, les nouvelles d'abord. Le premier conseiller qui prend une demande la suit ; la personne qui la porte est prévenue."</p>
        <ul>{networks}</ul>
        <div class="table-scroll">
            <table>
                <caption>"Demandes reçues"</caption>
                <thead><tr><th scope="col">"Projet"</th><th scope="col">"Commune"</th><th scope="col">"Avancement"</th><th scope="col">"Déposée le"</th><th scope="col">"État"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// `/accompagnement/reseaux`: the networks, what they cover, and what they did.
#[component]
pub fn NetworksPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_networks());
    view! {
        <Title text="Les réseaux d'accompagnement" />
        <Description text="Les réseaux qui accompagnent les projets de l'économie sociale et solidaire du territoire, les territoires et besoins qu'ils couvrent, et les demandes reçues." />
        <p class="breadcrumb"><a href="/accompagnement">"← Je porte un projet"</a></p>
        <h1>"Les réseaux d'accompagnement"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <NetworksView data /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The support requests' figures on `/observatoire`.
#[component]
pub fn SupportFigures() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_networks());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                data.await.ok().map(|data| view! {
                    <section aria-labelledby="titre-accompagnement">
                        <h2 id="titre-accompagnement">"Accompagnement des porteurs de projets"</h2>
                        <p>"Les demandes reçues par les réseaux d'accompagnement depuis le portail, prises par un conseiller et closes par un accompagnement engagé. "<a href="/accompagnement/reseaux">"Les réseaux et ce qu'ils couvrent"</a></p>
                        <SupportTables data />
                    </section>
                })
            })}
        </Suspense>
    }
}

/// The two tables of figures: per network, per territory.
#[component]
fn SupportTables(data: Networks) -> impl IntoView {
    let by_network = data
        .networks
        .iter()
        .map(|n| {
            view! { <tr><th scope="row">{n.name.clone()}</th><td>{n.received}</td><td>{n.taken}</td><td>{n.accompanied}</td></tr> }
        })
        .collect_view();
    let by_territory = data
        .territories
        .into_iter()
        .map(|(territory, received, taken, accompanied)| {
            view! { <tr><th scope="row">{territory}</th><td>{received}</td><td>{taken}</td><td>{accompanied}</td></tr> }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table>
                <caption>"Demandes par réseau"</caption>
                <thead><tr><th scope="col">"Réseau"</th><th scope="col">"Reçues"</th><th scope="col">"Prises"</th><th scope="col">"Accompagnements engagés"</th></tr></thead>
                <tbody>{by_network}</tbody>
            </table>
        </div>
        <div class="table-scroll">
            <table>
                <caption>"Demandes par territoire"</caption>
                <thead><tr><th scope="col">"Territoire"</th><th scope="col">"Reçues"</th><th scope="col">"Prises"</th><th scope="col">"Accompagnements engagés"</th></tr></thead>
                <tbody>{by_territory}</tbody>
            </table>
        </div>
    }
}

#[component]
fn NetworksView(data: Networks) -> impl IntoView {
    let cards = data
        .networks
        .iter()
        .map(|n| {
            view! {
                <li class="card">
                    <h3><a href=format!("/annuaire/{}", n.slug)>{n.name.clone()}</a></h3>
                    <p>"Territoires : "{n.territories.join(", ")}</p>
                    <p>"Besoins : "{needs_text(&n.needs)}</p>
                </li>
            }
        })
        .collect_view();
    let admin = data.admin;
    view! {
        <p>"Chaque réseau choisit les territoires et les besoins qu'il couvre ; une demande va aux réseaux qui couvrent sa commune et l'un de ses besoins (à défaut, à ceux qui couvrent sa commune, et sinon à tous)."</p>
        <h2>"Qui accompagne"</h2>
        <ul class="cards">{cards}</ul>
        <h2>"Les demandes en chiffres"</h2>
        <SupportTables data />
        {admin.then(|| view! {
            <h2>"Ajouter un réseau"</h2>
            <form method="get" action="/accompagnement/reglages" class="stack-form">
                <Field name="structure" label="Adresse de sa fiche dans l'annuaire" hint="Ce qui suit /annuaire/ ; par exemple : entreprendre-ensemble." />
                <button type="submit">"Régler ce réseau"</button>
            </form>
        })}
    }
}

/// `/accompagnement/reglages?structure=…`.
#[component]
pub fn NetworkSettingsPage() -> impl IntoView {
    let query = use_query_map();
    let structure = move || query.with(|q| q.get("structure").unwrap_or_default());
    let data = Resource::new_blocking(structure, load_network_settings);
    view! {
        <Title text="Réglages d'un réseau d'accompagnement" />
        <p class="breadcrumb"><a href="/accompagnement/file">"← File des demandes"</a></p>
        <h1>"Ce que couvre le réseau"</h1>
        <Notice known=SUPPORT_NOTICES />
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <NetworkSettingsForm data /> }.into_any(),
                    Err(AppError::Unauthorized) => view! {
                        <p><a href=login_then(&crate::ui::href::with_query("/accompagnement/reglages", "structure", &structure()))>"Connectez-vous"</a>" pour régler ce réseau."</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NetworkSettingsForm(data: NetworkSettings) -> impl IntoView {
    view! {
        <p><strong>{data.name.clone()}</strong>
            {if data.network { " reçoit les demandes des territoires et besoins cochés." } else { " n'est pas encore un réseau d'accompagnement : en enregistrant, vous en faites un." }}</p>
        <Enhance>
            <form method="post" action=SaveNetworkSettings::action(&[]) class="stack-form wide" id="reglages-reseau" data-fn=SaveNetworkSettings::PATH>
                <FormErrors />
                <input type="hidden" name="structure" value=data.slug.clone() />
                <CheckboxGroup name="territories" legend="Territoires couverts" options=data.choices checked=data.territories hint="Un département couvre toutes ses communes." />
                <CheckboxGroup name="needs" legend="Besoins couverts" options=options(NEEDS) checked=data.needs />
                <button type="submit">"Enregistrer"</button>
            </form>
        </Enhance>
    }
}

/// « Mon compte »: the member's support requests, and the queue for advisors.
#[component]
pub fn MySupportRequests() -> impl IntoView {
    let mine = Resource::new_blocking(|| (), |_| load_my_support());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match mine.await {
                    Ok(mine) if !mine.requests.is_empty() || mine.advisor => {
                        let rows = mine.requests.into_iter().map(|(id, title, status)| {
                            let state = Status::parse(&status).map_or(status.clone(), |s| s.label().to_owned());
                            view! { <li><a href=format!("/accompagnement/demandes/{id}")>{title}</a>" — "{state}</li> }
                        }).collect_view();
                        view! {
                            <section aria-labelledby="mes-accompagnements">
                                <h2 id="mes-accompagnements">"Accompagnement"</h2>
                                <ul>{rows}</ul>
                                {mine.advisor.then(|| view! { <p><a href="/accompagnement/file">"La file des demandes de vos réseaux"</a></p> })}
                            </section>
                        }.into_any()
                    }
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}
