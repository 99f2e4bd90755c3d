//! The moderation queue: proposals oldest first, each shown side by side (the entry's value,
//! the proposed one) and accepted field by field or refused with a reason. Two moderators
//! deciding at once: the first wins, the second is told who decided.

use crate::error::AppError;
use crate::features::directory::field_label;
use crate::features::moderation::db::REQUIRED_FIELDS;
use crate::features::moderation::rights::Scope;
use crate::features::moderation::rights::require_moderator;
use crate::features::moderation::{
    FieldChange, MODERATION_NOTICES, ProposalDetail, ProposalKind, Queue, Verdict, db, mails,
};
use crate::ui::form::Many;
use crate::ui::notice::Done;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// `/moderation`: the proposals waiting in the moderator's territory.
#[server(endpoint = "moderation/file")]
pub async fn load_queue() -> Result<Queue, AppError> {
    let state = crate::state::app_state()?;
    let (_, scope) = require_moderator(&state).await?;
    let departement = match scope {
        Scope::Everywhere => None,
        Scope::Departement(id) => Some(id),
    };
    Ok(Queue {
        proposals: db::queue(&state.db, departement).await?,
        drafts: crate::features::directory::db::entry::drafts(&state.db, departement).await?,
        stale: crate::features::directory::db::entry::stale(
            &state.db,
            departement,
            crate::timestamp::Timestamp::now(),
        )
        .await?,
    })
}

/// `/moderation/{id}`: a proposal side by side with the entry, and the entries it looks like.
#[server(endpoint = "moderation/proposition")]
pub async fn load_proposal(id: i64) -> Result<ProposalDetail, AppError> {
    let state = crate::state::app_state()?;
    let (_, scope) = require_moderator(&state).await?;
    let proposal = db::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !scope.covers(proposal.departement) {
        return Err(AppError::Forbidden);
    }
    let (entry, current) = match proposal.structure_id {
        Some(structure) => {
            let mut conn = state.db.pool.acquire().await?;
            let current =
                crate::features::directory::db::revisions::snapshot(&mut conn, structure).await?;
            drop(conn);
            let slug_name: Option<(String, String)> =
                sqlx::query_as("SELECT slug, name FROM structures WHERE id = $1")
                    .bind(structure)
                    .fetch_optional(&state.db.pool)
                    .await?;
            (slug_name, current)
        }
        None => (None, Default::default()),
    };
    let names = crate::features::directory::db::revisions::ReadableNames::load(&state.db).await?;
    let changes = crate::features::directory::ENTRY_FIELDS
        .iter()
        .filter_map(|(field, label)| {
            let proposed = proposal.fields.get(*field)?;
            Some(FieldChange {
                field: (*field).to_owned(),
                label: (*label).to_owned(),
                current: names.value(field, &current.get(*field).cloned().unwrap_or_default()),
                proposed: names.value(field, proposed),
                required: proposal.kind == ProposalKind::New && REQUIRED_FIELDS.contains(field),
            })
        })
        .collect();
    let look_alikes = if proposal.kind == ProposalKind::New && proposal.structure_id.is_none() {
        crate::features::directory::db::duplicates::look_alikes(&state.db, &proposal.fields, None)
            .await?
    } else {
        Vec::new()
    };
    Ok(ProposalDetail {
        id,
        kind: proposal.kind,
        status: proposal.status,
        entry,
        proposer: proposal.proposer_name,
        proposer_email: proposal.proposer_email,
        changes,
        look_alikes,
        decided: proposal.decided,
        created_at: proposal.created_at,
    })
}

/// A moderator's decision, as typed: the fields kept (ticked boxes), or the reason of a refusal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    pub accepted: Many<String>,
    #[serde(default)]
    pub reason: String,
}

impl DecisionForm {
    /// The fields kept (known names only) and the reason, trimmed; a refusal says why.
    pub fn validated(self, verdict: Verdict) -> Result<(Vec<String>, String), AppError> {
        let mut errors = crate::error::FieldErrors::default();
        let reason = crate::text::check::lines(&self.reason);
        errors.at_most("reason", &reason, 2000, "Le motif");
        let mut accepted: Vec<String> = Vec::new();
        for field in self.accepted.0 {
            if !crate::features::directory::ENTRY_FIELDS
                .iter()
                .any(|(name, _)| *name == field)
            {
                errors.add(
                    "accepted",
                    "Un des champs cochés n'existe pas : rechargez la page.",
                );
            } else if !accepted.contains(&field) {
                accepted.push(field);
            }
        }
        if verdict == Verdict::Refuse {
            errors.required(
                "reason",
                &reason,
                "Indiquez le motif du refus : il est transmis à l'auteur de la proposition.",
            );
        }
        errors.finish((accepted, reason))
    }
}

/// Accepts the ticked fields of a proposal, or refuses it with a reason; the proposer (and, for
/// a correction, the entry's managers) get a mail.
#[server(endpoint = "moderation/decider")]
pub async fn decide_proposal(
    id: i64,
    verdict: Verdict,
    #[server(flatten)] form: DecisionForm,
) -> Result<Done, AppError> {
    let state = crate::state::app_state()?;
    let (moderator, scope) = require_moderator(&state).await?;
    let proposal = db::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !scope.covers(proposal.departement) {
        return Err(AppError::Forbidden);
    }
    let (accepted, reason) = form.validated(verdict)?;
    let base = state.config.base_url.clone();
    let (code, back) = match verdict {
        Verdict::Accept => {
            let done = db::accept(&state.db, id, &accepted, &moderator).await?;
            crate::features::directory::index::changed(&state).await;
            let kept: Vec<&str> = accepted.iter().map(|f| field_label(f)).collect();
            let manager = match (done.proposal.kind, done.manager) {
                (ProposalKind::New, Some(_)) => mails::NewEntryManager::Account,
                (ProposalKind::New, None) => mails::NewEntryManager::NoAccount,
                (ProposalKind::Correction, _) => mails::NewEntryManager::NotNew,
            };
            let letter = mails::accepted(&base, &done.name, &done.slug, &kept, manager);
            // An import's proposal has nobody to tell.
            if !done.proposal.proposer_email.is_empty() {
                state
                    .send_mail(
                        letter.to(&done.proposal.proposer_email, &done.proposal.proposer_name),
                    )
                    .await;
            }
            if done.proposal.kind == ProposalKind::Correction {
                let letter = mails::entry_corrected(&base, &done.name, &done.slug, &kept);
                for (email, name) in
                    crate::features::accounts::db::manager_addresses(&state.db, done.structure_id)
                        .await?
                {
                    state.send_mail(letter.to(&email, &name)).await;
                }
            }
            ("acceptee", "/moderation".to_owned())
        }
        Verdict::Refuse => {
            let refused = db::refuse(&state.db, id, &reason, &moderator).await?;
            let entry = refused
                .fields
                .get("name")
                .cloned()
                .unwrap_or_else(|| "une fiche".to_owned());
            let letter = mails::refused(&entry, &reason);
            if !refused.proposer_email.is_empty() {
                state
                    .send_mail(letter.to(&refused.proposer_email, &refused.proposer_name))
                    .await;
            }
            ("refusee", "/moderation".to_owned())
        }
    };
    Ok(Done::notice(&back, code, MODERATION_NOTICES))
}

crate::form_path!(DecideProposal => "/moderation/{id}/decision");
