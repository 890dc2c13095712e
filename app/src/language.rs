//! The page's language, English or Spanish. The server chooses it for each request: the guest's
//! own choice (the `barback_lang` cookie, set by the switch in the navigation) or else the
//! browser's `Accept-Language` (`backend::language`). The page carries it in `<html lang>`, where
//! the browser's code reads it back, so both render the same words. The words themselves are in
//! `app/locales/{en,es}.json` (leptos_i18n: compiled in, every key checked at build time).

use crate::i18n::Locale;
use leptos::prelude::*;

/// The cookie that keeps a guest's choice of language.
pub const COOKIE: &str = "barback_lang";

/// Every language the UI speaks, in the order the switch offers them.
pub const ALL: [Locale; 2] = [Locale::en, Locale::es];

/// The language chosen for the request being rendered, kept as a context of its own on the server.
/// leptos_i18n's `I18nContext` is not used: it works the language out again in the browser
/// (leptos-use's `use_locales` and ICU's language matching, with their code in every page's
/// WASM), and keeps it in a signal, while here it never changes (the switch reloads the page).
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
struct PageLanguage(Locale);

/// The language of this page in the browser: the one the server wrote into `<html lang>`.
#[cfg(not(feature = "ssr"))]
static PAGE: std::sync::OnceLock<Locale> = std::sync::OnceLock::new();

/// Makes the page's language known to the whole app.
pub fn provide() {
    #[cfg(feature = "ssr")]
    provide_context(PageLanguage(crate::backend::language::of_request()));
    #[cfg(not(feature = "ssr"))]
    let _ = current();
}

/// The language to write in: the page's while one is rendered or running in the browser, the
/// request's in a server function (its refusals and the bartender's words), English outside a
/// request (the command line, background jobs).
pub fn current() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<PageLanguage>()
            .map(|PageLanguage(locale)| locale)
            .unwrap_or_else(crate::backend::language::of_request)
    }
    #[cfg(not(feature = "ssr"))]
    {
        *PAGE.get_or_init(|| {
            document()
                .document_element()
                .and_then(|html| html.get_attribute("lang"))
                .and_then(|lang| {
                    ALL.into_iter()
                        .find(|locale| crate::i18n::I18nLocaleTrait::as_str(*locale) == lang)
                })
                .unwrap_or_default()
        })
    }
}

/// A sentence from `app/locales` in the language to write in ([`current`]), as a `String`:
/// `says!(errors.name_missing)`, `says!(errors.name_too_long, max = 40)`. For the server's
/// refusals, which are written deep in the rules, far from the request they answer.
#[macro_export]
macro_rules! says {
    ($($key_and_args:tt)*) => {
        $crate::i18n::td_string!($crate::language::current(), $($key_and_args)*).to_string()
    };
}

/// A number as the language writes it: "12.5" in English, "12,5" in Spanish (at most two
/// decimals, none when whole).
pub fn number(locale: Locale, value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded}")
    };
    match locale {
        Locale::en => text,
        Locale::es => text.replace('.', ","),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(number(Locale::en, 12.5), "12.5");
        assert_eq!(number(Locale::es, 12.5), "12,5");
        assert_eq!(number(Locale::es, 40.0), "40");
        assert_eq!(number(Locale::en, 7.456), "7.46");
    }
}
