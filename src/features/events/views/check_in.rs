//! The check-in page at the door.

use super::refused;
use super::slug_param;
use crate::features::events::Attendee;
use crate::features::events::EVENT_NOTICES;
use crate::features::events::Management;
use crate::features::events::RegistrationStatus;
use crate::features::events::check_in::CheckIn;
use crate::features::events::management::load_management;
use crate::ui::enhance::Enhance;
use crate::ui::form::FormPath;
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

/// `/evenements/{slug}/accueil`: check-in at the door, from a phone. One tap per person marks
/// them present (in place with JavaScript, one post per person without).
#[component]
pub fn CheckInPage() -> impl IntoView {
    let slug = slug_param();
    let for_load = slug.clone();
    let q = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    let data = Resource::new_blocking(move || for_load.clone(), load_management);
    view! {
        <Title text="Accueil des participants" />
        <Suspense>
            {move || {
                let slug = slug.clone();
                let q = q.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <CheckIn data q /> }.into_any(),
                        Err(error) => refused(error, &format!("/evenements/{slug}/accueil")),
                    }
                })
            }}
        </Suspense>
    }
}

fn folded(text: &str) -> String {
    crate::slug::slugify(text)
}

#[component]
fn CheckIn(data: Management, q: String) -> impl IntoView {
    let present = data.present();
    let expected = data.expected();
    let event = data.event;
    let base = format!("/evenements/{}", event.slug);
    let needle = folded(&q);
    let people: Vec<Attendee> = data
        .attendees
        .into_iter()
        .filter(|a| a.status == RegistrationStatus::Confirmed)
        .filter(|a| {
            needle.is_empty()
                || folded(&a.name).contains(&needle)
                || folded(&a.structure).contains(&needle)
                || a.email.contains(&q.to_lowercase())
        })
        .collect();
    let shown = people.len();
    view! {
        <p class="breadcrumb"><a href=format!("{base}/gestion")>"← Inscriptions"</a></p>
        <h1>{format!("Accueil : {}", event.title)}</h1>
        <Notice known=EVENT_NOTICES />
        <p class="checkin-count count" role="status">{format!(
            "{present} {} sur {expected} {}",
            if present > 1 { "présent·es" } else { "présent·e" },
            if expected > 1 { "attendu·es" } else { "attendu·e" }
        )}</p>
        <form method="get" action=format!("{base}/accueil") role="search" class="search-form">
            <label for="q">"Chercher une personne"</label>
            <div class="search-row">
                <input id="q" name="q" type="search" value=q.clone() autocomplete="off" placeholder="Nom, structure…" />
                <button type="submit">"Chercher"</button>
            </div>
        </form>
        {(!q.is_empty()).then(|| view! { <p>{format!("{shown} personne(s) trouvée(s). ")}<a href=format!("{base}/accueil")>"Tout afficher"</a></p> })}
        <Enhance>
            <ul class="checkin-list">
                {people.into_iter().map(|a| {
                    let slug = event.slug.clone();
                    let row_id = format!("inscription-{}", a.id);
                    let (value, label, class) = if a.checked_in {
                        ("absent", "Annuler la présence", "secondary")
                    } else {
                        ("present", "Marquer présent·e", "")
                    };
                    view! {
                        <li id=row_id.clone() class:checked=a.checked_in>
                            <span class="person">
                                <strong>{a.name.clone()}</strong>
                                {(!a.structure.is_empty()).then(|| view! { <span class="muted">{format!(" · {}", a.structure)}</span> })}
                                {a.checked_in.then(|| view! { <span class="present-mark">" ✓ présent·e"</span> })}
                            </span>
                            <form method="post" action=CheckIn::action(&[&slug, &a.id.to_string()]) class="inline-form"
                                id=format!("pointer-{}", a.id) data-fn=CheckIn::PATH data-refresh=format!("#{row_id}, .checkin-count")>
                                <input type="hidden" name="slug" value=slug.clone() />
                                <input type="hidden" name="registration" value=a.id />
                                <button type="submit" name="presence" value=value class=class>{label}<span class="visually-hidden">{format!(" : {}", a.name)}</span></button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Enhance>
    }
}
