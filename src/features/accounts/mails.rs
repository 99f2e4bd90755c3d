//! The account mails, in French. Links are built from `DESSINE_BASE_URL`, never from the
//! request's Host header.

use crate::mail::{Letter, Mail};

pub fn verify_address(base_url: &str, to: &str, name: &str, token: &str) -> Mail {
    let url = format!("{base_url}/verifier?token={token}");
    Letter::new("Confirmez votre adresse e-mail", &[
            "Vous venez de créer un compte sur DESSINE, le portail de l'économie sociale et solidaire.",
            "Pour l'activer, confirmez votre adresse e-mail. Ce lien est valable 48 heures et ne sert qu'une fois.",
            "Si vous n'êtes pas à l'origine de cette inscription, ignorez ce message : aucun compte ne sera activé.",
        ], Some(("Confirmer mon adresse", &url))).to(to, name)
}

pub fn already_registered(base_url: &str, to: &str, name: &str) -> Mail {
    let url = format!("{base_url}/mot-de-passe-oublie");
    Letter::new("Votre compte DESSINE existe déjà", &[
            "Quelqu'un (peut-être vous) a demandé à créer un compte DESSINE avec cette adresse, qui en a déjà un.",
            "Si c'était vous, connectez-vous avec votre mot de passe habituel, ou choisissez-en un nouveau.",
            "Sinon, vous pouvez ignorer ce message : rien n'a changé sur votre compte.",
        ], Some(("Choisir un nouveau mot de passe", &url))).to(to, name)
}

pub fn reset_password(base_url: &str, to: &str, name: &str, token: &str) -> Mail {
    let url = format!("{base_url}/reinitialiser?token={token}");
    Letter::new("Choisir un nouveau mot de passe", &[
            "Vous avez demandé à changer le mot de passe de votre compte DESSINE.",
            "Ce lien est valable une heure et ne sert qu'une fois. Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste le même.",
        ], Some(("Choisir un nouveau mot de passe", &url))).to(to, name)
}

pub fn password_changed(base_url: &str, to: &str, name: &str) -> Mail {
    let url = format!("{base_url}/mot-de-passe-oublie");
    Letter::new("Votre mot de passe a été changé", &[
            "Le mot de passe de votre compte DESSINE vient d'être changé. Toutes vos autres sessions ont été fermées.",
            "Si vous n'êtes pas à l'origine de ce changement, choisissez tout de suite un nouveau mot de passe.",
        ], Some(("Choisir un nouveau mot de passe", &url))).to(to, name)
}

pub fn confirm_new_address(base_url: &str, to: &str, name: &str, token: &str) -> Mail {
    let url = format!("{base_url}/confirmer-adresse?token={token}");
    Letter::new("Confirmez votre nouvelle adresse e-mail", &[
            "Vous avez demandé à utiliser cette adresse pour votre compte DESSINE.",
            "Confirmez-la pour qu'elle devienne votre identifiant. Ce lien est valable 48 heures et ne sert qu'une fois. Si vous n'avez rien demandé, ignorez ce message.",
        ], Some(("Confirmer ma nouvelle adresse", &url))).to(to, name)
}

pub fn address_changed(to: &str, name: &str, new_address: &str) -> Mail {
    let paragraph = format!(
        "L'adresse de votre compte DESSINE a été remplacée par {new_address}. Si vous n'êtes pas à l'origine de ce changement, écrivez-nous sans attendre en répondant à ce message."
    );
    Letter::new("L'adresse de votre compte a changé", &[&paragraph], None).to(to, name)
}

/// An account unused for three years will be deleted in 30 days unless someone logs in.
pub fn inactive_account(base_url: &str, to: &str, name: &str, deleted_on: &str) -> Mail {
    let url = format!("{base_url}/connexion");
    let first = format!(
        "Personne ne s'est connecté à votre compte DESSINE depuis trois ans. Comme l'annoncent nos règles sur les données personnelles, il sera supprimé le {deleted_on}, avec ce qu'il contient."
    );
    Letter::new(
        "Votre compte DESSINE va être supprimé",
        &[
            &first,
            "Pour le garder, il suffit de vous connecter avant cette date. Pour le supprimer dès maintenant, connectez-vous et choisissez « Supprimer mon compte » dans « Mon compte ».",
        ],
        Some(("Me connecter", &url)),
    )
    .to(to, name)
}
