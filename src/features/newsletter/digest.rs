//! The letters: once per frequency and period a digest is written (`digests`), then delivered
//! to each confirmed subscriber of that frequency, the delivery recorded before the mail leaves
//! (`digest_deliveries`), at the configured pace. The job runs hourly on one server at a time
//! ([`crate::jobs`]); a run that stops half-way leaves the digest unfinished and the next run
//! goes on with the subscribers it has not reached.

use crate::error::AppError;
use crate::features::events::EventSummary;
use crate::jobs::Job;
use crate::mail::Mail;
use crate::state::AppState;
use crate::timestamp::Timestamp;

/// The periods of the two frequencies at `now` (Paris): `(frequency, period, covers from)`.
pub fn periods(now: Timestamp) -> [(&'static str, String, Timestamp); 2] {
    let paris = now.in_paris();
    let (year, week, _) = paris.to_iso_week_date();
    [
        (
            "weekly",
            format!("{year}-W{week:02}"),
            now.plus(time::Duration::days(-7)),
        ),
        (
            "monthly",
            format!("{:04}-{:02}", paris.year(), u8::from(paris.month())),
            now.plus(time::Duration::days(-31)),
        ),
    ]
}

/// What one subscriber's letter holds.
pub struct Contents {
    pub articles: Vec<(String, String, String)>,
    pub events: Vec<EventSummary>,
}

impl Contents {
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty() && self.events.is_empty()
    }
}

/// The articles published since `since` and the public events of the next 60 days (in
/// `territory` when the subscriber chose one).
pub async fn contents(
    state: &AppState,
    since: Timestamp,
    territory: Option<&str>,
    now: Timestamp,
) -> Result<Contents, AppError> {
    let articles = crate::features::news::db::feed_entries(&state.db, None, 20, now)
        .await?
        .into_iter()
        .filter(|a| a.published_at > since)
        .map(|a| (a.slug, a.title, a.summary))
        .collect();
    let params = crate::features::events::listing::ListParams {
        territory: territory.map(str::to_owned),
        page: 1,
        ..Default::default()
    };
    let horizon = now.plus(time::Duration::days(60));
    let events = crate::features::events::db::list(
        &state.db,
        &params,
        crate::features::events::db::Audience::Visitor,
        now,
    )
    .await?
    .items
    .into_iter()
    .filter(|e| e.starts_at < horizon)
    .take(10)
    .collect();
    Ok(Contents { articles, events })
}

/// One subscriber's letter: HTML and plain text, the unsubscription link in the body and in
/// `List-Unsubscribe` (one click, RFC 8058).
pub fn letter(base: &str, to: &str, frequency: &str, contents: &Contents, token: &str) -> Mail {
    let page_link = format!("{base}/lettre/desinscription?jeton={token}");
    let one_click = format!(
        "{base}{}?jeton={token}",
        super::subscription::ONE_CLICK_PATH
    );
    let title = if frequency == "monthly" {
        "La lettre du mois de DESSINE"
    } else {
        "La lettre de la semaine de DESSINE"
    };
    let mut paragraphs: Vec<String> = Vec::new();
    if !contents.articles.is_empty() {
        paragraphs.push("Les nouvelles actualités :".to_owned());
        for (slug, title, summary) in &contents.articles {
            paragraphs.push(format!("{title} — {summary}\n{base}/actualites/{slug}"));
        }
    }
    if !contents.events.is_empty() {
        paragraphs.push("Les prochains événements :".to_owned());
        for event in &contents.events {
            let place = if event.online {
                "en ligne".to_owned()
            } else {
                event.commune.clone()
            };
            paragraphs.push(format!(
                "{} — {}, {}\n{base}/evenements/{}",
                event.title,
                event.starts_at.french_date_time(),
                place,
                event.slug
            ));
        }
    }
    paragraphs.push(format!(
        "Vous recevez cette lettre parce que vous vous y êtes abonné·e sur DESSINE. Pour ne plus la recevoir : {page_link}"
    ));
    let refs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    let mut mail = crate::mail::Letter::new(title, &refs, None).to(to, "");
    mail.list_unsubscribe = Some(one_click);
    mail
}

/// Writes this period's digests and delivers what is not delivered; how many mails left.
pub async fn run(state: &AppState, now: Timestamp) -> Result<u64, AppError> {
    let pause = std::time::Duration::from_secs_f64(1.0 / f64::from(state.config.mail_rate.max(1)));
    let mut sent = 0;
    for (frequency, period, since) in periods(now) {
        let (digest, since, finished) =
            super::db::digest_for(&state.db, frequency, &period, since, now).await?;
        if finished {
            continue;
        }
        // One letter's contents per territory: read once, whatever the number of subscribers.
        let mut by_territory: std::collections::HashMap<Option<String>, Contents> =
            std::collections::HashMap::new();
        loop {
            let batch = super::db::undelivered(&state.db, digest, frequency, 200).await?;
            if batch.is_empty() {
                break;
            }
            for (subscriber, email, territory, token) in batch {
                if !super::db::claim_delivery(&state.db, digest, subscriber, Timestamp::now())
                    .await?
                {
                    continue;
                }
                if !by_territory.contains_key(&territory) {
                    let read = contents(state, since, territory.as_deref(), now).await?;
                    by_territory.insert(territory.clone(), read);
                }
                let contents = &by_territory[&territory];
                if contents.is_empty() {
                    continue;
                }
                let mail = letter(&state.config.base_url, &email, frequency, contents, &token);
                state.send_mail(mail).await;
                sent += 1;
                tokio::time::sleep(pause).await;
            }
        }
        super::db::finish(&state.db, digest, Timestamp::now()).await?;
    }
    Ok(sent)
}

/// The hourly look at the letters, on one server at a time.
pub const DIGESTS: Job = Job {
    name: "newsletter",
    every: 3600,
    run: |state, now| Box::pin(run(state, now)),
};

/// Addresses never confirmed are forgotten after this.
pub const UNCONFIRMED_FOR: time::Duration = time::Duration::days(7);

/// The daily forgetting of addresses never confirmed.
pub const UNCONFIRMED_SUBSCRIBERS: Job = Job {
    name: "unconfirmed-subscribers",
    every: 24 * 3600,
    run: |state, now| {
        Box::pin(async move {
            Ok(super::db::forget_unconfirmed(&state.db, now.plus(-UNCONFIRMED_FOR)).await?)
        })
    },
};
