//! Demo data of moderation: a new structure proposed by a visitor and a correction proposed by a
//! member, both waiting, so that `/moderation` shows what moderators do. Nothing when
//! proposals exist already.

use crate::db::Db;
use crate::error::AppError;
use crate::features::directory::db::Snapshot;
use crate::features::moderation::{ProposalKind, db};

fn fields(pairs: &[(&str, &str)]) -> Snapshot {
    pairs
        .iter()
        .map(|(field, value)| ((*field).to_owned(), (*value).to_owned()))
        .collect()
}

pub async fn seed(db: &Db) -> Result<(), AppError> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM proposals")
        .fetch_one(&db.pool)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let departement = |commune: &'static str| async move {
        sqlx::query_scalar::<_, i64>(
            "SELECT CASE WHEN p.kind = 'intercommunalite' THEN p.parent_id ELSE p.id END \
             FROM territories c JOIN territories p ON p.id = c.parent_id WHERE c.slug = $1",
        )
        .bind(commune)
        .fetch_optional(&db.pool)
        .await
    };
    let repair = fields(&[
        ("name", "Repair café de Coudekerque"),
        ("legal_form", "association"),
        ("commune", "coudekerque-branche"),
        ("sectors", "recyclage"),
        ("email", "bonjour@repair-cafe-coudekerque.example"),
        (
            "offer",
            "Un samedi par mois, des bénévoles réparent avec vous petit électroménager, vélos et vêtements.",
        ),
        (
            "description",
            "Né en 2024 à la maison de quartier, le repair café réunit une vingtaine de bénévoles bricoleurs.",
        ),
    ]);
    db::file(
        db,
        &db::NewProposal {
            kind: ProposalKind::New,
            structure_id: None,
            departement: departement("coudekerque-branche").await?,
            fields: &repair,
            proposer_id: None,
            proposer_name: "Lucie Vandamme",
            proposer_email: "lucie.vandamme@exemple.fr",
        },
        true,
    )
    .await?;
    let jardins: Option<i64> =
        sqlx::query_scalar("SELECT id FROM structures WHERE slug = 'jardins-du-littoral'")
            .fetch_optional(&db.pool)
            .await?;
    if let Some(jardins) = jardins {
        let correction = fields(&[
            ("phone", "03 28 27 14 60"),
            (
                "offer",
                "Entretien d'espaces verts, paniers de légumes bio livrés chaque semaine, chantiers d'insertion.",
            ),
        ]);
        db::file(
            db,
            &db::NewProposal {
                kind: ProposalKind::Correction,
                structure_id: Some(jardins),
                departement: departement("grande-synthe").await?,
                fields: &correction,
                proposer_id: None,
                proposer_name: "Marc Delattre",
                proposer_email: "marc.delattre@exemple.fr",
            },
            true,
        )
        .await?;
    }
    Ok(())
}
