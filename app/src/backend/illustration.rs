//! Drink illustrations: an SVG glass of the drink's shape, filled with its colour, with its garnish.
//! The demo bar's images are generated here and shipped in `public/demo/` (nothing is downloaded);
//! a test keeps the shipped files equal to this generator's output.

use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Glass {
    Rocks,
    Highball,
    Coupe,
    Martini,
    Wine,
    Mug,
    Hurricane,
}

impl Glass {
    pub const ALL: [Glass; 7] = [
        Glass::Rocks,
        Glass::Highball,
        Glass::Coupe,
        Glass::Martini,
        Glass::Wine,
        Glass::Mug,
        Glass::Hurricane,
    ];

    pub fn from_name(name: &str) -> Option<Glass> {
        Glass::ALL.into_iter().find(|g| g.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Glass::Rocks => "rocks",
            Glass::Highball => "highball",
            Glass::Coupe => "coupe",
            Glass::Martini => "martini",
            Glass::Wine => "wine",
            Glass::Mug => "copper mug",
            Glass::Hurricane => "hurricane",
        }
    }

    /// (outline path, liquid path, rim point where a garnish sits, has ice, stem+foot)
    fn shape(
        self,
    ) -> (
        &'static str,
        &'static str,
        (i32, i32),
        bool,
        Option<&'static str>,
    ) {
        const STEM: &str = "M100 118 L100 196 M70 200 Q100 190 130 200";
        const TALL_STEM: &str = "M100 150 L100 198 M72 202 Q100 193 128 202";
        match self {
            Glass::Rocks => (
                "M48 104 L56 200 Q100 208 144 200 L152 104 Z",
                "M51 136 L57 196 Q100 204 143 196 L149 136 Z",
                (140, 104),
                true,
                None,
            ),
            Glass::Highball => (
                "M64 44 L70 204 Q100 210 130 204 L136 44 Z",
                "M65 70 L70.5 200 Q100 206 129.5 200 L135 70 Z",
                (128, 44),
                true,
                None,
            ),
            Glass::Coupe => (
                "M36 70 Q40 120 100 120 Q160 120 164 70 Z",
                "M42 80 Q48 114 100 114 Q152 114 158 80 Z",
                (156, 70),
                false,
                Some(STEM),
            ),
            Glass::Martini => (
                "M30 56 L170 56 L100 124 Z",
                "M42 66 L158 66 L100 118 Z",
                (160, 56),
                false,
                Some(STEM),
            ),
            Glass::Wine => (
                "M58 40 Q52 120 100 150 Q148 120 142 40 Z",
                "M57 74 Q54 122 100 144 Q146 122 143 74 Z",
                (136, 40),
                true,
                Some(TALL_STEM),
            ),
            Glass::Mug => (
                "M52 70 L56 200 Q96 208 136 200 L140 70 Z M140 96 Q176 100 170 140 Q166 170 138 170",
                "M54 72 L140 72 L139.5 84 L54.4 84 Z",
                (130, 70),
                false,
                None,
            ),
            Glass::Hurricane => (
                "M62 36 Q56 90 76 120 Q88 140 74 176 L70 200 Q100 208 130 200 L126 176 Q112 140 124 120 Q144 90 138 36 Z",
                "M61 64 Q57 92 77 121 Q89 141 75 176 L71 197 Q100 204 129 197 L125 176 Q111 141 123 121 Q143 92 139 64 Z",
                (132, 36),
                false,
                None,
            ),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Garnish {
    LimeWheel,
    LemonWheel,
    OrangeWheel,
    GrapefruitWheel,
    OrangePeel,
    LemonPeel,
    Cherry,
    Olive,
    Mint,
    CoffeeBeans,
    Pineapple,
    Ginger,
    Celery,
    Bitters,
    None,
}

fn citrus_wheel(svg: &mut String, (x, y): (i32, i32), rind: &str, flesh: &str) {
    let _ = write!(
        svg,
        r##"<circle cx="{x}" cy="{y}" r="20" fill="{rind}"/><circle cx="{x}" cy="{y}" r="16" fill="{flesh}"/>"##
    );
    for angle in (0..360).step_by(60) {
        let rad = f64::from(angle).to_radians();
        let (dx, dy) = (16.0 * rad.cos(), 16.0 * rad.sin());
        let _ = write!(
            svg,
            r##"<line x1="{x}" y1="{y}" x2="{:.1}" y2="{:.1}" stroke="{rind}" stroke-width="1.5" opacity="0.6"/>"##,
            f64::from(x) + dx,
            f64::from(y) + dy
        );
    }
}

fn garnish(svg: &mut String, kind: Garnish, (x, y): (i32, i32)) {
    match kind {
        Garnish::LimeWheel => citrus_wheel(svg, (x, y), "#5a9a2a", "#c8e68a"),
        Garnish::LemonWheel => citrus_wheel(svg, (x, y), "#e2c21d", "#fbef9a"),
        Garnish::OrangeWheel => citrus_wheel(svg, (x, y), "#e8780c", "#ffc069"),
        Garnish::GrapefruitWheel => citrus_wheel(svg, (x, y), "#e86a4f", "#ffb0a0"),
        Garnish::OrangePeel | Garnish::LemonPeel => {
            let color = if kind == Garnish::OrangePeel {
                "#ef7d16"
            } else {
                "#efd02a"
            };
            let _ = write!(
                svg,
                r##"<path d="M{} {} q14 -22 30 -6 q-10 -4 -18 8 q-6 8 -12 -2z" fill="{color}"/>"##,
                x - 16,
                y + 2
            );
        }
        Garnish::Cherry => {
            let _ = write!(
                svg,
                r##"<path d="M{x} {} q4 -22 18 -30" stroke="#4d6b1f" stroke-width="2.5" fill="none"/><circle cx="{x}" cy="{y}" r="11" fill="#b0102a"/><circle cx="{}" cy="{}" r="3" fill="#fff" opacity="0.6"/>"##,
                y - 8,
                x - 4,
                y - 4
            );
        }
        Garnish::Olive => {
            let _ = write!(
                svg,
                r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#8a6d3b" stroke-width="2.5"/><ellipse cx="{x}" cy="{y}" rx="11" ry="8" fill="#7f9a2c"/><circle cx="{}" cy="{y}" r="3" fill="#c0392b"/>"##,
                x - 30,
                y + 30,
                x + 20,
                y - 20,
                x + 6
            );
        }
        Garnish::Mint => {
            for (dx, dy, rot) in [(-8, 0, -30), (6, -6, 20), (0, -16, -5)] {
                let _ = write!(
                    svg,
                    r##"<ellipse cx="{}" cy="{}" rx="7" ry="13" fill="#3f9b48" transform="rotate({rot} {} {})"/>"##,
                    x + dx,
                    y + dy,
                    x + dx,
                    y + dy
                );
            }
        }
        Garnish::CoffeeBeans => {
            for dx in [-30, -12, 6] {
                let cx = x - 30 + dx + 30;
                let _ = write!(
                    svg,
                    r##"<ellipse cx="{cx}" cy="{}" rx="6" ry="4" fill="#3a2010"/><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#7a4a28" stroke-width="1"/>"##,
                    y + 14,
                    cx - 5,
                    y + 14,
                    cx + 5,
                    y + 14
                );
            }
        }
        Garnish::Pineapple => {
            let _ = write!(
                svg,
                r##"<path d="M{} {} l22 -26 l10 26 z" fill="#f4c430" stroke="#c99a10" stroke-width="2"/><path d="M{} {} l-4 -18 l8 10 l4 -16 l4 16 l8 -10 l-4 18z" fill="#3f8f3a"/>"##,
                x - 12,
                y + 4,
                x + 2,
                y - 20
            );
        }
        Garnish::Ginger => {
            let _ = write!(
                svg,
                r##"<rect x="{}" y="{}" width="18" height="14" rx="3" fill="#e9c77b" stroke="#b8913a" stroke-width="1.5" transform="rotate(15 {x} {y})"/>"##,
                x - 9,
                y - 7
            );
        }
        Garnish::Celery => {
            let _ = write!(
                svg,
                r##"<path d="M{} {} L{} {}" stroke="#8cc152" stroke-width="8" stroke-linecap="round"/><path d="M{} {} l-8 -14 M{} {} l6 -14" stroke="#5d9c2f" stroke-width="4" stroke-linecap="round"/>"##,
                x - 20,
                y + 40,
                x + 4,
                y - 24,
                x + 4,
                y - 24,
                x + 4,
                y - 24
            );
        }
        Garnish::None => {}
        Garnish::Bitters => {
            for dx in [-34, -22, -10] {
                let _ = write!(
                    svg,
                    r##"<circle cx="{}" cy="{}" r="3" fill="#8b1a1a"/>"##,
                    x + dx - 30,
                    y + 18
                );
            }
        }
    }
}

/// The SVG for a drink: 200×240, a soft backdrop in the drink's colour, the glass, ice and garnish.
pub fn drink_svg(name: &str, glass: Glass, color: &str, kind: Garnish) -> String {
    let (outline, liquid, rim, ice, stem) = glass.shape();
    let mut svg = String::with_capacity(2048);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 240" role="img" aria-label="{}">"##,
        escape(name)
    );
    let _ = write!(
        svg,
        r##"<rect width="200" height="240" fill="#f8f5f0"/><circle cx="100" cy="128" r="92" fill="{color}" opacity="0.18"/>"##
    );
    let _ = write!(svg, r##"<path d="{liquid}" fill="{color}"/>"##);
    if ice {
        let top = liquid_top(liquid);
        for (dx, dy, rot) in [(-24, 6, -8), (4, 2, 12), (-8, 28, 4)] {
            let _ = write!(
                svg,
                r##"<rect x="{}" y="{}" width="24" height="24" rx="4" fill="#ffffff" opacity="0.45" transform="rotate({rot} 100 {top})"/>"##,
                100 + dx - 4,
                top + dy
            );
        }
    }
    if glass == Glass::Mug {
        let _ = write!(
            svg,
            r##"<path d="{outline}" fill="#b87333" fill-rule="evenodd" stroke="#8a5426" stroke-width="3" stroke-linejoin="round"/><path d="M66 96 L69 186" stroke="#e8b07a" stroke-width="6" stroke-linecap="round" opacity="0.7"/><path d="{liquid}" fill="{color}"/>"##
        );
    } else {
        let _ = write!(
            svg,
            r##"<path d="{outline}" fill="#ffffff" fill-opacity="0.25" stroke="#55606b" stroke-width="3" stroke-linejoin="round"/>"##
        );
    }
    if let Some(stem) = stem {
        let _ = write!(
            svg,
            r##"<path d="{stem}" fill="none" stroke="#55606b" stroke-width="3" stroke-linecap="round"/>"##
        );
    }
    garnish(&mut svg, kind, rim);
    svg.push_str("</svg>\n");
    svg
}

/// Where a drink without a photo gets its picture: generated from its glass and colour.
pub fn illustration_url(glass: &str, color: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("glass", glass)
        .append_pair("color", color);
    format!("/illustration.svg?{}", query.finish())
}

/// `GET /illustration.svg?glass=…&color=#rrggbb`: the picture for drinks without a photo.
pub async fn serve(
    axum::extract::Query(params): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let glass = params
        .get("glass")
        .and_then(|g| Glass::from_name(g))
        .unwrap_or(Glass::Rocks);
    let color = params
        .get("color")
        .filter(|c| {
            c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|ch| ch.is_ascii_hexdigit())
        })
        .map_or("#d6d3d1", String::as_str);
    (
        [
            (http::header::CONTENT_TYPE, "image/svg+xml"),
            (
                http::header::CACHE_CONTROL,
                "public, max-age=31536000, immutable",
            ),
        ],
        drink_svg("", glass, color, Garnish::None),
    )
        .into_response()
}

/// The y of the liquid's first point: where ice floats.
fn liquid_top(path: &str) -> i32 {
    path.split_whitespace()
        .nth(1)
        .and_then(|y| y.parse::<f64>().ok())
        .map(|y| y as i32)
        .unwrap_or(120)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::store::seed::DRINKS;
    use std::path::PathBuf;

    fn public_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/demo")
    }

    /// Run with BARBACK_BLESS=1 to rewrite the shipped images after changing the generator.
    #[test]
    fn shipped_demo_illustrations_match_the_generator() {
        let dir = public_dir();
        let bless = std::env::var("BARBACK_BLESS").is_ok();
        if bless {
            std::fs::create_dir_all(&dir).unwrap();
        }
        for drink in DRINKS {
            let svg = drink_svg(drink.name, drink.glass, drink.color, drink.garnish);
            let path = dir.join(format!("{}.svg", drink.slug()));
            if bless {
                std::fs::write(&path, &svg).unwrap();
            }
            let shipped = std::fs::read_to_string(&path).unwrap_or_else(|_| {
                panic!("{} is missing; run with BARBACK_BLESS=1", path.display())
            });
            assert_eq!(
                shipped,
                svg,
                "{} is stale; run with BARBACK_BLESS=1",
                path.display()
            );
        }
    }

    #[test]
    fn the_glasses_hosts_pick_from_all_have_a_shape() {
        let names: Vec<_> = Glass::ALL.iter().map(|g| g.name()).collect();
        assert_eq!(names, crate::domain::GLASSES);
    }

    #[test]
    fn names_are_escaped_in_the_label() {
        let svg = drink_svg(
            "Dark 'n' Stormy <b>",
            Glass::Highball,
            "#000",
            Garnish::LimeWheel,
        );
        assert!(svg.contains("aria-label=\"Dark &#39;n&#39; Stormy &lt;b>\""));
    }
}
