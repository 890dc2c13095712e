//! Retrieval with embeddings (with Bedrock): every drink is embedded with Amazon Titan Text
//! Embeddings V2 by an outbox job when it is created or changed, and kept per drink; a guest's
//! message is embedded as it arrives, and the drinks nearest to it (cosine) are merged with the
//! house scoring into the menu the model sees. Offline, the house scoring alone decides.

use super::{AiError, Meter};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

/// Amazon Titan Text Embeddings V2, the default embedding model.
pub const TITAN_EMBED_V2: &str = "amazon.titan-embed-text-v2:0";

/// The vector size asked for: Titan V2 offers 256, 512 or 1024; a menu needs no more than 256.
pub const DIMENSIONS: usize = 256;

/// How many of the nearest drinks join the house's candidates.
pub const NEAREST: usize = 12;

/// How long embedding one text may take before retrieval is skipped for the message.
pub const EMBED_TIMEOUT: Duration = Duration::from_secs(5);

/// Each drink's vector, by drink id.
pub type DrinkVectors = Vec<(String, Vec<f32>)>;

/// Turns text into vectors through Bedrock's `InvokeModel`.
#[derive(Clone, Debug)]
pub struct Embedder {
    client: aws_sdk_bedrockruntime::Client,
    model_id: String,
    meter: Option<Arc<dyn Meter>>,
}

#[derive(serde::Deserialize)]
struct TitanOutput {
    embedding: Vec<f32>,
    #[serde(rename = "inputTextTokenCount", default)]
    tokens: i64,
}

impl Embedder {
    pub fn new(
        client: aws_sdk_bedrockruntime::Client,
        model_id: String,
        meter: Option<Arc<dyn Meter>>,
    ) -> Self {
        Embedder {
            client,
            model_id,
            meter,
        }
    }

    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// `text` as a unit vector.
    pub async fn embed(&self, text: &str) -> Result<Vec<f32>, AiError> {
        let body = json!({ "inputText": text, "dimensions": DIMENSIONS, "normalize": true });
        let output =
            super::bedrock::invoke_json(&self.client, &self.model_id, &body, EMBED_TIMEOUT).await?;
        let output: TitanOutput = serde_json::from_value(output)
            .map_err(|err| AiError::Parse(format!("embedding: {err}")))?;
        if let Some(meter) = &self.meter {
            meter.used(&self.model_id, output.tokens, 0);
        }
        if output.embedding.is_empty() || output.embedding.iter().any(|x| !x.is_finite()) {
            return Err(AiError::Parse(
                "the embedding was empty or not numbers".into(),
            ));
        }
        Ok(output.embedding)
    }
}

/// What a drink's vector is made from: its name, description, flavours and ingredients.
pub fn drink_text<'a>(
    name: &str,
    description: &str,
    tags: impl IntoIterator<Item = &'a str>,
    ingredients: impl IntoIterator<Item = &'a str>,
) -> String {
    let list = |items: Vec<&str>| {
        items
            .into_iter()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "{name}. {description}\nFlavours: {}\nIngredients: {}",
        list(tags.into_iter().collect()),
        list(ingredients.into_iter().collect())
    )
}

/// A short fingerprint of a drink's text: an unchanged drink is not embedded again.
pub fn text_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Cosine similarity; 0 for vectors of different sizes or no length.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    let (mut dot, mut aa, mut bb) = (0.0f32, 0.0f32, 0.0f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa == 0.0 || bb == 0.0 {
        return 0.0;
    }
    dot / (aa.sqrt() * bb.sqrt())
}

/// The `n` drinks nearest to `query`, nearest first.
pub fn nearest(query: &[f32], vectors: &DrinkVectors, n: usize) -> Vec<String> {
    let mut scored: Vec<(f32, &str)> = vectors
        .iter()
        .map(|(id, v)| (cosine(query, v), id.as_str()))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(n)
        .map(|(_, id)| id.to_string())
        .collect()
}

/// The house's ranking and the nearest drinks taken in turns (house first), each drink once.
pub fn merge(house: &[String], nearest: &[String]) -> Vec<String> {
    let mut merged: Vec<String> = Vec::with_capacity(house.len() + nearest.len());
    let longest = house.len().max(nearest.len());
    for i in 0..longest {
        for id in [house.get(i), nearest.get(i)].into_iter().flatten() {
            if !merged.contains(id) {
                merged.push(id.clone());
            }
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn nearest_ranks_by_cosine_and_ignores_other_sizes() {
        let vectors = vec![
            ("far".to_string(), vec![0.0, 1.0]),
            ("near".to_string(), vec![1.0, 0.1]),
            ("odd".to_string(), vec![1.0, 0.0, 0.0]),
            ("mid".to_string(), vec![1.0, 1.0]),
        ];
        assert_eq!(
            nearest(&[1.0, 0.0], &vectors, 3),
            ids(&["near", "mid", "far"])
        );
        assert!((cosine(&[2.0, 0.0], &[1.0, 0.0]) - 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
    }

    #[test]
    fn merge_takes_turns_and_keeps_each_drink_once() {
        assert_eq!(
            merge(&ids(&["a", "b", "c"]), &ids(&["x", "a", "y", "z"])),
            ids(&["a", "x", "b", "c", "y", "z"])
        );
        assert_eq!(merge(&ids(&["a"]), &[]), ids(&["a"]));
    }

    #[test]
    fn the_text_names_what_the_drink_is_and_its_hash_follows_it() {
        let text = drink_text(
            "Negroni",
            "Bitter and bold.",
            [" bitter ", ""],
            ["Campari", "gin"],
        );
        assert_eq!(
            text,
            "Negroni. Bitter and bold.\nFlavours: bitter\nIngredients: Campari, gin"
        );
        assert_eq!(text_hash(&text).len(), 24);
        assert_ne!(text_hash(&text), text_hash("Negroni."));
    }
}
