//! What must hold for every parser of untrusted input, whatever the input: one function per fuzz
//! target. Each panics when a property breaks. `cargo fuzz` drives them with coverage-guided
//! input (`server/fuzz`, `make fuzz`); `make test` runs each on hostile inputs and thousands of
//! generated ones (the tests below), on stable Rust.
//!
//! Inputs with several fields are split on the byte 0xFF, which never occurs in UTF-8.

use super::ai::answer::AnswerParser;
use super::ai::Piece;
use super::images::{valid_key, LocalPhotos};
use super::store::api_keys;
use crate::domain::{
    ChatText, DrinkForm, GuestName, IdempotencyKey, InviteCode, LineForm, OrderNote, Quantity,
    TasteTerms, Username,
};
use crate::model::{MenuFilter, MAX_SEARCH_LEN};

/// One property check: panics when the input breaks it.
pub type Target = fn(&[u8]);

/// Every target, by the name of its `server/fuzz/fuzz_targets/<name>.rs`.
pub const TARGETS: &[(&str, Target)] = &[
    ("invite_code", invite_code),
    ("guest_name", guest_name),
    ("order_input", order_input),
    ("upload_signature", upload_signature),
    ("bedrock_answer", bedrock_answer),
    ("api_key", api_key),
    ("menu_query", menu_query),
    ("admin_forms", admin_forms),
    ("chat_input", chat_input),
];

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// `n` text fields (missing ones empty).
fn fields(data: &[u8], n: usize) -> Vec<String> {
    let mut out: Vec<String> = data.splitn(n, |b| *b == 0xFF).map(text).collect();
    out.resize(n, String::new());
    out
}

fn no_unsafe_chars(value: &str, allowed: &[char]) -> bool {
    value
        .chars()
        .all(|c| allowed.contains(&c) || !crate::domain::unsafe_char(c))
}

/// An invite code is 4–32 ASCII letters and digits, upper-cased; parsing is idempotent and
/// ignores case.
pub fn invite_code(data: &[u8]) {
    let raw = text(data);
    if let Ok(code) = InviteCode::parse(&raw) {
        let value = code.as_str();
        assert!((4..=32).contains(&value.len()), "{value:?}");
        assert!(value
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
        assert_eq!(InviteCode::parse(value).ok().as_ref(), Some(&code));
        assert_eq!(
            InviteCode::parse(&raw.to_ascii_lowercase()).ok().as_ref(),
            Some(&code)
        );
    }
}

/// A guest name is trimmed, 1–40 characters with something visible, free of control and
/// reordering characters, written in one script, and parses to itself.
pub fn guest_name(data: &[u8]) {
    let raw = text(data);
    if let Ok(name) = GuestName::parse(&raw) {
        let value = name.as_str();
        assert_eq!(value, value.trim());
        assert!((1..=GuestName::MAX_CHARS).contains(&value.chars().count()));
        assert!(no_unsafe_chars(value, &[]), "{value:?}");
        assert!(!value.chars().all(crate::domain::invisible), "{value:?}");
        assert_eq!(GuestName::parse(value).ok().as_ref(), Some(&name));
        assert!(!name.key().is_empty(), "{value:?}");
    }
    if let Ok(username) = Username::parse(&raw) {
        let value = username.as_str();
        assert!((3..=32).contains(&value.len()));
        assert!(value.bytes().all(|b| b.is_ascii_lowercase()
            || b.is_ascii_digit()
            || matches!(b, b'_' | b'.' | b'-')));
    }
}

/// An order: a quantity (the first 8 bytes), a note and an idempotency key.
pub fn order_input(data: &[u8]) {
    let (number, rest) = data.split_at(data.len().min(8));
    let mut bytes = [0u8; 8];
    bytes[..number.len()].copy_from_slice(number);
    let raw = i64::from_le_bytes(bytes);
    match Quantity::parse(raw) {
        Ok(quantity) => assert_eq!(i64::from(quantity.get()), raw),
        Err(_) => assert!(!(1..=3).contains(&raw)),
    }
    let [note, key] = <[String; 2]>::try_from(fields(rest, 2)).unwrap_or_default();
    if let Ok(parsed) = OrderNote::parse(&note) {
        let value = parsed.as_str();
        assert!(value.chars().count() <= OrderNote::MAX_CHARS);
        assert!(no_unsafe_chars(value, &['\n']), "{value:?}");
        assert_eq!(OrderNote::parse(value).ok().as_ref(), Some(&parsed));
    }
    if let Ok(parsed) = IdempotencyKey::parse(&key) {
        let value = parsed.as_str();
        assert!((8..=64).contains(&value.len()));
        assert!(value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    }
}

/// An upload URL verifies only with the signature the server made for exactly its key, type,
/// length and expiry: a guessed signature never does, and changing any part breaks a real one.
/// The signed URL's query carries every part back unchanged, whatever characters it holds.
pub fn upload_signature(data: &[u8]) {
    let signer = LocalPhotos::signer(b"a fuzzing secret of more than thirty-two bytes");
    let [key, content_type, length, expires, sig] =
        <[String; 5]>::try_from(fields(data, 5)).unwrap_or_default();
    let length = length.trim().parse::<u64>().unwrap_or(length.len() as u64);
    let expires = expires
        .trim()
        .parse::<i64>()
        .unwrap_or(expires.len() as i64);

    let url = signer.signed_url(&key, &content_type, length, expires);
    let query = url
        .strip_prefix(&format!("/uploads/{key}?"))
        .expect("the URL is the key's path and a query");
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(get("type"), content_type);
    assert_eq!(get("length"), length.to_string());
    assert_eq!(get("expires"), expires.to_string());
    let genuine = get("sig");

    if signer
        .check_upload(&key, &content_type, length, expires, &sig, i64::MIN)
        .is_ok()
    {
        assert!(
            sig.eq_ignore_ascii_case(&genuine),
            "a signature the server did not make was accepted"
        );
    }
    let check = |key: &str, content_type: &str, length: u64, expires: i64, sig: &str| {
        signer
            .check_upload(key, content_type, length, expires, sig, expires)
            .is_ok()
    };
    assert_eq!(
        check(&key, &content_type, length, expires, &genuine),
        valid_key(&key)
    );
    let mut flipped = genuine.clone().into_bytes();
    if let Some(first) = flipped.first_mut() {
        *first = if *first == b'0' { b'1' } else { b'0' };
    }
    let flipped = String::from_utf8(flipped).unwrap_or_default();
    assert!(!check(&key, &content_type, length, expires, &flipped));
    assert!(!check(
        &key,
        &format!("{content_type}x"),
        length,
        expires,
        &genuine
    ));
    assert!(!check(&key, &content_type, length ^ 1, expires, &genuine));
    assert!(!check(&key, &content_type, length, expires ^ 1, &genuine));
    let other_key: String = key.chars().rev().collect();
    if other_key != key {
        assert!(!check(&other_key, &content_type, length, expires, &genuine));
    }
    // Expired links are refused even with the right signature.
    if valid_key(&key) && expires < i64::MAX {
        assert!(signer
            .check_upload(&key, &content_type, length, expires, &genuine, expires + 1)
            .is_err());
    }
}

/// Text pieces merged, as the guest reads them.
fn merged(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for piece in pieces {
        match (out.last_mut(), piece) {
            (Some(Piece::Text(previous)), Piece::Text(more)) => previous.push_str(&more),
            (_, Piece::Text(more)) if more.is_empty() => {}
            (_, piece) => out.push(piece),
        }
    }
    out
}

/// The model's answer reads the same however the stream is split into chunks; every pick names
/// an id that is in the answer, with a bounded reason; nothing is invented.
pub fn bedrock_answer(data: &[u8]) {
    let answer = text(data);
    let whole = merged(AnswerParser::parse(&answer));
    let mut parser = AnswerParser::new();
    let mut pieces = Vec::new();
    let mut rest = answer.as_str();
    let mut sizes = data.iter().cycle();
    while !rest.is_empty() {
        let mut at = (1 + usize::from(*sizes.next().unwrap_or(&0)) % 13).min(rest.len());
        while !rest.is_char_boundary(at) {
            at += 1;
        }
        let (chunk, tail) = rest.split_at(at);
        pieces.extend(parser.feed(chunk));
        rest = tail;
    }
    pieces.extend(parser.finish());
    assert_eq!(merged(pieces), whole, "chunked differently: {answer:?}");
    let mut shown = 0;
    for piece in &whole {
        match piece {
            Piece::Text(text) => shown += text.len(),
            Piece::Pick { drink_id, reason } => {
                assert!(!drink_id.is_empty() && drink_id.len() <= 64);
                assert!(answer.contains(drink_id.as_str()));
                assert!(reason.len() <= 2000 && answer.contains(reason.as_str()));
            }
            Piece::Offer(_) => panic!("the parser made an offer: only tools do"),
        }
    }
    assert!(shown <= answer.len());
}

/// A presented API key is looked up only when it has a key's exact shape; its hash is stable
/// and different keys hash differently.
pub fn api_key(data: &[u8]) {
    let key = text(data);
    if api_keys::well_formed(&key) {
        assert_eq!(key.len(), api_keys::KEY_LEN);
        assert!(key.starts_with(api_keys::KEY_PREFIX));
    }
    let hash = api_keys::hash_key(&key);
    assert_eq!(hash.len(), 64);
    assert!(hash
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
    assert_eq!(hash, api_keys::hash_key(&key));
    assert_ne!(hash, api_keys::hash_key(&format!("{key}x")));
}

/// `/api/v1/drinks` and the menu page's query string: accepted search text is bounded, and the
/// filter runs on any drink without trouble.
pub fn menu_query(data: &[u8]) {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(data).into_owned().collect();
    let Ok(filter) = MenuFilter::from_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    else {
        return;
    };
    for text in [&filter.q, &filter.ingredient].into_iter().flatten() {
        assert!(text.chars().count() <= MAX_SEARCH_LEN);
    }
    let drink = crate::model::Drink {
        id: "d".into(),
        section_id: "s".into(),
        name: "Negroni".into(),
        description: "Bitter, İstanbul style ß".into(),
        abv: 24.0,
        alcohol_free: false,
        glass: "rocks".into(),
        image: String::new(),
        tags: vec!["bitter".into()],
        ingredients: vec![crate::model::RecipeLine {
            ingredient_id: "i".into(),
            name: "Campari".into(),
            amount: 30.0,
            unit: "ml".into(),
            optional: false,
            in_stock: true,
        }],
        steps: vec![],
        available: true,
        options: Vec::new(),
    };
    let menu = crate::model::Menu {
        sections: Vec::new(),
        drinks: vec![drink],
    };
    assert!(menu.matching(&filter).len() <= 1);
}

/// What the host types for a drink: a checked drink has bounded, clean fields and sane numbers.
pub fn admin_forms(data: &[u8]) {
    let f = fields(data, 13);
    let form = DrinkForm {
        id: String::new(),
        name: f[0].clone(),
        section_id: f[1].clone(),
        description: f[2].clone(),
        abv: f[3].clone(),
        glass: f[4].clone(),
        color: f[5].clone(),
        tags: f[6].clone(),
        steps: f[7].clone(),
        lines: vec![LineForm {
            ingredient: f[8].clone(),
            amount: f[9].clone(),
            unit: f[10].clone(),
            optional: Some(f[11].clone()),
        }],
        options: f[12].clone(),
    };
    if let Ok(drink) = form.parse() {
        assert!((1..=60).contains(&drink.name.chars().count()));
        assert!(no_unsafe_chars(&drink.name, &[]) && !drink.name.contains('\n'));
        assert!(no_unsafe_chars(&drink.description, &['\n']));
        assert!(drink.abv.is_finite() && (0.0..=80.0).contains(&drink.abv));
        assert!(crate::domain::GLASSES.contains(&drink.glass.as_str()));
        assert!(drink.color.len() == 7 && drink.color.starts_with('#'));
        assert!(drink.options.len() <= 4);
        for option in &drink.options {
            assert!((2..=6).contains(&option.choices.len()));
            for text in std::iter::once(&option.name).chain(&option.choices) {
                assert!((1..=24).contains(&text.chars().count()) && no_unsafe_chars(text, &[]));
            }
        }
        assert!(drink.tags.len() <= 12);
        assert!(drink.steps.len() <= 20);
        for line in &drink.lines {
            assert!(line.amount.is_finite() && line.amount > 0.0 && line.amount <= 2000.0);
            assert!(no_unsafe_chars(&line.ingredient, &[]));
        }
    }
    if let Ok(name) = crate::domain::parse_name("name", "The name", &f[0]) {
        assert!(!name.contains('\n') && no_unsafe_chars(&name, &[]));
    }
}

/// A message to the bartender and the taste profile's lists.
pub fn chat_input(data: &[u8]) {
    let raw = text(data);
    if let Ok(message) = ChatText::parse(&raw) {
        let value = message.as_str();
        assert!((1..=ChatText::MAX_CHARS).contains(&value.chars().count()));
        assert_eq!(value, value.trim());
        assert!(no_unsafe_chars(value, &['\n']), "{value:?}");
    }
    if let Ok(terms) = TasteTerms::parse("likes", &raw) {
        let terms = terms.into_vec();
        assert!(terms.len() <= TasteTerms::MAX_TERMS);
        for (i, term) in terms.iter().enumerate() {
            assert!((1..=TasteTerms::MAX_CHARS).contains(&term.chars().count()));
            assert!(!term.contains([',', ';', '\n']) && no_unsafe_chars(term, &[]));
            assert!(!terms[..i].contains(term), "duplicate {term:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Inputs that have broken parsers elsewhere: empty and huge, every kind of number edge,
    /// invalid and tricky UTF-8 (reordering, zero-width, combining, case folding that changes
    /// length), injection attempts, and the structure of each format.
    fn hostile() -> Vec<Vec<u8>> {
        let mut inputs: Vec<Vec<u8>> = [
            "",
            " ",
            "\0",
            "\n",
            "\r\n",
            "\t",
            "-",
            "--",
            "----",
            "\u{202E}evil",
            "Ana\u{202E}lla",
            "\u{2066}x\u{2069}",
            "\u{200B}",
            "\u{200B}\u{FEFF}\u{00AD}",
            "A\u{0301}\u{0301}\u{0301}",
            "👩‍👩‍👧",
            "ǅ",
            "İİİİ",
            "ß",
            "ﬀ",
            "\u{212A}elvin",
            "\u{10FFFF}",
            "١٢٣",
            "½",
            "'; drop table guests; --",
            "\" or 1=1 --",
            "<script>alert(1)</script>",
            "{{7*7}}",
            "${jndi:ldap://x}",
            "../../etc/passwd",
            "%00",
            "%2e%2e%2f",
            "%FF%FE",
            "\r\nSet-Cookie: x=1",
            "-1",
            "0",
            "1",
            "3",
            "4",
            "4294967296",
            "9223372036854775807",
            "-9223372036854775808",
            "99999999999999999999",
            "1e309",
            "-1e309",
            "NaN",
            "inf",
            "-0",
            "0x10",
            "1_000",
            "+5",
            "5.",
            ".5",
            "<pick id=\"x\">",
            "<pick id=\"x\"/>",
            "</pick>",
            "<PICK ID='a'>b</PICK>",
            "<pick id=\"",
            "<pick<pick</pick></pick>",
            "<pick id=\"a\"><pick id=\"b\">c</pick></pick>",
            "<pickles>",
            "<pick data-id=x>y</pick>",
            "ABCD-EFGH",
            "abcd-efgh-",
            "zzzz",
            "ab",
            "ṠḞḞ",
            "q=lime&q=gin",
            "alcohol_free=maybe",
            "available=TRUE",
            "q=%FF%FE",
            "&&&===",
            "q=%00",
            "ingredient=+++",
            "#a1b2c3",
            "#A1B2C3",
            "#a1b2c",
            "#gggggg",
            "rocks",
            "ROCKS",
            "copper mug",
            "on",
            "true",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        inputs.extend([
            vec![0xFF],
            vec![0xFF, 0xFE],
            vec![0xC3],
            vec![0xED, 0xA0, 0x80],
            vec![0xF4, 0x90, 0x80, 0x80],
            vec![0xFF; 12],
            vec![0; 64],
            "a".repeat(10_000).into_bytes(),
            "9".repeat(400).into_bytes(),
            format!("q={}", "x".repeat(101)).into_bytes(),
            format!("bbk_{}", "A".repeat(32)).into_bytes(),
            format!(
                "{}\u{FF}image/png\u{FF}5\u{FF}1\u{FF}{}",
                "a".repeat(32),
                "0".repeat(64)
            )
            .into_bytes(),
            format!("<pick id=\"x\">{}</pick>", "r".repeat(2100)).into_bytes(),
            format!("<pick id=\"{}\">r</pick>", "9".repeat(70)).into_bytes(),
            join_fields(&[
                "Negroni",
                "s",
                "Bitter",
                "24",
                "rocks",
                "#aa0000",
                "bitter, classic",
                "Stir",
                "Gin",
                "30",
                "ml",
                "on",
            ]),
        ]);
        inputs
    }

    fn join_fields(fields: &[&str]) -> Vec<u8> {
        fields
            .iter()
            .map(|f| f.as_bytes().to_vec())
            .collect::<Vec<_>>()
            .join(&0xFF)
    }

    /// Pieces that generated inputs are made of.
    const TOKENS: &[&str] = &[
        "<pick",
        " id=\"",
        "id=",
        "'",
        "\"",
        ">",
        "/>",
        "</pick>",
        "</PICK>",
        "<",
        "bbk_",
        "-",
        "=",
        "&",
        "q=",
        "ingredient=",
        "available=",
        "alcohol_free=",
        "true",
        "false",
        "%",
        "%2",
        "+",
        ",",
        ";",
        "\n",
        " ",
        "\u{202E}",
        "\u{200B}",
        "é",
        "İ",
        "👩‍👧",
        "#",
        "a1",
        "ABC",
        "xyz",
        "0",
        "9",
        "1e3",
        "NaN",
        "\0",
        "\u{FF}",
    ];

    fn generated(rng: &mut rand::rngs::StdRng, seeds: &[Vec<u8>]) -> Vec<u8> {
        match rng.random_range(0..3) {
            0 => (0..rng.random_range(0..80)).map(|_| rng.random()).collect(),
            1 => (0..rng.random_range(1..16))
                .flat_map(|_| {
                    let token = TOKENS[rng.random_range(0..TOKENS.len())];
                    if token == "\u{FF}" {
                        vec![0xFF]
                    } else {
                        token.as_bytes().to_vec()
                    }
                })
                .collect(),
            _ => {
                let mut input = seeds[rng.random_range(0..seeds.len())].clone();
                for _ in 0..rng.random_range(1..4) {
                    let at = rng.random_range(0..=input.len());
                    match rng.random_range(0..3) {
                        0 => input.insert(at, rng.random()),
                        1 if at < input.len() => {
                            input.remove(at);
                        }
                        _ => {
                            let token = TOKENS[rng.random_range(0..TOKENS.len())].as_bytes();
                            input.splice(at..at, token.iter().copied());
                        }
                    }
                }
                input
            }
        }
    }

    /// How many generated inputs each target gets in `make test` (`FUZZ_CASES` to change).
    fn cases() -> usize {
        std::env::var("FUZZ_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(5_000)
    }

    #[test]
    fn every_target_holds_on_hostile_and_generated_input() {
        let seeds = hostile();
        for (name, target) in TARGETS {
            for input in &seeds {
                target(input);
            }
            let mut rng = rand::rngs::StdRng::seed_from_u64(0xBA12_BAC4);
            for _ in 0..cases() {
                let input = generated(&mut rng, &seeds);
                if std::panic::catch_unwind(|| target(&input)).is_err() {
                    panic!("fuzz target {name} failed on {input:?}");
                }
            }
        }
    }

    #[test]
    fn split_fields_keep_every_byte_but_the_separator() {
        assert_eq!(fields(b"a\xFFb\xFFc\xFFd", 3), ["a", "b", "c\u{FFFD}d"]);
        assert_eq!(fields(b"", 2), ["", ""]);
    }
}
