//! A drink as the host submits it from the menu editor, checked field by field.

use super::*;
use crate::model::DrinkOption;
use crate::says;

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
    /// One option per line: "Ice: normal, none, extra" (the first choice is the usual).
    #[serde(default)]
    pub options: String,
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
    pub options: Vec<DrinkOption>,
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
        return Err(AppError::invalid(field, says!(errors.text_empty, label)));
    }
    if len > max {
        return Err(AppError::invalid(
            field,
            says!(errors.text_too_long, label, max),
        ));
    }
    if text.chars().any(|c| unsafe_char(c) && c != '\n') {
        return Err(AppError::invalid(field, says!(errors.text_control, label)));
    }
    Ok(text.to_string())
}

/// A section or ingredient name: 1–60 characters.
pub fn parse_name(field: &str, label: &str, raw: &str) -> Result<String, AppError> {
    let name = bounded(field, label, raw, 1, 60)?;
    if name.contains('\n') {
        return Err(AppError::invalid(field, says!(errors.text_one_line, label)));
    }
    Ok(name)
}

impl DrinkForm {
    pub fn parse(&self) -> Result<DrinkInput, AppError> {
        let name = parse_name("name", &says!(errors.label_name), &self.name)?;
        let description = bounded(
            "description",
            &says!(errors.label_description),
            &self.description,
            0,
            300,
        )?;
        let abv: f64 = self
            .abv
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("abv", says!(errors.abv_not_number)))?;
        if !(0.0..=80.0).contains(&abv) {
            return Err(AppError::invalid("abv", says!(errors.abv_range)));
        }
        let glass = self.glass.trim().to_lowercase();
        if !GLASSES.contains(&glass.as_str()) {
            return Err(AppError::invalid(
                "glass",
                says!(errors.glass_pick, glasses = GLASSES.join(", ")),
            ));
        }
        let color = self.color.trim().to_lowercase();
        if color.len() != 7
            || !color.starts_with('#')
            || !color[1..].chars().all(|c| c.is_ascii_hexdigit())
        {
            return Err(AppError::invalid("color", says!(errors.colour_format)));
        }
        let tags: Vec<String> = self
            .tags
            .split(',')
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        if tags.len() > 12 || tags.iter().any(|t| t.chars().count() > 24) {
            return Err(AppError::invalid("tags", says!(errors.tags_rule)));
        }
        let steps: Vec<String> = self
            .steps
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if steps.len() > 20 || steps.iter().any(|s| s.chars().count() > 300) {
            return Err(AppError::invalid("steps", says!(errors.steps_rule)));
        }
        let mut lines = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            if line.ingredient.trim().is_empty() && line.amount.trim().is_empty() {
                continue; // an unused blank row
            }
            let n = i + 1;
            let ingredient = parse_name(
                "lines",
                &says!(errors.label_ingredient, n),
                &line.ingredient,
            )?;
            let amount: f64 = line.amount.trim().parse().map_err(|_| {
                AppError::invalid(
                    "lines",
                    says!(errors.amount_not_number, ingredient = &ingredient),
                )
            })?;
            if !(amount > 0.0 && amount <= 2000.0) {
                return Err(AppError::invalid(
                    "lines",
                    says!(errors.amount_range, ingredient = &ingredient),
                ));
            }
            let unit = bounded(
                "lines",
                &says!(errors.label_unit, ingredient = &ingredient),
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
                    says!(errors.ingredient_twice, ingredient = &ingredient),
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
            return Err(AppError::invalid("lines", says!(errors.ingredients_none)));
        }
        if lines.len() > 20 {
            return Err(AppError::invalid(
                "lines",
                says!(errors.ingredients_too_many),
            ));
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
            options: parse_options(&self.options)?,
        })
    }
}

/// The most options a drink may offer, and choices an option may have.
const MAX_OPTIONS: usize = 4;
const MAX_CHOICES: usize = 6;

/// A drink's options as the host writes them, one per line: "Ice: normal, none, extra". Each has
/// a name and 2 to 6 different choices of at most 24 characters; the first is the usual one.
pub fn parse_options(raw: &str) -> Result<Vec<DrinkOption>, AppError> {
    let invalid = |message: String| AppError::invalid("options", message);
    let mut options: Vec<DrinkOption> = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((name, choices)) = line.split_once(':') else {
            return Err(invalid(says!(errors.option_shape, line)));
        };
        let name = name.trim();
        let choices: Vec<String> = choices
            .split(',')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        let too_long = |text: &str| text.chars().count() > 24 || text.chars().any(unsafe_char);
        if name.is_empty() || too_long(name) || choices.iter().any(|c| too_long(c)) {
            return Err(invalid(says!(errors.option_lengths, line)));
        }
        if !(2..=MAX_CHOICES).contains(&choices.len()) {
            return Err(invalid(says!(
                errors.option_choice_count,
                name,
                max = MAX_CHOICES
            )));
        }
        let mut seen: Vec<String> = Vec::new();
        for choice in &choices {
            let key = choice.to_lowercase();
            if seen.contains(&key) {
                return Err(invalid(says!(errors.option_choice_twice, name, choice)));
            }
            seen.push(key);
        }
        if options.iter().any(|o| o.name.eq_ignore_ascii_case(name)) {
            return Err(invalid(says!(errors.option_twice, name)));
        }
        options.push(DrinkOption {
            name: name.to_string(),
            choices,
        });
    }
    if options.len() > MAX_OPTIONS {
        return Err(invalid(says!(errors.options_too_many, max = MAX_OPTIONS)));
    }
    Ok(options)
}

/// Options as the host edits them: `parse_options` reads this back to the same options.
pub fn options_text(options: &[DrinkOption]) -> String {
    options
        .iter()
        .map(|o| format!("{}: {}", o.name, o.choices.join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod option_tests {
    use super::*;

    #[test]
    fn options_are_lines_of_a_name_and_its_choices() {
        let options = parse_options("Ice: normal, none, extra\n\n  Double : no,yes ").unwrap();
        assert_eq!(
            options,
            [
                DrinkOption {
                    name: "Ice".into(),
                    choices: vec!["normal".into(), "none".into(), "extra".into()]
                },
                DrinkOption {
                    name: "Double".into(),
                    choices: vec!["no".into(), "yes".into()]
                },
            ]
        );
        assert_eq!(parse_options(&options_text(&options)).unwrap(), options);
        assert_eq!(parse_options("").unwrap(), []);
        for bad in [
            "Ice normal none",
            "Ice: normal",
            "Ice: a, b, c, d, e, f, g",
            "Ice: normal, Normal",
            ": a, b",
            "Ice: a, b\nice: c, d",
            "A: x, y\nB: x, y\nC: x, y\nD: x, y\nE: x, y",
            "Ice: a very very very long choice indeed, b",
        ] {
            assert!(parse_options(bad).is_err(), "{bad:?}");
        }
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
