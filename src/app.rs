//! The HTML shell, the router and the layout every page shares (header, menu, footer).

use crate::ui::form::FormPath;
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{SsrMode, path};

use crate::features::about::{
    AccessibilityPage, CooperatePage, FOOTER_PAGES, InfoPageEditorPage, InfoPageLinks,
    LegalNoticePage, PersonalDataPage, SitePlanPage, WhatIsDessinePage, WhatIsEssPage,
    WhoWeArePage,
};
use crate::features::accounts::CurrentUser;
use crate::features::accounts::login::LogOut;
use crate::features::accounts::views::{
    AccountPage, ConfirmNewEmailPage, ForgotPasswordPage, LoginPage, ResetPasswordPage, SignUpPage,
    VerifyPage,
};
use crate::features::admin::views::UsersAdminPage;
use crate::features::calls::views::{
    CallDetailPage, CallsPage, ConsortiumDetailPage, EditCallPage, NewCallPage,
};
use crate::features::clubs::views::{
    ClubDetailPage, ClubFormPage, ClubsPage, EmailInvitationPage, MembershipManagementPage,
};
use crate::features::contact::ContactBox;
use crate::features::directory::map::MapPage;
use crate::features::directory::views::{DirectoryPage, StructurePage};
use crate::features::events::views::{
    CancelLinkPage, ConfirmGuestPage, EventDetailPage, EventsPage, MyRegistrations,
};
use crate::features::events::views::{CheckInPage, EventFormPage, ManagementPage, PrintListPage};
use crate::features::home::HomePage;
use crate::features::label::views::{
    AttendancePage, DeskPage as LabelDeskPage, LabelBox, LabelPage, MyJourneys,
    VerifyPage as LabelVerifyPage,
};
use crate::features::moderation::views::{
    ConfirmProposalPage, EntryAdminPage, HistoryPage, ImportPage, ImportReportPage, MergePage,
    ModerationQueuePage, ModeratorsPage, ProposalReviewPage, ProposeEntryPage, StillAccuratePage,
};
use crate::features::news::views::{ArticleEditorPage, ArticlePage, EditorDeskPage, NewsListPage};
use crate::features::newsletter::{
    ConfirmSubscriptionPage, NewsletterPage, SubscribersPage, UnsubscribePage,
};
use crate::features::observatory::views::ObservatoryPage;
use crate::features::opendata::views::OpenDataPage;
use crate::features::purchasing::views::{
    BuyersAdminPage, FairPage, MyPurchasingPage, NeedDetailPage, NewNeedPage, PurchasingPage,
    ReportPage,
};
use crate::features::sharing::views::{MeanPageView, MeansPage, NewMeanPage};
use crate::features::stewardship::views::{ConfirmClaimPage, EditEntryPage, StewardshipBox};
use crate::features::support::views::{
    FollowPage, MySupportRequests, NetworkSettingsPage, NetworksPage, QueuePage, RequestDetailPage,
    SupportFigures, SupportPage,
};
use crate::ui::error::NotFoundPage;
use crate::ui::href::login_then;
use crate::ui::menu::MainMenu;

/// The main menu: `(path, label)`. A feature adds its entry when its pages exist.
pub const MAIN_MENU: &[(&str, &str)] = &[
    ("/qu-est-ce-que-l-ess", "Qu'est-ce que l'ESS ?"),
    ("/qu-est-ce-que-dessine", "Qu'est-ce que DESSINE ?"),
    ("/actualites", "Actualités"),
    ("/annuaire", "Annuaire des acteurs de l'ESS"),
    ("/evenements", "Événements"),
    ("/clubs", "Clubs"),
    ("/achats", "Achats responsables"),
    ("/cooperer", "Coopérer"),
    ("/qui-sommes-nous", "Qui sommes-nous ?"),
];

pub const SITE_NAME: &str = "DESSINE";

/// The document around every server-rendered page.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use leptos_meta::MetaTags;
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5a4a" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icone-192.png" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link id="leptos" rel="stylesheet" href=stylesheet_href(&options) />
                // Before the body paints: the menu's final layout at once (see `ui::menu`).
                <script nonce=leptos::nonce::use_nonce() inner_html=crate::ui::menu::MENU_SCRIPT></script>
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The address of the site's stylesheet, `/pkg/dessine.<hash>.css` (cargo-leptos `hash-files`):
/// what `leptos_meta::HashedStylesheet` writes, but its hash file is read once per process.
/// That component looks for the executable and reads the file at every page (a `readlink`, a
/// `stat`, an `open` and a `read`: 2.6 % of a search page's time under load).
#[cfg(feature = "ssr")]
fn stylesheet_href(options: &LeptosOptions) -> &'static str {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let hashes = options
            .hash_files
            .then(|| {
                let exe = std::env::current_exe().ok()?;
                std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()
            })
            .flatten()
            .unwrap_or_default();
        stylesheet_path(options, &hashes)
    })
}

/// `/{pkg dir}/{output name}[.{css hash}].css`, the hash read from cargo-leptos' hash file.
#[cfg(feature = "ssr")]
fn stylesheet_path(options: &LeptosOptions, hashes: &str) -> String {
    let hash = hashes.lines().find_map(|line| {
        let (file, hash) = line.trim().split_once(':')?;
        (file.trim() == "css").then(|| hash.trim())
    });
    match hash {
        Some(hash) => format!(
            "/{}/{}.{hash}.css",
            options.site_pkg_dir, options.output_name
        ),
        None => format!("/{}/{}.css", options.site_pkg_dir, options.output_name),
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        // leptos_meta writes the title into <title> as it is: database text (an entry's or an
        // event's name) is escaped here, or a name with `</title>` would end the element.
        <Title formatter=|title: String| {
            if title.is_empty() {
                SITE_NAME.to_owned()
            } else {
                format!("{} · {SITE_NAME}", crate::ui::escape_text(&title))
            }
        } />
        <Router>
            <a class="skip-link" href="#contenu">
                "Aller au contenu"
            </a>
            <SiteHeader />
            <main id="contenu" class="wrap" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/qu-est-ce-que-l-ess") view=WhatIsEssPage ssr=SsrMode::Async />
                    <Route path=path!("/qu-est-ce-que-dessine") view=WhatIsDessinePage ssr=SsrMode::Async />
                    <Route path=path!("/qui-sommes-nous") view=WhoWeArePage ssr=SsrMode::Async />
                    <Route path=path!("/mentions-legales") view=LegalNoticePage ssr=SsrMode::Async />
                    <Route path=path!("/donnees-personnelles") view=PersonalDataPage ssr=SsrMode::Async />
                    <Route path=path!("/accessibilite") view=AccessibilityPage ssr=SsrMode::Async />
                    <Route path=path!("/plan-du-site") view=SitePlanPage />
                    <Route path=path!("/lettre") view=NewsletterPage ssr=SsrMode::Async />
                    <Route path=path!("/lettre/confirmer") view=ConfirmSubscriptionPage ssr=SsrMode::Async />
                    <Route path=path!("/lettre/desinscription") view=UnsubscribePage ssr=SsrMode::Async />
                    <Route path=path!("/lettre/abonnes") view=SubscribersPage ssr=SsrMode::Async />
                    <Route path=path!("/actualites") view=NewsListPage ssr=SsrMode::Async />
                    <Route path=path!("/actualites/:slug") view=ArticlePage ssr=SsrMode::Async />
                    <Route
                        path=path!("/redaction")
                        view=|| view! { <EditorDeskPage><InfoPageLinks /></EditorDeskPage> }
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/redaction/articles/nouveau") view=ArticleEditorPage ssr=SsrMode::Async />
                    <Route path=path!("/redaction/articles/:id") view=ArticleEditorPage ssr=SsrMode::Async />
                    <Route path=path!("/redaction/pages/:slug") view=InfoPageEditorPage ssr=SsrMode::Async />
                    <Route path=path!("/annuaire") view=DirectoryPage ssr=SsrMode::Async />
                    <Route path=path!("/achats") view=PurchasingPage ssr=SsrMode::Async />
                    <Route path=path!("/achats/nouveau") view=NewNeedPage ssr=SsrMode::Async />
                    <Route path=path!("/achats/mes-demandes") view=MyPurchasingPage ssr=SsrMode::Async />
                    <Route path=path!("/achats/bilan") view=ReportPage ssr=SsrMode::Async />
                    <Route path=path!("/achats/acheteurs") view=BuyersAdminPage ssr=SsrMode::Async />
                    <Route path=path!("/achats/:id") view=NeedDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/evenements/:slug/rendez-vous") view=FairPage ssr=SsrMode::Async />
                    <Route path=path!("/label") view=LabelPage ssr=SsrMode::Async />
                    <Route path=path!("/label/verifier") view=LabelVerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/label/gestion") view=LabelDeskPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/label/cohortes/:cohort/journees/:day")
                        view=AttendancePage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/annuaire/carte") view=MapPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/observatoire")
                        view=|| view! { <ObservatoryPage><SupportFigures /></ObservatoryPage> }
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/donnees") view=OpenDataPage ssr=SsrMode::Async />
                    <Route path=path!("/moyens") view=MeansPage ssr=SsrMode::Async />
                    <Route path=path!("/moyens/proposer") view=NewMeanPage ssr=SsrMode::Async />
                    <Route path=path!("/moyens/:id") view=MeanPageView ssr=SsrMode::Async />
                    <Route path=path!("/cooperer") view=CooperatePage />
                    <Route path=path!("/appels") view=CallsPage ssr=SsrMode::Async />
                    <Route path=path!("/appels/nouveau") view=NewCallPage ssr=SsrMode::Async />
                    <Route path=path!("/appels/:id") view=CallDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/appels/:id/modifier") view=EditCallPage ssr=SsrMode::Async />
                    <Route path=path!("/consortiums/:id") view=ConsortiumDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/accompagnement") view=SupportPage ssr=SsrMode::Async />
                    <Route path=path!("/accompagnement/suivi") view=FollowPage ssr=SsrMode::Async />
                    <Route path=path!("/accompagnement/demandes/:id") view=RequestDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/accompagnement/file") view=QueuePage ssr=SsrMode::Async />
                    <Route path=path!("/accompagnement/reseaux") view=NetworksPage ssr=SsrMode::Async />
                    <Route path=path!("/accompagnement/reglages") view=NetworkSettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/annuaire/referencer") view=ProposeEntryPage ssr=SsrMode::Async />
                    <Route path=path!("/annuaire/proposition/confirmer") view=ConfirmProposalPage />
                    <Route path=path!("/annuaire/toujours-exact") view=StillAccuratePage />
                    <Route path=path!("/annuaire/confirmer-gestion") view=ConfirmClaimPage />
                    <Route
                        path=path!("/annuaire/:slug")
                        view=|| view! { <StructurePage><LabelBox /><ContactBox /><StewardshipBox /></StructurePage> }
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/inscription") view=SignUpPage />
                    <Route path=path!("/verifier") view=VerifyPage />
                    <Route path=path!("/confirmer-adresse") view=ConfirmNewEmailPage />
                    <Route path=path!("/connexion") view=LoginPage />
                    <Route path=path!("/mot-de-passe-oublie") view=ForgotPasswordPage />
                    <Route path=path!("/reinitialiser") view=ResetPasswordPage />
                    <Route
                        path=path!("/compte")
                        view=|| view! { <AccountPage><MyRegistrations /><MyJourneys /><MySupportRequests /></AccountPage> }
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/evenements") view=EventsPage ssr=SsrMode::Async />
                    <Route path=path!("/evenements/nouveau") view=EventFormPage ssr=SsrMode::Async />
                    <Route path=path!("/evenements/confirmer") view=ConfirmGuestPage ssr=SsrMode::Async />
                    <Route path=path!("/evenements/annuler") view=CancelLinkPage ssr=SsrMode::Async />
                    <Route path=path!("/evenements/:slug") view=EventDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/evenements/:slug/gestion") view=ManagementPage ssr=SsrMode::Async />
                    <Route path=path!("/evenements/:slug/accueil") view=CheckInPage ssr=SsrMode::Async />
                    <Route path=path!("/evenements/:slug/liste") view=PrintListPage ssr=SsrMode::Async />
                    <Route path=path!("/evenements/:slug/modifier") view=EventFormPage ssr=SsrMode::Async />
                    <Route path=path!("/clubs") view=ClubsPage ssr=SsrMode::Async />
                    <Route path=path!("/clubs/invitation") view=EmailInvitationPage ssr=SsrMode::Async />
                    <Route path=path!("/clubs/nouveau") view=ClubFormPage ssr=SsrMode::Async />
                    <Route path=path!("/clubs/:slug/modifier") view=ClubFormPage ssr=SsrMode::Async />
                    <Route path=path!("/clubs/:slug") view=ClubDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/clubs/:slug/membres") view=MembershipManagementPage ssr=SsrMode::Async />
                    <Route path=path!("/annuaire/:slug/modifier") view=EditEntryPage ssr=SsrMode::Async />
                    <Route path=path!("/annuaire/:slug/corriger") view=ProposeEntryPage ssr=SsrMode::Async />
                    <Route path=path!("/annuaire/:slug/historique") view=HistoryPage ssr=SsrMode::Async />
                    <Route path=path!("/annuaire/:slug/administration") view=EntryAdminPage ssr=SsrMode::Async />
                    <Route path=path!("/moderation") view=ModerationQueuePage ssr=SsrMode::Async />
                    <Route path=path!("/moderation/moderateurs") view=ModeratorsPage ssr=SsrMode::Async />
                    <Route path=path!("/moderation/fusion") view=MergePage ssr=SsrMode::Async />
                    <Route path=path!("/moderation/:id") view=ProposalReviewPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/utilisateurs") view=UsersAdminPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/import") view=ImportPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/import/:id") view=ImportReportPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}

#[component]
fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="wrap header-bar">
                <a class="brand" href="/">
                    <span class="brand-name">{SITE_NAME}</span>
                    <span class="brand-tagline">"L'économie sociale et solidaire près de chez vous"</span>
                </a>
                <MainMenu>
                    <MenuLinks label="Menu principal" id="menu-principal" />
                    <AccountLinks />
                </MainMenu>
            </div>
        </header>
    }
}

/// The logged-in member of this request (rendered on the server only).
fn current_user() -> Option<CurrentUser> {
    crate::features::accounts::rendering_user()
}

/// « Connexion » for visitors (back to this page afterwards); the member's name, « Mon compte »
/// and « Déconnexion » once logged in.
#[component]
fn AccountLinks() -> impl IntoView {
    match current_user() {
        Some(user) => {
            let is_admin = user.is_admin();
            let is_editor = crate::features::accounts::policy::may(
                Some(&user),
                crate::features::accounts::policy::Action::EditContent,
            );
            view! {
            <div class="account-links">
                <span class="member-name">{user.name}</span>
                <a href="/compte">"Mon compte"</a>
                {is_editor.then(|| view! { <a href="/redaction">"Rédaction"</a> })}
                {is_admin.then(|| view! { <a href="/admin/utilisateurs">"Administration"</a> })}
                <form method="post" action=LogOut::action(&[])>
                    <button type="submit" class="link-button">"Déconnexion"</button>
                </form>
            </div>
            }
            .into_any()
        }
        None => {
            let location = use_location();
            let path = location.pathname.get_untracked();
            let here = match location.search.get_untracked().trim_start_matches('?') {
                "" => path,
                query => format!("{path}?{query}"),
            };
            let target = if here.starts_with("/connexion") || here.starts_with("/inscription") {
                "/connexion".to_owned()
            } else {
                login_then(&here)
            };
            view! {
                <div class="account-links">
                    <a href=target>"Connexion"</a>
                </div>
            }
            .into_any()
        }
    }
}

/// The menu's links, marking the current page for assistive technologies.
#[component]
fn MenuLinks(label: &'static str, id: &'static str) -> impl IntoView {
    let pathname = use_location().pathname.get_untracked();
    // A structure's page belongs to the directory.
    let section =
        |href: &str| pathname == href || (href != "/" && pathname.starts_with(&format!("{href}/")));
    view! {
        <nav aria-label=label id=id>
            <ul>
                {MAIN_MENU
                    .iter()
                    .map(|(href, text)| {
                        let current = section(href).then_some("page");
                        view! {
                            <li>
                                <a href=*href aria-current=current>
                                    {*text}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="wrap">
                <p>
                    <strong>{SITE_NAME}</strong>
                    " relie les associations, coopératives, structures d'insertion, mutuelles et fondations de la Communauté urbaine de Dunkerque, de l'Artois et du Pas-de-Calais."
                </p>
                <nav aria-label="Pied de page">
                    <ul>
                        <li>
                            <a href="/">"Accueil"</a>
                        </li>
                        {MAIN_MENU
                            .iter()
                            .map(|(href, text)| view! { <li><a href=*href>{*text}</a></li> })
                            .collect_view()}
                        <li>
                            <a href="/label">"Le label « démarche progrès »"</a>
                        </li>
                    </ul>
                    <ul class="legal-links">
                        {FOOTER_PAGES
                            .iter()
                            .map(|(href, text)| view! { <li><a href=*href>{*text}</a></li> })
                            .collect_view()}
                    </ul>
                </nav>
            </div>
        </footer>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::{LeptosOptions, stylesheet_path};

    #[test]
    fn the_stylesheet_takes_its_hash_from_the_hash_file() {
        let options = LeptosOptions::builder()
            .output_name("dessine")
            .site_pkg_dir("pkg")
            .build();
        let hashes = "js: I7yG1ZX\nwasm: pIB0Ar2\n css : nVc-myT43 \n";
        assert_eq!(
            stylesheet_path(&options, hashes),
            "/pkg/dessine.nVc-myT43.css"
        );
        assert_eq!(stylesheet_path(&options, ""), "/pkg/dessine.css");
        assert_eq!(
            stylesheet_path(&options, "js: a\nwasm: b\n"),
            "/pkg/dessine.css"
        );
    }
}
