//! Test inputs: photos (a real one and a decompression bomb) and the drink editor's fields.

/// A photo of `width` × `height` in `format`; `tint` makes photos differ from each other.
pub fn test_photo(width: u32, height: u32, format: image::ImageFormat, tint: u8) -> Vec<u8> {
    let image = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, tint])
    }));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

/// A decompression bomb: a tiny PNG that claims 7000 × 7000 (49 megapixels).
pub fn bomb_png() -> Vec<u8> {
    let mut bomb = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bomb, 7_000, 7_000);
        encoder.set_color(png::ColorType::Grayscale);
        let mut writer = encoder.write_header().expect("png header");
        writer
            .write_image_data(&vec![0u8; 7_000 * 7_000])
            .expect("png data");
    }
    bomb
}

/// The fields of the admin's drink form for a new drink in `section`.
pub fn drink_fields<'a>(
    section: &'a str,
    name: &'a str,
    amount: &'a str,
) -> Vec<(&'static str, &'a str)> {
    vec![
        ("form[id]", ""),
        ("form[name]", name),
        ("form[section_id]", section),
        ("form[description]", "Bright and bubbly."),
        ("form[abv]", "11"),
        ("form[glass]", "wine"),
        ("form[color]", "#f0c040"),
        ("form[tags]", "fizzy, fruity"),
        ("form[steps]", "Build over ice.\nTop with prosecco."),
        ("form[lines][0][ingredient]", "Prosecco"),
        ("form[lines][0][amount]", "90"),
        ("form[lines][0][unit]", "ml"),
        ("form[lines][1][ingredient]", "Elderflower liqueur"),
        ("form[lines][1][amount]", amount),
        ("form[lines][1][unit]", "ml"),
        ("form[lines][2][ingredient]", "Mint"),
        ("form[lines][2][amount]", "1"),
        ("form[lines][2][unit]", "sprig"),
        ("form[lines][2][optional]", "on"),
    ]
}
