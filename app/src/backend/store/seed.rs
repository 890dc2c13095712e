//! The demo bar: real cocktails and mocktails with standard specs, so `make run` shows a menu worth
//! ordering from. Seeding only ever fills an empty bar, in one transaction, so it is idempotent.

use super::menu::{insert_drink, insert_ingredient, insert_section};
use super::{NewDrink, NewIngredient, NewRecipeLine, NewSection, Store};
use crate::backend::illustration::{Garnish, Glass};
use std::collections::HashMap;

pub struct DemoDrink {
    pub name: &'static str,
    pub section: usize,
    pub glass: Glass,
    pub color: &'static str,
    pub garnish: Garnish,
    pub abv: f64,
    pub tags: &'static [&'static str],
    pub description: &'static str,
    /// (ingredient, amount, unit, optional)
    pub lines: &'static [(&'static str, f64, &'static str, bool)],
    pub steps: &'static [&'static str],
}

impl DemoDrink {
    /// "Dark 'n' Stormy" → "dark-n-stormy": the illustration's file name.
    pub fn slug(&self) -> String {
        let mut slug = String::new();
        for ch in self.name.chars() {
            match ch {
                'a'..='z' | 'A'..='Z' | '0'..='9' => slug.push(ch.to_ascii_lowercase()),
                'ñ' => slug.push('n'),
                _ if !slug.ends_with('-') && !slug.is_empty() => slug.push('-'),
                _ => {}
            }
        }
        slug.trim_end_matches('-').to_string()
    }

    pub fn image(&self) -> String {
        format!("/demo/{}.svg", self.slug())
    }
}

pub const SECTIONS: &[&str] = &[
    "Classics",
    "Sours & Fizzes",
    "Tall & Tropical",
    "Alcohol-free",
];

/// In the demo one bottle has run dry, so guests see how an unavailable drink looks.
pub const OUT_OF_STOCK: &[&str] = &["Absinthe"];

use Garnish as G;
use Glass as Gl;

#[rustfmt::skip]
pub const DRINKS: &[DemoDrink] = &[
    DemoDrink {
        name: "Negroni", section: 0, glass: Gl::Rocks, color: "#b3141e", garnish: G::OrangePeel, abv: 24.0,
        tags: &["bitter", "strong", "stirred", "herbal"],
        description: "Equal parts gin, Campari and sweet vermouth: bitter, bold and bright.",
        lines: &[("Gin", 30.0, "ml", false), ("Campari", 30.0, "ml", false), ("Sweet vermouth", 30.0, "ml", false), ("Orange peel", 1.0, "piece", true)],
        steps: &["Stir gin, Campari and vermouth with ice for 30 seconds.", "Strain over a large ice cube.", "Express the orange peel over the glass and drop it in."],
    },
    DemoDrink {
        name: "Old Fashioned", section: 0, glass: Gl::Rocks, color: "#b8650f", garnish: G::OrangePeel, abv: 32.0,
        tags: &["strong", "stirred", "sweet", "whiskey"],
        description: "Bourbon softened with a little sugar and bitters, slowly stirred.",
        lines: &[("Bourbon", 60.0, "ml", false), ("Sugar syrup", 7.5, "ml", false), ("Angostura bitters", 2.0, "dashes", false), ("Orange peel", 1.0, "piece", true)],
        steps: &["Stir bourbon, syrup and bitters with ice until well chilled.", "Strain over a large ice cube.", "Express the orange peel and garnish."],
    },
    DemoDrink {
        name: "Manhattan", section: 0, glass: Gl::Coupe, color: "#7d1f1a", garnish: G::Cherry, abv: 30.0,
        tags: &["strong", "stirred", "whiskey", "sweet"],
        description: "Rye whiskey and sweet vermouth with a dash of bitters, served up.",
        lines: &[("Rye whiskey", 50.0, "ml", false), ("Sweet vermouth", 20.0, "ml", false), ("Angostura bitters", 1.0, "dash", false), ("Cocktail cherry", 1.0, "piece", true)],
        steps: &["Stir everything with ice for 30 seconds.", "Strain into a chilled coupe.", "Garnish with a cherry."],
    },
    DemoDrink {
        name: "Dry Martini", section: 0, glass: Gl::Martini, color: "#e9efd6", garnish: G::Olive, abv: 30.0,
        tags: &["strong", "stirred", "dry", "herbal"],
        description: "Ice-cold gin with a whisper of dry vermouth.",
        lines: &[("Gin", 60.0, "ml", false), ("Dry vermouth", 10.0, "ml", false), ("Green olive", 1.0, "piece", true)],
        steps: &["Stir gin and vermouth with ice until very cold.", "Strain into a chilled martini glass.", "Garnish with an olive or a lemon twist."],
    },
    DemoDrink {
        name: "Boulevardier", section: 0, glass: Gl::Rocks, color: "#8f1b15", garnish: G::OrangePeel, abv: 25.0,
        tags: &["bitter", "strong", "stirred", "whiskey"],
        description: "The Negroni's warmer cousin, with bourbon in place of gin.",
        lines: &[("Bourbon", 45.0, "ml", false), ("Campari", 30.0, "ml", false), ("Sweet vermouth", 30.0, "ml", false), ("Orange peel", 1.0, "piece", true)],
        steps: &["Stir everything with ice for 30 seconds.", "Strain over a large ice cube.", "Garnish with orange peel."],
    },
    DemoDrink {
        name: "Espresso Martini", section: 0, glass: Gl::Martini, color: "#3b2417", garnish: G::CoffeeBeans, abv: 17.0,
        tags: &["coffee", "sweet", "shaken", "creamy"],
        description: "Vodka, coffee liqueur and fresh espresso shaken to a velvet crema.",
        lines: &[("Vodka", 50.0, "ml", false), ("Coffee liqueur", 30.0, "ml", false), ("Espresso", 30.0, "ml", false), ("Sugar syrup", 5.0, "ml", true), ("Coffee beans", 3.0, "pieces", true)],
        steps: &["Shake vodka, coffee liqueur, espresso and syrup hard with ice.", "Double strain into a chilled martini glass.", "Float three coffee beans on the foam."],
    },
    DemoDrink {
        name: "Sazerac", section: 0, glass: Gl::Rocks, color: "#a3561f", garnish: G::LemonPeel, abv: 33.0,
        tags: &["strong", "stirred", "whiskey", "anise"],
        description: "New Orleans rye with Peychaud's bitters in an absinthe-rinsed glass.",
        lines: &[("Absinthe", 5.0, "ml", false), ("Rye whiskey", 50.0, "ml", false), ("Sugar syrup", 7.5, "ml", false), ("Peychaud's bitters", 3.0, "dashes", false), ("Lemon peel", 1.0, "piece", true)],
        steps: &["Rinse a chilled rocks glass with absinthe and discard the excess.", "Stir rye, syrup and bitters with ice.", "Strain into the glass, no ice.", "Express the lemon peel over the top and discard it."],
    },
    DemoDrink {
        name: "Mezcal Negroni", section: 0, glass: Gl::Rocks, color: "#a81e1e", garnish: G::OrangePeel, abv: 24.0,
        tags: &["smoky", "bitter", "strong", "stirred"],
        description: "A Negroni with mezcal: the same bittersweet balance, wrapped in smoke.",
        lines: &[("Mezcal", 30.0, "ml", false), ("Campari", 30.0, "ml", false), ("Sweet vermouth", 30.0, "ml", false), ("Orange peel", 1.0, "piece", true)],
        steps: &["Stir mezcal, Campari and vermouth with ice.", "Strain over a large ice cube.", "Garnish with orange peel."],
    },
    DemoDrink {
        name: "Margarita", section: 1, glass: Gl::Coupe, color: "#dfe6a3", garnish: G::LimeWheel, abv: 22.0,
        tags: &["sour", "citrus", "shaken", "salty"],
        description: "Tequila, orange liqueur and fresh lime, with a salted rim if you like.",
        lines: &[("Blanco tequila", 50.0, "ml", false), ("Triple sec", 20.0, "ml", false), ("Lime juice", 15.0, "ml", false), ("Salt", 1.0, "pinch", true)],
        steps: &["Rim half the glass with salt, if wanted.", "Shake tequila, triple sec and lime with ice.", "Strain into the chilled glass."],
    },
    DemoDrink {
        name: "Daiquiri", section: 1, glass: Gl::Coupe, color: "#eef2cc", garnish: G::LimeWheel, abv: 21.0,
        tags: &["sour", "citrus", "shaken", "rum", "fresh"],
        description: "White rum, lime and sugar: the perfect three-ingredient sour.",
        lines: &[("White rum", 60.0, "ml", false), ("Lime juice", 20.0, "ml", false), ("Sugar syrup", 10.0, "ml", false)],
        steps: &["Shake everything hard with ice.", "Double strain into a chilled coupe."],
    },
    DemoDrink {
        name: "Whiskey Sour", section: 1, glass: Gl::Rocks, color: "#e8c46c", garnish: G::Cherry, abv: 16.0,
        tags: &["sour", "shaken", "whiskey", "creamy"],
        description: "Bourbon, lemon and sugar shaken silky with egg white.",
        lines: &[("Bourbon", 45.0, "ml", false), ("Lemon juice", 25.0, "ml", false), ("Sugar syrup", 20.0, "ml", false), ("Egg white", 20.0, "ml", true), ("Angostura bitters", 2.0, "dashes", true)],
        steps: &["Dry shake everything without ice to foam the egg white.", "Shake again with ice.", "Strain over fresh ice and dot the foam with bitters."],
    },
    DemoDrink {
        name: "Tom Collins", section: 1, glass: Gl::Highball, color: "#f1f5df", garnish: G::LemonWheel, abv: 10.0,
        tags: &["sour", "fizzy", "light", "citrus", "refreshing"],
        description: "Gin lemonade for grown-ups: tall, fizzy and tart.",
        lines: &[("Gin", 45.0, "ml", false), ("Lemon juice", 30.0, "ml", false), ("Sugar syrup", 15.0, "ml", false), ("Soda water", 60.0, "ml", false)],
        steps: &["Shake gin, lemon and syrup with ice.", "Strain into a highball over fresh ice.", "Top with soda and garnish with a lemon wheel."],
    },
    DemoDrink {
        name: "Cosmopolitan", section: 1, glass: Gl::Martini, color: "#e0467c", garnish: G::LimeWheel, abv: 20.0,
        tags: &["fruity", "sour", "shaken", "citrus"],
        description: "Citrus vodka, orange liqueur, cranberry and lime: pink and sharp.",
        lines: &[("Citrus vodka", 40.0, "ml", false), ("Triple sec", 15.0, "ml", false), ("Lime juice", 15.0, "ml", false), ("Cranberry juice", 30.0, "ml", false)],
        steps: &["Shake everything with ice.", "Double strain into a chilled martini glass."],
    },
    DemoDrink {
        name: "Pisco Sour", section: 1, glass: Gl::Coupe, color: "#f2ead0", garnish: G::Bitters, abv: 16.0,
        tags: &["sour", "shaken", "creamy", "citrus"],
        description: "Peru's national drink: pisco and lime under a cloud of foam.",
        lines: &[("Pisco", 60.0, "ml", false), ("Lime juice", 30.0, "ml", false), ("Sugar syrup", 20.0, "ml", false), ("Egg white", 25.0, "ml", true), ("Angostura bitters", 3.0, "drops", true)],
        steps: &["Dry shake everything without ice.", "Shake again with ice.", "Strain into a coupe and drop the bitters on the foam."],
    },
    DemoDrink {
        name: "Sidecar", section: 1, glass: Gl::Coupe, color: "#d99a3b", garnish: G::OrangePeel, abv: 26.0,
        tags: &["sour", "shaken", "citrus", "strong"],
        description: "Cognac, orange liqueur and lemon: a 1920s Paris classic.",
        lines: &[("Cognac", 50.0, "ml", false), ("Triple sec", 20.0, "ml", false), ("Lemon juice", 20.0, "ml", false)],
        steps: &["Shake everything with ice.", "Strain into a chilled coupe, sugar-rimmed if you like."],
    },
    DemoDrink {
        name: "Penicillin", section: 1, glass: Gl::Rocks, color: "#e0b44f", garnish: G::Ginger, abv: 18.0,
        tags: &["smoky", "sour", "spicy", "honey", "whiskey"],
        description: "Blended Scotch, lemon and honey-ginger, with a smoky Islay float.",
        lines: &[("Blended Scotch", 60.0, "ml", false), ("Lemon juice", 22.5, "ml", false), ("Honey-ginger syrup", 22.5, "ml", false), ("Islay Scotch", 7.5, "ml", false), ("Candied ginger", 1.0, "piece", true)],
        steps: &["Shake blended Scotch, lemon and honey-ginger syrup with ice.", "Strain over fresh ice.", "Float the Islay Scotch on top and garnish with candied ginger."],
    },
    DemoDrink {
        name: "Mojito", section: 2, glass: Gl::Highball, color: "#d5ecc1", garnish: G::Mint, abv: 10.0,
        tags: &["fresh", "minty", "fizzy", "citrus", "rum", "refreshing"],
        description: "White rum, lime and mint, lengthened with soda over crushed ice.",
        lines: &[("White rum", 45.0, "ml", false), ("Lime juice", 20.0, "ml", false), ("Sugar syrup", 15.0, "ml", false), ("Mint", 6.0, "sprigs", false), ("Soda water", 60.0, "ml", false)],
        steps: &["Gently press the mint with syrup and lime in the glass.", "Add rum and fill with crushed ice.", "Top with soda, stir, and garnish with a mint sprig."],
    },
    DemoDrink {
        name: "Moscow Mule", section: 2, glass: Gl::Mug, color: "#e9dfb0", garnish: G::LimeWheel, abv: 9.0,
        tags: &["spicy", "fizzy", "refreshing", "citrus"],
        description: "Vodka and lime topped with fiery ginger beer, in a copper mug.",
        lines: &[("Vodka", 45.0, "ml", false), ("Lime juice", 10.0, "ml", false), ("Ginger beer", 120.0, "ml", false)],
        steps: &["Fill the mug with ice.", "Add vodka and lime, then top with ginger beer.", "Stir gently and garnish with lime."],
    },
    DemoDrink {
        name: "Aperol Spritz", section: 2, glass: Gl::Wine, color: "#f46a1c", garnish: G::OrangeWheel, abv: 11.0,
        tags: &["bitter", "fizzy", "light", "fruity", "refreshing"],
        description: "Prosecco, Aperol and soda: the taste of a Venetian afternoon.",
        lines: &[("Prosecco", 90.0, "ml", false), ("Aperol", 60.0, "ml", false), ("Soda water", 30.0, "ml", false), ("Orange slice", 1.0, "piece", true)],
        steps: &["Fill a wine glass with ice.", "Add prosecco, then Aperol, then a splash of soda.", "Garnish with an orange slice."],
    },
    DemoDrink {
        name: "Piña Colada", section: 2, glass: Gl::Hurricane, color: "#f7efd3", garnish: G::Pineapple, abv: 13.0,
        tags: &["tropical", "creamy", "sweet", "fruity", "rum"],
        description: "Rum, coconut cream and pineapple, blended or shaken until frothy.",
        lines: &[("White rum", 50.0, "ml", false), ("Coconut cream", 30.0, "ml", false), ("Pineapple juice", 50.0, "ml", false), ("Pineapple wedge", 1.0, "piece", true)],
        steps: &["Shake everything hard with ice (or blend with crushed ice).", "Pour into a hurricane glass.", "Garnish with a pineapple wedge."],
    },
    DemoDrink {
        name: "Mai Tai", section: 2, glass: Gl::Rocks, color: "#d98b2c", garnish: G::Mint, abv: 19.0,
        tags: &["tropical", "fruity", "nutty", "strong", "rum", "sour"],
        description: "Aged rum, orange curaçao, orgeat and lime: the Tiki classic.",
        lines: &[("Aged rum", 60.0, "ml", false), ("Orange curaçao", 15.0, "ml", false), ("Orgeat", 15.0, "ml", false), ("Lime juice", 30.0, "ml", false), ("Sugar syrup", 7.5, "ml", true), ("Mint", 1.0, "sprig", true)],
        steps: &["Shake everything with crushed ice.", "Pour unstrained into a rocks glass.", "Garnish with a mint sprig and the spent lime shell."],
    },
    DemoDrink {
        name: "Dark 'n' Stormy", section: 2, glass: Gl::Highball, color: "#70401f", garnish: G::LimeWheel, abv: 12.0,
        tags: &["spicy", "fizzy", "rum", "refreshing"],
        description: "Dark rum floated over spicy ginger beer, like a storm cloud.",
        lines: &[("Dark rum", 60.0, "ml", false), ("Ginger beer", 100.0, "ml", false), ("Lime wedge", 1.0, "piece", true)],
        steps: &["Fill a highball with ice and ginger beer.", "Float the dark rum on top.", "Garnish with a lime wedge."],
    },
    DemoDrink {
        name: "Paloma", section: 2, glass: Gl::Highball, color: "#f6a89d", garnish: G::GrapefruitWheel, abv: 9.0,
        tags: &["fizzy", "citrus", "refreshing", "salty", "light"],
        description: "Mexico's favourite: tequila, lime and pink grapefruit soda with a pinch of salt.",
        lines: &[("Blanco tequila", 50.0, "ml", false), ("Lime juice", 15.0, "ml", false), ("Pink grapefruit soda", 100.0, "ml", false), ("Salt", 1.0, "pinch", true)],
        steps: &["Salt the rim of a highball, if wanted, and fill it with ice.", "Add tequila and lime, top with grapefruit soda.", "Stir gently."],
    },
    DemoDrink {
        name: "Gin & Tonic", section: 2, glass: Gl::Wine, color: "#e8f3f3", garnish: G::LimeWheel, abv: 9.0,
        tags: &["bitter", "fizzy", "light", "refreshing", "herbal"],
        description: "Gin and tonic over plenty of ice, with a wedge of lime.",
        lines: &[("Gin", 50.0, "ml", false), ("Tonic water", 150.0, "ml", false), ("Lime wedge", 1.0, "piece", true)],
        steps: &["Fill a large glass with ice.", "Add gin, then pour the tonic down a bar spoon.", "Garnish with lime."],
    },
    DemoDrink {
        name: "Nojito", section: 3, glass: Gl::Highball, color: "#dff2d1", garnish: G::Mint, abv: 0.0,
        tags: &["fresh", "minty", "fizzy", "citrus", "refreshing", "light"],
        description: "Everything you love about a Mojito, without the rum.",
        lines: &[("Lime juice", 20.0, "ml", false), ("Sugar syrup", 20.0, "ml", false), ("Mint", 8.0, "sprigs", false), ("Soda water", 120.0, "ml", false)],
        steps: &["Gently press the mint with syrup and lime in the glass.", "Fill with crushed ice.", "Top with soda and stir."],
    },
    DemoDrink {
        name: "Shirley Temple", section: 3, glass: Gl::Highball, color: "#f58ba0", garnish: G::Cherry, abv: 0.0,
        tags: &["sweet", "fizzy", "fruity"],
        description: "Ginger ale and grenadine with a cherry on top: sweet, pink and bubbly.",
        lines: &[("Ginger ale", 150.0, "ml", false), ("Grenadine", 15.0, "ml", false), ("Lime juice", 10.0, "ml", true), ("Cocktail cherry", 1.0, "piece", true)],
        steps: &["Fill a highball with ice and ginger ale.", "Pour in the grenadine and lime.", "Garnish with a cherry."],
    },
    DemoDrink {
        name: "Virgin Piña Colada", section: 3, glass: Gl::Hurricane, color: "#f8f1d8", garnish: G::Pineapple, abv: 0.0,
        tags: &["tropical", "creamy", "sweet", "fruity"],
        description: "Pineapple and coconut cream shaken frothy, no rum required.",
        lines: &[("Pineapple juice", 120.0, "ml", false), ("Coconut cream", 45.0, "ml", false), ("Lime juice", 10.0, "ml", false), ("Pineapple wedge", 1.0, "piece", true)],
        steps: &["Shake everything hard with ice (or blend with crushed ice).", "Pour into a hurricane glass.", "Garnish with a pineapple wedge."],
    },
    DemoDrink {
        name: "Cinderella", section: 3, glass: Gl::Hurricane, color: "#f7b54c", garnish: G::OrangeWheel, abv: 0.0,
        tags: &["fruity", "citrus", "fizzy", "sweet"],
        description: "Orange, pineapple and lemon with a splash of grenadine and soda.",
        lines: &[("Orange juice", 50.0, "ml", false), ("Pineapple juice", 50.0, "ml", false), ("Lemon juice", 20.0, "ml", false), ("Grenadine", 5.0, "ml", false), ("Soda water", 60.0, "ml", false)],
        steps: &["Shake the juices and grenadine with ice.", "Strain into a glass over fresh ice.", "Top with soda."],
    },
    DemoDrink {
        name: "Espresso Tonic", section: 3, glass: Gl::Highball, color: "#6b4526", garnish: G::OrangeWheel, abv: 0.0,
        tags: &["coffee", "bitter", "fizzy", "refreshing"],
        description: "A shot of espresso poured over tonic and ice: bitter, bright, awake.",
        lines: &[("Tonic water", 120.0, "ml", false), ("Espresso", 30.0, "ml", false), ("Orange slice", 1.0, "piece", true)],
        steps: &["Fill a glass with ice and tonic.", "Slowly pour the espresso over the back of a spoon.", "Garnish with an orange slice."],
    },
    DemoDrink {
        name: "Virgin Mary", section: 3, glass: Gl::Highball, color: "#c1392b", garnish: G::Celery, abv: 0.0,
        tags: &["savory", "spicy", "salty"],
        description: "Tomato juice seasoned with lemon, Worcestershire, hot sauce and pepper.",
        lines: &[("Tomato juice", 120.0, "ml", false), ("Lemon juice", 15.0, "ml", false), ("Worcestershire sauce", 3.0, "dashes", false), ("Hot sauce", 2.0, "dashes", false), ("Celery salt", 1.0, "pinch", true), ("Black pepper", 1.0, "pinch", true)],
        steps: &["Roll all ingredients between two shakers with ice.", "Strain into a highball over fresh ice.", "Garnish with a celery stick."],
    },
];

/// What `seed_demo` did.
#[derive(Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded {
        sections: usize,
        drinks: usize,
        ingredients: usize,
    },
    /// The bar already has a menu; nothing was touched.
    AlreadySeeded,
}

impl Store {
    /// Fills an empty bar with the demo menu, all in one transaction. A bar that has any section
    /// is left exactly as it is, so running this twice changes nothing.
    #[tracing::instrument(skip_all)]
    pub async fn seed_demo(&self) -> Result<SeedOutcome, sqlx::Error> {
        if self.count_sections().await? > 0 {
            return Ok(SeedOutcome::AlreadySeeded);
        }
        let mut tx = self.begin_write().await?;
        let mut section_ids = Vec::with_capacity(SECTIONS.len());
        for (position, name) in SECTIONS.iter().enumerate() {
            let new = NewSection {
                name,
                position: position as i64,
            };
            section_ids.push(insert_section(&mut tx, &new).await?);
        }
        let mut ingredient_ids: HashMap<&str, String> = HashMap::new();
        for drink in DRINKS {
            for (name, ..) in drink.lines {
                if !ingredient_ids.contains_key(name) {
                    let new = NewIngredient {
                        name,
                        in_stock: !OUT_OF_STOCK.contains(name),
                    };
                    ingredient_ids.insert(name, insert_ingredient(&mut tx, &new).await?);
                }
            }
        }
        for (position, drink) in DRINKS.iter().enumerate() {
            let image = drink.image();
            let lines = drink
                .lines
                .iter()
                .map(|(name, amount, unit, optional)| NewRecipeLine {
                    ingredient_id: &ingredient_ids[name],
                    amount: *amount,
                    unit,
                    optional: *optional,
                })
                .collect();
            let new = NewDrink {
                section_id: &section_ids[drink.section],
                name: drink.name,
                description: drink.description,
                abv: drink.abv,
                glass: drink.glass.name(),
                color: drink.color,
                image: &image,
                tags: drink.tags,
                steps: drink.steps,
                position: position as i64,
                lines,
            };
            insert_drink(&mut tx, &new).await?;
        }
        tx.commit().await?;
        Ok(SeedOutcome::Seeded {
            sections: SECTIONS.len(),
            drinks: DRINKS.len(),
            ingredients: ingredient_ids.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_bar_is_big_enough_and_has_an_alcohol_free_section() {
        assert!(DRINKS.len() >= 24);
        assert!(SECTIONS.len() >= 4);
        let alcohol_free = SECTIONS.iter().position(|s| *s == "Alcohol-free").unwrap();
        let in_it: Vec<_> = DRINKS
            .iter()
            .filter(|d| d.section == alcohol_free)
            .collect();
        assert!(in_it.len() >= 4);
        assert!(in_it.iter().all(|d| d.abv == 0.0));
        assert!(DRINKS.iter().all(|d| d.section < SECTIONS.len()));
    }

    #[test]
    fn every_demo_drink_has_a_unique_name_a_recipe_and_steps() {
        let mut slugs: Vec<_> = DRINKS.iter().map(DemoDrink::slug).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), DRINKS.len());
        for drink in DRINKS {
            assert!(
                drink.lines.iter().filter(|l| !l.3).count() >= 2,
                "{}",
                drink.name
            );
            assert!(drink.lines.iter().all(|l| l.1 > 0.0), "{}", drink.name);
            assert!(!drink.steps.is_empty(), "{}", drink.name);
        }
    }

    #[test]
    fn slugs_are_plain_ascii() {
        let pina = DRINKS.iter().find(|d| d.name == "Piña Colada").unwrap();
        assert_eq!(pina.slug(), "pina-colada");
        let stormy = DRINKS.iter().find(|d| d.name.starts_with("Dark")).unwrap();
        assert_eq!(stormy.slug(), "dark-n-stormy");
    }
}
