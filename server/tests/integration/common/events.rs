//! Reading what the server streams: Server-Sent Events, and the bartender's answer.

use serde_json::Value;

/// Reads Server-Sent Events from a streaming response.
pub struct EventReader {
    stream: std::pin::Pin<Box<dyn futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buffer: String,
}

impl EventReader {
    pub fn new(response: reqwest::Response) -> Self {
        EventReader {
            stream: Box::pin(response.bytes_stream()),
            buffer: String::new(),
        }
    }

    /// The next (event, data), or None if nothing arrives within `wait`.
    pub async fn next(&mut self, wait: std::time::Duration) -> Option<(String, String)> {
        use futures::StreamExt;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = String::from("message");
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event = v.trim().to_string();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if data.is_empty() && event == "message" {
                    continue; // a keep-alive comment
                }
                return Some((event, data));
            }
            let chunk = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .ok()??
                .ok()?;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Whether the stream ends within `wait` (events before its end are skipped).
    pub async fn ended_within(&mut self, wait: std::time::Duration) -> bool {
        use futures::StreamExt;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.stream.next()).await {
                Err(_) => return false,
                Ok(None) | Ok(Some(Err(_))) => return true,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// The data of the next `update` event whose kind is `kind`, skipping others.
    pub async fn next_update(&mut self, kind: &str, wait: std::time::Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let (event, data) = self.next(left).await?;
            if event == "update" {
                let value: Value = serde_json::from_str(&data).ok()?;
                if value["kind"] == kind {
                    return Some(value);
                }
            }
        }
    }
}

/// What the bartender streamed back for one message.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub chunks: Vec<app::model::ChatChunk>,
    /// How many pieces the HTTP body arrived in.
    pub pieces: usize,
    /// The error, when the request was refused before any answer.
    pub error: Option<app::error::AppError>,
}

impl Answer {
    pub fn cards(&self) -> Vec<app::model::ChatCard> {
        self.chunks
            .iter()
            .filter_map(|c| match c {
                app::model::ChatChunk::Card { card } => Some(card.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn text(&self) -> String {
        self.chunks
            .iter()
            .filter_map(|c| match c {
                app::model::ChatChunk::Text { text } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    pub fn notes(&self) -> Vec<String> {
        self.chunks
            .iter()
            .filter_map(|c| match c {
                app::model::ChatChunk::Note { text } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn stored(&self) -> Option<app::model::ChatMessage> {
        self.chunks.iter().find_map(|c| match c {
            app::model::ChatChunk::Done { message } => Some(message.clone()),
            _ => None,
        })
    }
}
