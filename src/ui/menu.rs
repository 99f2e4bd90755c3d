//! The collapsible main menu for narrow screens.
//!
//! Without JavaScript the menu is simply always open. Once the island has hydrated it shows a
//! « Menu » button on narrow screens and folds the links behind it.

use leptos::prelude::*;

/// Wraps the server-rendered menu links with a toggle button (an island: the only code of the
/// header that reaches the browser).
#[island]
pub fn MainMenu(children: Children) -> impl IntoView {
    let (enhanced, set_enhanced) = signal(false);
    let (open, set_open) = signal(false);
    // Runs only in the browser, after hydration: before that the links stay visible.
    Effect::new(move |_| set_enhanced.set(true));
    view! {
        <button
            type="button"
            class="menu-toggle"
            aria-controls="menu-principal"
            aria-expanded=move || if open.get() { "true" } else { "false" }
            hidden=move || !enhanced.get()
            on:click=move |_| set_open.update(|o| *o = !*o)
        >
            {move || if open.get() { "Fermer le menu" } else { "Menu" }}
        </button>
        <div class="menu-panel" class:collapsible=move || enhanced.get() class:open=move || open.get()>
            {children()}
        </div>
    }
}
