//! Issue 29, item 3: « Écrire à cette structure ».

use crate::common;
use common::{TestApp, decoded, log_in, page, post};
use dessine::features::accounts::demo;

const ENTRY: &str = demo::MANAGED_SLUG;

/// The form as a person sends it: shown a minute ago.
fn typed<'a>(
    name: &'a str,
    email: &'a str,
    message: &'a str,
    shown: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", ENTRY),
        ("name", name),
        ("email", email),
        ("message", message),
        ("site_web", ""),
        ("ouvert", shown),
    ]
}

fn a_minute_ago() -> String {
    (dessine::timestamp::Timestamp::now().unix() - 60).to_string()
}

/// A message reaches the managers with `Reply-To` set to the visitor, quoted as theirs; the
/// visitor gets a copy that shows no address of the structure; hostile fields change nothing
/// but the text.
async fn a_visitor_writes_to_a_structure(app: TestApp) {
    let visitor = app.browser();
    let entry_page = page(&app, &visitor, &format!("/annuaire/{ENTRY}")).await;
    assert!(entry_page.contains("Écrire à cette structure"));
    assert!(!entry_page.contains(demo::MANAGER_EMAIL));
    let shown = a_minute_ago();
    let sent = post(
        &app,
        &visitor,
        &format!("/annuaire/{ENTRY}/ecrire"),
        &typed(
            "Camille\r\nBcc: victime@exemple.fr",
            "camille@exemple.fr",
            "=HYPERLINK(\"http://x\") <script>alert(1)</script>\nPouvez-vous livrer jeudi ?",
            &shown,
        ),
    )
    .await;
    assert_eq!(sent.status(), 303);
    assert_eq!(
        common::location(&sent),
        format!("/annuaire/{ENTRY}?message=message-envoye")
    );
    let relayed = app.mails_to(demo::MANAGER_EMAIL);
    assert_eq!(relayed.len(), 1);
    let raw = &relayed[0];
    assert!(raw.contains("Reply-To: camille@exemple.fr"), "{raw}");
    assert!(!raw.to_lowercase().contains("\nbcc:"), "{raw}");
    let text = decoded(raw);
    assert!(text.contains("Message de « Camille Bcc: victime@exemple.fr » (camille@exemple.fr)"));
    assert!(text.contains("Pouvez-vous livrer jeudi ?"));
    assert_eq!(
        text.matches("<script>").count(),
        1,
        "markup stays text in the plain part only"
    );
    assert!(
        text.contains("&lt;script&gt;"),
        "and is escaped in the HTML part"
    );
    assert!(app.mails_to("victime@exemple.fr").is_empty());
    let copy = app.mails_to("camille@exemple.fr");
    assert_eq!(copy.len(), 1);
    let copy = decoded(&copy[0]);
    assert!(copy.contains("Votre message : « =HYPERLINK"));
    assert!(!copy.contains(demo::MANAGER_EMAIL) && !copy.contains("Reply-To"));
    // 1 MB of text: the whole form is refused in French. 6,000 characters and a display name
    // around the address: refused field by field, the text stays.
    let huge = "x".repeat(1 << 20);
    let refused = post(
        &app,
        &visitor,
        &format!("/annuaire/{ENTRY}/ecrire"),
        &typed("Camille", "camille@exemple.fr", &huge, &shown),
    )
    .await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("trop long"));
    let long = format!("Début du message. {}", "y".repeat(6000));
    let refused = post(
        &app,
        &visitor,
        &format!("/annuaire/{ENTRY}/ecrire"),
        &typed("Camille", "Camille <camille@exemple.fr>", &long, &shown),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Le message ne doit pas dépasser 5000 caractères"));
    assert!(html.contains("Début du message."), "what was typed stays");
    assert_eq!(
        app.mails_to(demo::MANAGER_EMAIL).len(),
        1,
        "nothing more sent"
    );
}

/// Robots: the hidden field filled gets the same answer and sends nothing; a form sent back at
/// once is refused with the text kept.
async fn robots_are_kept_out_without_a_captcha(app: TestApp) {
    let visitor = app.browser();
    let shown = a_minute_ago();
    let mut form = typed("Robot", "robot@exemple.fr", "Achetez !", &shown)
        .into_iter()
        .map(|(k, v)| (k, v.to_owned()))
        .collect::<Vec<_>>();
    form[4].1 = "https://spam.example".to_owned();
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let robot = post(
        &app,
        &visitor,
        &format!("/annuaire/{ENTRY}/ecrire"),
        &fields,
    )
    .await;
    assert_eq!(robot.status(), 303);
    let now = dessine::timestamp::Timestamp::now().unix().to_string();
    let hasty = post(
        &app,
        &visitor,
        &format!("/annuaire/{ENTRY}/ecrire"),
        &typed(
            "Pressé",
            "presse@exemple.fr",
            "Un message écrit en un éclair",
            &now,
        ),
    )
    .await;
    assert_eq!(hasty.status(), 422);
    let html = hasty.text().await.unwrap();
    assert!(html.contains("trop vite"));
    assert!(html.contains("Un message écrit en un éclair"));
    assert!(app.mails().is_empty(), "nothing sent");
}

/// The managers turn the form off and on; a structure is not flooded from one address.
async fn managers_turn_the_form_off_and_it_is_rate_limited(app: TestApp) {
    let manager = log_in(&app, demo::MANAGER_EMAIL, demo::MANAGER_PASSWORD).await;
    let visitor = app.browser();
    let switch = |value: &'static str| {
        let (app, manager) = (&app, &manager);
        async move {
            post(
                app,
                manager,
                &format!("/annuaire/{ENTRY}/formulaire-contact"),
                &[("slug", ENTRY), ("ouvert", value)],
            )
            .await
        }
    };
    assert_eq!(switch("non").await.status(), 303);
    let html = page(&app, &visitor, &format!("/annuaire/{ENTRY}")).await;
    assert!(html.contains("ne reçoit pas de messages par le portail"));
    let shown = a_minute_ago();
    let closed = post(
        &app,
        &visitor,
        &format!("/annuaire/{ENTRY}/ecrire"),
        &typed("Camille", "camille@exemple.fr", "Bonjour", &shown),
    )
    .await;
    assert_eq!(closed.status(), 409);
    assert!(app.mails().is_empty());
    assert_eq!(switch("oui").await.status(), 303);
    let mut statuses = Vec::new();
    for n in 0..11 {
        let email = format!("visiteur{n}@exemple.fr");
        let response = post(
            &app,
            &visitor,
            &format!("/annuaire/{ENTRY}/ecrire"),
            &typed("Visiteur", &email, "Bonjour", &shown),
        )
        .await;
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses[..10], [303; 10]);
    assert_eq!(
        statuses[10], 429,
        "ten an hour from one address to one structure"
    );
}

on_both_databases!(
    a_visitor_writes_to_a_structure,
    robots_are_kept_out_without_a_captcha,
    managers_turn_the_form_off_and_it_is_rate_limited,
);
