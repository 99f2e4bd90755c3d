//! The « Écrire à cette structure » box of an entry's page.

use super::writing::{CONTACT_NOTICES, SetContactForm, WriteToStructure, load_contact_box};
use crate::ui::form::{Field, FormErrors, FormPath, TextArea};
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The form, or why there is none; for the entry's managers, the switch.
#[component]
pub fn ContactBox() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    // Loaded inside the entry page's own suspense (these boxes are its children): a resource
    // made there, after the page's first wait, is what an async rendering may wait for without
    // end; an awaited call is simply part of the page's rendering (and sends no data to the
    // browser, which has nothing to hydrate here). The `Suspend` is the child itself, not a
    // closure that makes one: `Suspense` first walks its children once (`dry_resolve`), and a
    // closure would be called there and again to render, the first call's database work
    // started, then dropped in the middle of taking a pooled connection, which closes it.
    view! {
        <Suspense>
            {Suspend::new(async move {
                let Ok(data) = load_contact_box(slug.clone()).await else { return ().into_any() };
                let switch = data.steward.then(|| {
                    let (value, label) = if data.open {
                        ("non", "Ne plus recevoir de messages par ce formulaire")
                    } else {
                        ("oui", "Rouvrir le formulaire de contact")
                    };
                    view! {
                        <form method="post" action=SetContactForm::action(&[&slug]) class="inline-form">
                            <input type="hidden" name="slug" value=slug.clone() />
                            <input type="hidden" name="ouvert" value=value />
                            <button type="submit" class="secondary">{label}</button>
                        </form>
                    }
                });
                let body = if !data.open {
                    view! { <p>"Cette structure ne reçoit pas de messages par le portail : utilisez les coordonnées de sa fiche."</p> }.into_any()
                } else if !data.reachable {
                    view! { <p>"Cette structure n'a pas encore d'adresse où recevoir un message."</p> }.into_any()
                } else {
                    view! {
                        <p>"Le portail transmet votre message aux personnes qui tiennent la fiche, sans vous montrer leur adresse ; leur réponse vous parviendra directement. Vous recevez une copie."</p>
                        <FormErrors />
                        <form method="post" action=WriteToStructure::action(&[&slug]) class="stack-form" id="ecrire">
                            <input type="hidden" name="slug" value=slug.clone() />
                            <input type="hidden" name="ouvert" value=data.shown_at />
                            <Field name="name" label="Votre nom" autocomplete="name" />
                            <Field name="email" label="Votre adresse e-mail" kind="email" autocomplete="email"
                                hint="La structure vous répondra à cette adresse." />
                            <TextArea name="message" label="Votre message" rows=6 hint="5 000 caractères au plus." />
                            <p class="visually-hidden" aria-hidden="true">
                                <label for="site_web">"Ne remplissez pas ce champ"</label>
                                <input id="site_web" name="site_web" type="text" tabindex="-1" autocomplete="off" />
                            </p>
                            <button type="submit">"Envoyer le message"</button>
                        </form>
                    }.into_any()
                };
                view! {
                    <section class="contact-box" aria-labelledby="ecrire-titre">
                        <h2 id="ecrire-titre">"Écrire à cette structure"</h2>
                        <Notice known=CONTACT_NOTICES />
                        {body}
                        {switch}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
