//! A drink as the host submits it from the menu editor, checked field by field.

use super::*;

/// A drink as the host submits it, before any database work; `parse` checks every field.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DrinkForm {
    /// Empty for a new drink.
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub section_id: String,
    #[serde(default)]
    pub description: String,
    pub abv: String,
    pub glass: String,
    pub color: String,
    /// Comma-separated flavour tags.
    #[serde(default)]
    pub tags: String,
    /// One step per line.
    #[serde(default)]
    pub steps: String,
    #[serde(default)]
    pub lines: Vec<LineForm>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LineForm {
    #[serde(default)]
    pub ingredient: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub unit: String,
    /// A checkbox: present ("on"/"true") when ticked.
    #[serde(default)]
    pub optional: Option<String>,
}

/// A checked drink, ready for the store.
#[derive(Clone, Debug, PartialEq)]
pub struct DrinkInput {
    pub name: String,
    pub section_id: String,
    pub description: String,
    pub abv: f64,
    pub glass: String,
    pub color: String,
    pub tags: Vec<String>,
    pub steps: Vec<String>,
    pub lines: Vec<LineInput>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LineInput {
    pub ingredient: String,
    pub amount: f64,
    pub unit: String,
    pub optional: bool,
}

/// The glasses a drink can be served in (the illustration follows it).
pub const GLASSES: &[&str] = &[
    "rocks",
    "highball",
    "coupe",
    "martini",
    "wine",
    "copper mug",
    "hurricane",
];

fn bounded(
    field: &str,
    label: &str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, AppError> {
    let text = raw.trim();
    let len = text.chars().count();
    if len < min {
        return Err(AppError::invalid(
            field,
            format!("{label} cannot be empty."),
        ));
    }
    if len > max {
        return Err(AppError::invalid(
            field,
            format!("{label} can be at most {max} characters."),
        ));
    }
    if text.chars().any(|c| unsafe_char(c) && c != '\n') {
        return Err(AppError::invalid(
            field,
            format!("{label} cannot contain control characters."),
        ));
    }
    Ok(text.to_string())
}

/// A section or ingredient name: 1–60 characters.
pub fn parse_name(field: &str, label: &str, raw: &str) -> Result<String, AppError> {
    let name = bounded(field, label, raw, 1, 60)?;
    if name.contains('\n') {
        return Err(AppError::invalid(
            field,
            format!("{label} must be on one line."),
        ));
    }
    Ok(name)
}

impl DrinkForm {
    pub fn parse(&self) -> Result<DrinkInput, AppError> {
        let name = parse_name("name", "The name", &self.name)?;
        let description = bounded("description", "The description", &self.description, 0, 300)?;
        let abv: f64 = self
            .abv
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("abv", "ABV must be a number, e.g. 12.5."))?;
        if !(0.0..=80.0).contains(&abv) {
            return Err(AppError::invalid("abv", "ABV must be between 0 and 80 %."));
        }
        let glass = self.glass.trim().to_lowercase();
        if !GLASSES.contains(&glass.as_str()) {
            return Err(AppError::invalid(
                "glass",
                format!("Pick a glass: {}.", GLASSES.join(", ")),
            ));
        }
        let color = self.color.trim().to_lowercase();
        if color.len() != 7
            || !color.starts_with('#')
            || !color[1..].chars().all(|c| c.is_ascii_hexdigit())
        {
            return Err(AppError::invalid(
                "color",
                "The colour must look like #a1b2c3.",
            ));
        }
        let tags: Vec<String> = self
            .tags
            .split(',')
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        if tags.len() > 12 || tags.iter().any(|t| t.chars().count() > 24) {
            return Err(AppError::invalid(
                "tags",
                "Up to 12 tags of at most 24 characters.",
            ));
        }
        let steps: Vec<String> = self
            .steps
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if steps.len() > 20 || steps.iter().any(|s| s.chars().count() > 300) {
            return Err(AppError::invalid(
                "steps",
                "Up to 20 steps of at most 300 characters.",
            ));
        }
        let mut lines = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            if line.ingredient.trim().is_empty() && line.amount.trim().is_empty() {
                continue; // an unused blank row
            }
            let n = i + 1;
            let ingredient = parse_name("lines", &format!("Ingredient {n}"), &line.ingredient)?;
            let amount: f64 = line.amount.trim().parse().map_err(|_| {
                AppError::invalid(
                    "lines",
                    format!("The amount of {ingredient} must be a number."),
                )
            })?;
            if !(amount > 0.0 && amount <= 2000.0) {
                return Err(AppError::invalid(
                    "lines",
                    format!("The amount of {ingredient} must be more than 0 and at most 2000."),
                ));
            }
            let unit = bounded(
                "lines",
                &format!("The unit of {ingredient}"),
                &line.unit,
                0,
                20,
            )?;
            if lines
                .iter()
                .any(|l: &LineInput| l.ingredient.eq_ignore_ascii_case(&ingredient))
            {
                return Err(AppError::invalid(
                    "lines",
                    format!("{ingredient} is listed twice."),
                ));
            }
            let optional = line
                .optional
                .as_deref()
                .is_some_and(|v| matches!(v, "on" | "true"));
            lines.push(LineInput {
                ingredient,
                amount,
                unit,
                optional,
            });
        }
        if lines.is_empty() {
            return Err(AppError::invalid(
                "lines",
                "A drink needs at least one ingredient.",
            ));
        }
        if lines.len() > 20 {
            return Err(AppError::invalid("lines", "At most 20 ingredients."));
        }
        Ok(DrinkInput {
            name,
            section_id: self.section_id.trim().to_string(),
            description,
            abv,
            glass,
            color,
            tags,
            steps,
            lines,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> DrinkForm {
        DrinkForm {
            name: "Gin Fizz".into(),
            section_id: "s".into(),
            abv: "12".into(),
            glass: "highball".into(),
            color: "#EEEEEE".into(),
            tags: "Fizzy, sour,,".into(),
            steps: "Shake.\n\n  Top with soda.  ".into(),
            lines: vec![
                LineForm {
                    ingredient: "Gin".into(),
                    amount: "45".into(),
                    unit: "ml".into(),
                    optional: None,
                },
                LineForm::default(),
                LineForm {
                    ingredient: "Lemon".into(),
                    amount: "1".into(),
                    unit: "wedge".into(),
                    optional: Some("on".into()),
                },
            ],
            ..DrinkForm::default()
        }
    }

    #[test]
    fn a_good_form_parses_with_blank_rows_skipped() {
        let input = form().parse().unwrap();
        assert_eq!(input.tags, ["fizzy", "sour"]);
        assert_eq!(input.steps, ["Shake.", "Top with soda."]);
        assert_eq!(input.lines.len(), 2);
        assert!(input.lines[1].optional && !input.lines[0].optional);
        assert_eq!(input.color, "#eeeeee");
    }

    #[test]
    fn every_bad_field_is_named() {
        type Change = Box<dyn Fn(&mut DrinkForm)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|f| f.name = "  ".into()), "name"),
            (Box::new(|f| f.abv = "strong".into()), "abv"),
            (Box::new(|f| f.abv = "-1".into()), "abv"),
            (Box::new(|f| f.glass = "boot".into()), "glass"),
            (Box::new(|f| f.color = "red".into()), "color"),
            (Box::new(|f| f.lines[0].amount = "-5".into()), "lines"),
            (Box::new(|f| f.lines[0].amount = "lots".into()), "lines"),
            (Box::new(|f| f.lines[2].ingredient = "gin".into()), "lines"),
            (Box::new(|f| f.lines.clear()), "lines"),
        ];
        for (change, field) in cases {
            let mut f = form();
            change(&mut f);
            match f.parse() {
                Err(AppError::Invalid { field: got, .. }) => assert_eq!(got, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }
}
