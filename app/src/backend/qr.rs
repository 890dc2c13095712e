//! QR codes for join links (the Invites page and the printable invite).

use qrcode::{render::svg, EcLevel, QrCode};

/// The URL as an SVG QR code that scales to its box; empty if the URL is too long to encode.
pub fn qr_svg(url: &str) -> String {
    match QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M) {
        Ok(code) => code
            .render::<svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
        Err(err) => {
            tracing::error!(error = %err, "could not make a QR code");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_join_link_becomes_a_scalable_svg() {
        let svg = qr_svg("http://192.168.1.20:3000/join/ABCD2345");
        assert!(svg.contains("<svg"), "{svg}");
        assert!(qr_svg(&"x".repeat(5000)).is_empty());
    }
}
