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

/// Provides the translations to the whole app, in the language the server chose. Only the
/// context: leptos_i18n keeps no cookie of its own here, and renders nothing (its
/// `I18nContextProvider` adds an inline script, which the page's CSP would refuse).
pub fn provide() {
    #[cfg(feature = "ssr")]
    let chosen = {
        let locale = crate::backend::language::of_request();
        leptos_use::UseLocalesOptions::default().ssr_lang_header_getter(move || {
            Some(crate::i18n::I18nLocaleTrait::as_str(locale).to_string())
        })
    };
    #[cfg(not(feature = "ssr"))]
    let chosen = leptos_use::UseLocalesOptions::default();
    let options = leptos_i18n::context::I18nContextOptions::<Locale>::default()
        .enable_cookie(false)
        .ssr_lang_header_getter(chosen);
    provide_context(leptos_i18n::context::init_i18n_context_with_options(
        options,
    ));
}

/// The language of the page being rendered.
pub fn current() -> Locale {
    crate::i18n::use_i18n().get_locale_untracked()
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
