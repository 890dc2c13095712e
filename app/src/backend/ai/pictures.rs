//! Drink photos from their prompts (with Bedrock): Amazon Nova Canvas, or Titan Image Generator,
//! through `InvokeModel` (both take the same `TEXT_IMAGE` request). The image goes through the
//! photo pipeline like an upload, and waits as a *proposed* photo until the host approves it.

use super::{AiError, Meter};
use base64::Engine;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// Amazon Nova Canvas, the default image model.
pub const NOVA_CANVAS: &str = "amazon.nova-canvas-v1:0";

/// A menu photo's shape (4:5, as the cards show it) and size.
pub const WIDTH: u32 = 1024;
pub const HEIGHT: u32 = 1280;

/// The longest prompt the image models take.
pub const MAX_PROMPT_CHARS: usize = 1024;

/// An image takes a while; past this the job tries again later.
pub const IMAGE_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Clone, Debug)]
pub struct ImageMaker {
    client: aws_sdk_bedrockruntime::Client,
    model_id: String,
    meter: Option<Arc<dyn Meter>>,
}

#[derive(serde::Deserialize)]
struct ImageOutput {
    #[serde(default)]
    images: Vec<String>,
    #[serde(default)]
    error: Option<String>,
}

impl ImageMaker {
    pub fn new(
        client: aws_sdk_bedrockruntime::Client,
        model_id: String,
        meter: Option<Arc<dyn Meter>>,
    ) -> Self {
        ImageMaker {
            client,
            model_id,
            meter,
        }
    }

    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// One image for `prompt`, as the model encoded it (PNG).
    pub async fn make(&self, prompt: &str) -> Result<Vec<u8>, AiError> {
        let text: String = prompt.chars().take(MAX_PROMPT_CHARS).collect();
        let body = json!({
            "taskType": "TEXT_IMAGE",
            "textToImageParams": { "text": text },
            "imageGenerationConfig": {
                "numberOfImages": 1,
                "width": WIDTH,
                "height": HEIGHT,
                "cfgScale": 6.5,
            },
        });
        let output =
            super::bedrock::invoke_json(&self.client, &self.model_id, &body, IMAGE_TIMEOUT).await?;
        let output: ImageOutput = serde_json::from_value(output)
            .map_err(|err| AiError::Parse(format!("image: {err}")))?;
        if let Some(error) = output.error.filter(|e| !e.is_empty()) {
            return Err(AiError::Model(error));
        }
        let first = output
            .images
            .first()
            .ok_or_else(|| AiError::Parse("the image model returned no image".into()))?;
        if let Some(meter) = &self.meter {
            // Image models are billed per image, not per token: one call, nothing to count.
            meter.used(&self.model_id, 0, 0);
        }
        base64::engine::general_purpose::STANDARD
            .decode(first)
            .map_err(|err| AiError::Parse(format!("the image was not base64: {err}")))
    }
}
