//! A stand-in for the Bedrock runtime that speaks its wire format: `POST /model/{id}/converse`
//! answers JSON, `POST /model/{id}/converse-stream` answers AWS event-stream frames (built with
//! aws-smithy-eventstream). The real SDK is pointed at it with `endpoint_url`.
//!
//! Its "model" reads the menu lines of the system prompt like a model would, picks the first two
//! drinks, adds whatever rogue picks the test asks for (drinks that are off the menu, unavailable
//! or unsafe for the guest), and echoes the guest's message back, as a model that follows
//! injected instructions might.
//!
//! Offered tools (`toolConfig`), it calls the ones the test scripts (`set_tool_calls`), input and
//! all, the way a model talked into anything would; given their results, it answers by quoting them.

use app::backend::ai::bedrock::BedrockConfig;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub enum Mode {
    /// Answers: two picks from the menu it was shown, the rogue picks, and an echo.
    Answer,
    /// Answers with the rogue picks only.
    OnlyRogue,
    /// Streams some words, then an exception frame.
    FailMidStream,
    /// Answers 400 ValidationException to everything.
    Error,
    /// Never answers within any sensible time.
    Hang,
    /// Streams some words, then keeps the stream open for two minutes without a word more.
    Stall,
}

#[derive(Clone, Debug)]
pub struct Call {
    pub operation: &'static str,
    pub model_id: String,
    pub system: String,
    /// The newest message: the guest's new words.
    pub user: String,
    /// Every message, oldest first: (role, text).
    pub messages: Vec<(String, String)>,
    /// The tools offered in `toolConfig`, by name.
    pub tools: Vec<String>,
    /// The tool results in the newest message, as sent.
    pub tool_results: Vec<String>,
    pub at: Instant,
}

#[derive(Clone)]
struct Stub {
    mode: Mode,
    rogue: Arc<Mutex<Vec<String>>>,
    tool_calls: Arc<Mutex<Vec<(String, Value)>>>,
    learn_json: String,
    calls: Arc<Mutex<Vec<Call>>>,
    /// Streams the caller has hung up on.
    hung_up: Arc<AtomicUsize>,
}

pub struct BedrockStub {
    pub url: String,
    calls: Arc<Mutex<Vec<Call>>>,
    rogue: Arc<Mutex<Vec<String>>>,
    tool_calls: Arc<Mutex<Vec<(String, Value)>>>,
    hung_up: Arc<AtomicUsize>,
}

/// Counts a stream the caller dropped before its end.
struct HangUp {
    count: Arc<AtomicUsize>,
    finished: bool,
}

impl HangUp {
    /// The last frame is on its way: the stream ends as it should.
    fn at_last(&mut self, last: bool) {
        self.finished |= last;
    }
}

impl Drop for HangUp {
    fn drop(&mut self) {
        if !self.finished {
            self.count.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl BedrockStub {
    pub async fn start(mode: Mode) -> Self {
        Self::start_with(
            mode,
            r#"{"likes": ["smoky"], "dislikes": [], "allergies": [], "wishes": ["Last Word"]}"#,
        )
        .await
    }

    /// `learn_json` is what the learner asks for gets back.
    pub async fn start_with(mode: Mode, learn_json: &str) -> Self {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let rogue = Arc::new(Mutex::new(Vec::new()));
        let tool_calls = Arc::new(Mutex::new(Vec::new()));
        let hung_up = Arc::new(AtomicUsize::new(0));
        let stub = Stub {
            hung_up: hung_up.clone(),
            mode,
            rogue: rogue.clone(),
            tool_calls: tool_calls.clone(),
            learn_json: learn_json.to_string(),
            calls: calls.clone(),
        };
        let router = Router::new()
            .route("/model/{model_id}/converse", post(converse))
            .route("/model/{model_id}/converse-stream", post(converse_stream))
            .route("/model/{model_id}/invoke", post(invoke))
            .with_state(stub);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        BedrockStub {
            url,
            calls,
            rogue,
            tool_calls,
            hung_up,
        }
    }

    /// How many answer streams the caller dropped before their end.
    pub fn hung_up(&self) -> usize {
        self.hung_up.load(Ordering::SeqCst)
    }

    /// The tools the "model" calls when offered tools and not yet given their results:
    /// (name, input), in order.
    pub fn set_tool_calls(&self, calls: Vec<(&str, Value)>) {
        *self.tool_calls.lock().unwrap() = calls
            .into_iter()
            .map(|(name, input)| (name.to_string(), input))
            .collect();
    }

    /// Drink ids the "model" recommends whatever it was shown: off the menu, unavailable, unsafe.
    pub fn set_rogue_picks(&self, ids: Vec<String>) {
        *self.rogue.lock().unwrap() = ids;
    }

    /// Bedrock settings for one model through this stub.
    pub fn config(&self, model_id: &str) -> BedrockConfig {
        BedrockConfig {
            models: vec![model_id.into()],
            endpoint: Some(self.url.clone()),
            region: Some("us-east-1".into()),
            credentials: Some(("AKIDBARBACKTEST".into(), "barback-test-secret".into())),
            embedding_model: None,
            image_model: None,
        }
    }

    /// As `config`, with retrieval (Titan Text Embeddings V2) and proposed photos (Nova Canvas).
    pub fn config_with_media(&self, model_id: &str) -> BedrockConfig {
        BedrockConfig {
            embedding_model: Some(app::backend::ai::embeddings::TITAN_EMBED_V2.into()),
            image_model: Some(app::backend::ai::pictures::NOVA_CANVAS.into()),
            ..self.config(model_id)
        }
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    pub fn calls_of(&self, operation: &str) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| c.operation == operation)
            .collect()
    }
}

fn record(stub: &Stub, operation: &'static str, model_id: String, body: &Value) -> Call {
    let text_of = |v: &Value| -> String {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|b| b.get("text").and_then(|t| t.as_str()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let system = text_of(&body["system"]);
    let messages: Vec<(String, String)> = body["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|m| {
            let role = m["role"].as_str().unwrap_or_default().to_string();
            (role, text_of(&m["content"]))
        })
        .collect();
    // InvokeModel's text: an embedding's input, an image's prompt.
    let invoked = body["inputText"]
        .as_str()
        .or(body["textToImageParams"]["text"].as_str());
    let user = match invoked {
        Some(text) => text.to_string(),
        None => messages
            .last()
            .map(|(_, text)| text.clone())
            .unwrap_or_default(),
    };
    let tools = body["toolConfig"]["tools"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["toolSpec"]["name"].as_str().map(String::from))
        .collect();
    let tool_results = body["messages"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["content"].as_array())
        .into_iter()
        .flatten()
        .filter_map(|b| b.get("toolResult"))
        .map(|r| text_of(&r["content"]))
        .collect();
    let call = Call {
        operation,
        model_id,
        system,
        user,
        messages,
        tools,
        tool_results,
        at: Instant::now(),
    };
    stub.calls.lock().unwrap().push(call.clone());
    call
}

fn error_response() -> Response {
    (
        http::StatusCode::BAD_REQUEST,
        [
            ("x-amzn-errortype", "ValidationException"),
            ("content-type", "application/json"),
        ],
        r#"{"message":"the stub was told to fail"}"#,
    )
        .into_response()
}

/// What the "model" answers to a recommendation request.
fn answer_text(call: &Call, rogue_picks: &[String], from_menu: usize) -> String {
    let ids: Vec<&str> = call
        .system
        .lines()
        .filter_map(|line| line.strip_prefix("- id="))
        .filter_map(|rest| rest.split(" | ").next())
        .take(from_menu)
        .collect();
    let guest = call
        .user
        .split("<guest_message>")
        .nth(1)
        .and_then(|rest| rest.split("</guest_message>").next())
        .unwrap_or("")
        .trim();
    let mut text = format!("**Happy to help!** You said: {guest}\n");
    for id in ids
        .iter()
        .map(|s| s.to_string())
        .chain(rogue_picks.iter().cloned())
    {
        text.push_str(&format!(
            "<pick id=\"{id}\">A fine choice for tonight.</pick>\n"
        ));
    }
    text.push_str("Cheers!");
    text
}

/// The stub's embedding of a text: words (lower case, letters and digits) hashed into
/// `dimensions` buckets and counted, as a unit vector. Texts sharing words are near.
pub fn embedding(text: &str, dimensions: usize) -> Vec<f32> {
    let mut vector = vec![0f32; dimensions];
    let lower = text.to_lowercase();
    for word in lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2)
    {
        // FNV-1a: the same bucket for the same word, every run.
        let hash = word.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        vector[(hash % dimensions as u64) as usize] += 1.0;
    }
    let length = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    if length > 0.0 {
        vector.iter_mut().for_each(|x| *x /= length);
    }
    vector
}

/// A PNG picture of this size.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    png.into_inner()
}

/// `InvokeModel`: Titan Text Embeddings V2 (`inputText`) and the Nova Canvas / Titan Image
/// Generator `TEXT_IMAGE` task (a PNG of the size asked for).
async fn invoke(
    State(stub): State<Stub>,
    Path(model_id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    record(&stub, "invoke", model_id.clone(), &body);
    if matches!(stub.mode, Mode::Error) {
        return error_response();
    }
    if let Some(text) = body["inputText"].as_str() {
        let dimensions = body["dimensions"].as_u64().unwrap_or(1024) as usize;
        let words = text.split_whitespace().count();
        return Json(json!({
            "embedding": embedding(text, dimensions),
            "inputTextTokenCount": words,
        }))
        .into_response();
    }
    if body["taskType"] == "TEXT_IMAGE" {
        let config = &body["imageGenerationConfig"];
        let (width, height) = (
            config["width"].as_u64().unwrap_or(1024) as u32,
            config["height"].as_u64().unwrap_or(1024) as u32,
        );
        use base64::Engine;
        let encoded = base64::engine::general_purpose::STANDARD.encode(png(width, height));
        return Json(json!({ "images": [encoded], "error": null })).into_response();
    }
    (
        http::StatusCode::BAD_REQUEST,
        [("x-amzn-errortype", "ValidationException")],
        format!(r#"{{"message":"the stub does not know what {model_id} is asked"}}"#),
    )
        .into_response()
}

async fn converse(
    State(stub): State<Stub>,
    Path(model_id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let call = record(&stub, "converse", model_id, &body);
    let text = match &stub.mode {
        Mode::Error => return error_response(),
        Mode::Hang => {
            tokio::time::sleep(Duration::from_secs(120)).await;
            return error_response();
        }
        _ if call.system.contains("photo prompt") => format!(
            "A test photo prompt for the drink. {}",
            app::backend::ai::local::HOUSE_STYLE
        ),
        _ if call.system.contains("JSON object") => stub.learn_json.clone(),
        _ => "Hello".into(),
    };
    Json(json!({
        "output": { "message": { "role": "assistant", "content": [{ "text": text }] } },
        "stopReason": "end_turn",
        "usage": { "inputTokens": 10, "outputTokens": 20, "totalTokens": 30 },
        "metrics": { "latencyMs": 5 }
    }))
    .into_response()
}

fn frame(event_type: &'static str, payload: Value) -> bytes::Bytes {
    let message = Message::new_from_parts(
        vec![
            Header::new(":event-type", HeaderValue::String(event_type.into())),
            Header::new(
                ":content-type",
                HeaderValue::String("application/json".into()),
            ),
            Header::new(":message-type", HeaderValue::String("event".into())),
        ],
        payload.to_string().into_bytes(),
    );
    let mut out = Vec::new();
    aws_smithy_eventstream::frame::write_message_to(&message, &mut out).unwrap();
    out.into()
}

fn exception_frame(message: &str) -> bytes::Bytes {
    let message = Message::new_from_parts(
        vec![
            Header::new(
                ":exception-type",
                HeaderValue::String("modelStreamErrorException".into()),
            ),
            Header::new(
                ":content-type",
                HeaderValue::String("application/json".into()),
            ),
            Header::new(":message-type", HeaderValue::String("exception".into())),
        ],
        json!({ "message": message, "originalStatusCode": 500 })
            .to_string()
            .into_bytes(),
    );
    let mut out = Vec::new();
    aws_smithy_eventstream::frame::write_message_to(&message, &mut out).unwrap();
    out.into()
}

/// Text deltas of a few characters each, split wherever they fall (inside tags too).
fn deltas(text: &str) -> Vec<bytes::Bytes> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(7)
        .map(|chunk| {
            frame(
                "contentBlockDelta",
                json!({ "contentBlockIndex": 0, "delta": { "text": chunk.iter().collect::<String>() } }),
            )
        })
        .collect()
}

async fn converse_stream(
    State(stub): State<Stub>,
    Path(model_id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    let call = record(&stub, "converse-stream", model_id, &body);
    let mut frames = vec![frame("messageStart", json!({ "role": "assistant" }))];
    match &stub.mode {
        Mode::Error => return error_response(),
        Mode::Hang => {
            tokio::time::sleep(Duration::from_secs(120)).await;
            return error_response();
        }
        Mode::Answer | Mode::OnlyRogue if !call.tool_results.is_empty() => {
            let text = format!("Here is what I found: {}", call.tool_results.join(" / "));
            frames.extend(deltas(&text));
            frames.push(frame("contentBlockStop", json!({ "contentBlockIndex": 0 })));
            frames.push(frame("messageStop", json!({ "stopReason": "end_turn" })));
        }
        Mode::Answer | Mode::OnlyRogue
            if !call.tools.is_empty() && !stub.tool_calls.lock().unwrap().is_empty() =>
        {
            let scripted = stub.tool_calls.lock().unwrap().clone();
            frames.extend(deltas("One moment."));
            frames.push(frame("contentBlockStop", json!({ "contentBlockIndex": 0 })));
            for (i, (name, input)) in scripted.iter().enumerate() {
                let index = i + 1;
                frames.push(frame(
                    "contentBlockStart",
                    json!({ "contentBlockIndex": index, "start": { "toolUse": { "toolUseId": format!("tooluse_{index}"), "name": name } } }),
                ));
                // The input arrives as JSON text in pieces, split anywhere.
                let input = input.to_string();
                let chars: Vec<char> = input.chars().collect();
                for piece in chars.chunks(5) {
                    frames.push(frame(
                        "contentBlockDelta",
                        json!({ "contentBlockIndex": index, "delta": { "toolUse": { "input": piece.iter().collect::<String>() } } }),
                    ));
                }
                frames.push(frame(
                    "contentBlockStop",
                    json!({ "contentBlockIndex": index }),
                ));
            }
            frames.push(frame("messageStop", json!({ "stopReason": "tool_use" })));
        }
        Mode::Answer | Mode::OnlyRogue => {
            let rogue = stub.rogue.lock().unwrap().clone();
            let from_menu = if matches!(stub.mode, Mode::Answer) {
                2
            } else {
                0
            };
            frames.extend(deltas(&answer_text(&call, &rogue, from_menu)));
            frames.push(frame("contentBlockStop", json!({ "contentBlockIndex": 0 })));
            frames.push(frame("messageStop", json!({ "stopReason": "end_turn" })));
            frames.push(frame(
                "metadata",
                json!({ "usage": { "inputTokens": 10, "outputTokens": 20, "totalTokens": 30 }, "metrics": { "latencyMs": 5 } }),
            ));
        }
        Mode::FailMidStream => {
            frames.extend(deltas("Let me think about something smoky for"));
            frames.push(exception_frame("the model fell over"));
        }
        Mode::Stall => {
            frames.extend(deltas("Let me think about something smoky for"));
            frames.push(frame("contentBlockStop", json!({ "contentBlockIndex": 0 })));
            frames.push(frame("messageStop", json!({ "stopReason": "end_turn" })));
        }
    }
    let stall = matches!(stub.mode, Mode::Stall);
    let last = frames.len() - 1;
    let mut hang_up = HangUp {
        count: stub.hung_up.clone(),
        finished: false,
    };
    // Frames go out a few milliseconds apart, as a model writes (a stalling one waits before its
    // last two).
    let stream = futures::stream::iter(frames.into_iter().enumerate()).then(move |(i, frame)| {
        hang_up.at_last(i == last);
        let wait = if stall && i + 1 >= last {
            Duration::from_secs(120)
        } else {
            Duration::from_millis(3)
        };
        async move {
            tokio::time::sleep(wait).await;
            Ok::<_, std::convert::Infallible>(frame)
        }
    });
    Response::builder()
        .header("content-type", "application/vnd.amazon.eventstream")
        .header("x-amzn-requestid", "stub")
        .body(Body::from_stream(stream))
        .unwrap()
}

use futures::StreamExt;
