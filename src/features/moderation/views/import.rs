//! `/admin/import`: a site admin uploads an existing directory (CSV) or INSEE's SIRENE files;
//! `/admin/import/{id}`: the dry run's report, the button that applies it, then the report of
//! what was done.

use crate::features::moderation::MODERATION_NOTICES;
use crate::features::moderation::imports::{
    ApplyImport, IMPORT_PATH, StoredReport, import_access, load_import,
};
use crate::ui::error::ErrorPage;
use crate::ui::form::{Field, FormErrors, FormPath, form_outcome};
use crate::ui::notice::Notice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use server_fn::ServerFn;

/// A file input with its label, hint and error (the server's, after a refused upload).
#[component]
fn FileField(name: &'static str, label: &'static str, hint: &'static str) -> impl IntoView {
    let error = form_outcome().error_for(name).map(str::to_owned);
    let id = format!("champ-{name}");
    let hint_id = format!("{id}-aide");
    let error_id = format!("{id}-erreur");
    let described = if error.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        hint_id.clone()
    };
    view! {
        <div class="field" class:has-error=error.is_some()>
            <label for=id.clone()>{label}</label>
            <p class="hint" id=hint_id>{hint}</p>
            {error.clone().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
            <input type="file" id=id name=name accept=".csv,text/csv" required
                aria-invalid=error.is_some().then_some("true") aria-describedby=described />
        </div>
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let access = Resource::new_blocking(|| (), |_| import_access());
    view! {
        <Title text="Importer des structures" />
        <p class="breadcrumb"><a href="/moderation">"← Modération"</a></p>
        <h1>"Importer des structures"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match access.await {
                    Ok(()) => view! { <ImportForms /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The two upload forms.
#[component]
fn ImportForms() -> impl IntoView {
    view! {
        <p>"Un import commence toujours par un essai à blanc : vous lisez ce que ferait chaque ligne, puis vous l'appliquez, ou non. Importer deux fois le même fichier ne change rien la seconde fois ; une fiche gérée par sa structure n'est jamais écrasée (la différence part à la modération)."</p>
        <FormErrors />
        <section aria-labelledby="import-csv">
            <h2 id="import-csv">"Un annuaire existant (CSV)"</h2>
            <form method="post" action=IMPORT_PATH enctype="multipart/form-data" class="stack-form">
                <input type="hidden" name="type" value="structures" />
                <FileField name="fichier" label="Fichier CSV"
                    hint="Une structure par ligne ; colonnes nom, forme_juridique, commune, secteurs, adresse, code_postal, email, telephone, site_web, siret, offre, presentation (voir le guide). UTF-8 ou Windows-1252, « , » ou « ; »." />
                <button type="submit">"Essai à blanc"</button>
            </form>
        </section>
        <section aria-labelledby="import-sirene">
            <h2 id="import-sirene">"Les fichiers SIRENE de l'INSEE"</h2>
            <p>"Les établissements actifs des unités légales actives de l'ESS, dans les départements choisis. 50 Mo au plus ensemble : au-delà, utilisez la commande « dessine import sirene »."</p>
            <form method="post" action=IMPORT_PATH enctype="multipart/form-data" class="stack-form">
                <input type="hidden" name="type" value="sirene" />
                <FileField name="unites" label="Unités légales (StockUniteLegale)" hint="Fichier CSV de l'INSEE, colonnes d'origine." />
                <FileField name="etablissements" label="Établissements (StockEtablissement)" hint="Fichier CSV de l'INSEE, colonnes d'origine." />
                <Field name="departements" label="Départements" hint="Codes INSEE séparés par des virgules." value="59,62" autocomplete="off" />
                <button type="submit">"Essai à blanc"</button>
            </form>
        </section>
    }
}

/// A report: its summary and, when there are any, its lines.
#[component]
fn ReportView(report: StoredReport) -> impl IntoView {
    view! {
        <p><strong>{report.summary}</strong></p>
        {(!report.lines.is_empty()).then(|| view! {
            <ol class="import-report">
                {report.lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ol>
        })}
    }
}

#[component]
pub fn ImportReportPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let import = Resource::new_blocking(
        move || id,
        |id| async move {
            match id {
                Some(id) => load_import(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Title text="Compte rendu d'import" />
        <p class="breadcrumb"><a href=IMPORT_PATH>"← Importer des structures"</a></p>
        <h1>"Compte rendu d'import"</h1>
        <Notice known=MODERATION_NOTICES />
        <Suspense>
            {move || Suspend::new(async move {
                match import.await {
                    Ok(import) => {
                        let id = import.id.to_string();
                        view! {
                            <p>{format!(
                                "{} : {}{}",
                                if import.sirene { "Fichiers SIRENE" } else { "Annuaire CSV" },
                                import.file_name,
                                if import.sirene { format!(" (départements {})", import.departements) } else { String::new() },
                            )}</p>
                            {match (import.applied, import.running) {
                                (Some(applied), _) => view! {
                                    <h2>"Import appliqué"</h2>
                                    <ReportView report=applied />
                                }.into_any(),
                                (None, true) => view! {
                                    <p class="notice" role="status">"L'import est en cours : rechargez la page dans un instant pour lire son compte rendu."</p>
                                }.into_any(),
                                (None, false) => view! {
                                    <h2>"Essai à blanc"</h2>
                                    <p>"Rien n'est encore modifié. Voici ce que ferait l'import :"</p>
                                    <ReportView report=import.dry_run />
                                    <form method="post" action=ApplyImport::action(&[&id]) class="stack-form" data-fn=ApplyImport::PATH>
                                        <FormErrors />
                                        <input type="hidden" name="id" value=id.clone() />
                                        <button type="submit">"Appliquer cet import"</button>
                                    </form>
                                }.into_any(),
                            }}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
