//! The collapsible main menu for narrow screens, with no island and no WebAssembly: reading pages
//! then load no script file at all.
//!
//! A few lines of inline script in `<head>` (carrying the page's CSP nonce) mark `<html>` with
//! the class `js` before the body is painted, so the first paint already has its final layout:
//! with JavaScript, the links are folded behind the « Menu » button on narrow screens; without
//! it, the button is not shown and the links stay open. The same script opens and closes the
//! menu (one listener on the document, `aria-expanded` and the label kept in step).

use leptos::prelude::*;

/// The script of the menu, inlined in `<head>` (about 500 bytes).
pub const MENU_SCRIPT: &str = "document.documentElement.classList.add('js');\
document.addEventListener('click',function(e){\
var b=e.target.closest&&e.target.closest('[data-menu-toggle]');if(!b)return;\
var p=document.getElementById(b.getAttribute('aria-controls'));if(!p)return;\
var o=b.getAttribute('aria-expanded')!=='true';\
p.classList.toggle('open',o);b.setAttribute('aria-expanded',o?'true':'false');\
b.textContent=o?'Fermer le menu':'Menu';});";

/// Wraps the server-rendered menu links with the toggle button (shown only when the script ran,
/// on narrow screens).
#[component]
pub fn MainMenu(children: Children) -> impl IntoView {
    view! {
        <button type="button" class="menu-toggle" aria-controls="panneau-menu" aria-expanded="false" data-menu-toggle>
            "Menu"
        </button>
        <div class="menu-panel" id="panneau-menu">
            {children()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_menu_script_stays_small_and_marks_the_page_first() {
        assert!(super::MENU_SCRIPT.len() < 600);
        assert!(super::MENU_SCRIPT.starts_with("document.documentElement.classList.add('js')"));
    }
}
