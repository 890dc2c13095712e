//! Reads a language model's answer as it streams in. The model writes prose for the guest and
//! names each recommended drink in a tag of its own:
//!
//! ```text
//! <pick id="0193…">Smoky mezcal with bitter Campari: bold but not sweet.</pick>
//! ```
//!
//! Text outside tags goes to the guest as it arrives; a pick is emitted the moment its tag
//! closes. Tags can be split across chunks anywhere. Nothing in a tag is ever shown as text.

use super::Piece;

/// The longest a pick tag may be, from `<pick` to the end of `</pick>`; a longer one is dropped
/// whole, however the answer was split into chunks.
const MAX_TAG: usize = 2000;
const OPEN: &str = "<pick";
const CLOSE: &str = "</pick>";

#[derive(Debug, Default)]
pub struct AnswerParser {
    buffer: String,
    /// Inside a tag that grew too long: everything up to its `</pick>` is dropped.
    skipping: bool,
}

/// What the start of `rest` (which begins with `<`) is.
enum Start {
    /// `<pick` followed by a space, `>` or `/`.
    Tag,
    /// Too short to tell yet.
    Undecided,
    /// Anything else: a plain `<` in the text (`<b>`, `< 10 %`, `<pickles>`).
    Text,
}

fn start_of(rest: &str) -> Start {
    let head = rest.as_bytes();
    let n = head.len().min(OPEN.len());
    if !head[..n].eq_ignore_ascii_case(&OPEN.as_bytes()[..n]) {
        return Start::Text;
    }
    match head.get(OPEN.len()) {
        None => Start::Undecided,
        Some(b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/') => Start::Tag,
        Some(_) => Start::Text,
    }
}

impl AnswerParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a chunk of the answer and returns what is complete.
    pub fn feed(&mut self, chunk: &str) -> Vec<Piece> {
        self.buffer.push_str(chunk);
        let mut out = Vec::new();
        loop {
            if self.skipping && !self.skip_to_close() {
                break;
            }
            let Some(start) = self.buffer.find('<') else {
                push_text(&mut out, std::mem::take(&mut self.buffer));
                break;
            };
            if start > 0 {
                let text: String = self.buffer.drain(..start).collect();
                push_text(&mut out, text);
            }
            let rest = self.buffer.as_str();
            match start_of(rest) {
                Start::Undecided => break, // perhaps the start of a tag: wait for more
                Start::Text => {
                    let lt: String = self.buffer.drain(..1).collect();
                    push_text(&mut out, lt);
                    continue;
                }
                Start::Tag => {}
            }
            let Some(head_end) = rest.find('>') else {
                self.skip_if_too_long();
                break;
            };
            let head = &rest[..head_end];
            if let Some(head) = head.strip_suffix('/') {
                // <pick id="…"/>
                if let Some(id) = attribute_id(head) {
                    out.push(Piece::Pick {
                        drink_id: id,
                        reason: String::new(),
                    });
                }
                self.buffer.drain(..=head_end);
                continue;
            }
            let Some(close) = find_ignore_case(rest, CLOSE) else {
                self.skip_if_too_long();
                break;
            };
            let end = close + CLOSE.len();
            if close > head_end && end <= MAX_TAG {
                if let Some(id) = attribute_id(head) {
                    let reason = rest[head_end + 1..close].trim().to_string();
                    out.push(Piece::Pick {
                        drink_id: id,
                        reason,
                    });
                }
            }
            // Otherwise malformed ("<pick</pick>") or too long: dropped.
            self.buffer.drain(..end);
        }
        out
    }

    /// An unfinished tag (the buffer starts with one) longer than any pick may be is dropped,
    /// with everything up to its `</pick>`.
    fn skip_if_too_long(&mut self) {
        if self.buffer.len() > MAX_TAG {
            self.skipping = true;
            self.skip_to_close();
        }
    }

    /// Drops input up to and including the next `</pick>`; true when it was found. Otherwise
    /// keeps only what may be the start of a split `</pick>`.
    fn skip_to_close(&mut self) -> bool {
        if let Some(close) = find_ignore_case(&self.buffer, CLOSE) {
            self.buffer.drain(..close + CLOSE.len());
            self.skipping = false;
            return true;
        }
        let mut keep = self.buffer.len().saturating_sub(CLOSE.len() - 1);
        while !self.buffer.is_char_boundary(keep) {
            keep += 1;
        }
        self.buffer.drain(..keep);
        false
    }

    /// The answer is complete: what is left is text, unless it is an unfinished tag.
    pub fn finish(mut self) -> Vec<Piece> {
        let rest = std::mem::take(&mut self.buffer);
        let mut out = Vec::new();
        if !self.skipping && !matches!(start_of(&rest), Start::Tag) {
            push_text(&mut out, rest);
        }
        out
    }

    /// Parses a whole answer at once.
    pub fn parse(answer: &str) -> Vec<Piece> {
        let mut parser = AnswerParser::new();
        let mut pieces = parser.feed(answer);
        pieces.extend(parser.finish());
        pieces
    }
}

fn push_text(out: &mut Vec<Piece>, text: String) {
    if text.is_empty() {
        return;
    }
    if let Some(Piece::Text(previous)) = out.last_mut() {
        previous.push_str(&text);
    } else {
        out.push(Piece::Text(text));
    }
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .to_ascii_lowercase()
        .find(&needle.to_ascii_lowercase())
}

/// `id="x"`, `id='x'` or `id=x` inside a tag head (an attribute of its own: not `data-id`).
fn attribute_id(head: &str) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    let at = lower.match_indices("id").map(|(at, _)| at).find(|&at| {
        at > 0
            && lower.as_bytes()[at - 1].is_ascii_whitespace()
            && lower[at + 2..].trim_start().starts_with('=')
    })?;
    let after = head[at + 2..].trim_start();
    let after = after.strip_prefix('=')?.trim_start();
    let id: String = match after.chars().next()? {
        quote @ ('"' | '\'') => after[1..].chars().take_while(|c| *c != quote).collect(),
        _ => after.chars().take_while(|c| !c.is_whitespace()).collect(),
    };
    let id = id.trim();
    (!id.is_empty() && id.len() <= 64).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(id: &str, reason: &str) -> Piece {
        Piece::Pick {
            drink_id: id.into(),
            reason: reason.into(),
        }
    }

    fn text_of(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    const ANSWER: &str = "Try these: <pick id=\"a-1\">Smoky & bold</pick>\n<PICK id='b-2'>Light < 10%</Pick> and <pick id=c-3/> Enjoy!";

    #[test]
    fn picks_and_text_are_separated_wherever_the_chunks_split() {
        let whole = AnswerParser::parse(ANSWER);
        let picks: Vec<&Piece> = whole
            .iter()
            .filter(|p| matches!(p, Piece::Pick { .. }))
            .collect();
        assert_eq!(
            picks,
            [
                &pick("a-1", "Smoky & bold"),
                &pick("b-2", "Light < 10%"),
                &pick("c-3", "")
            ]
        );
        assert_eq!(text_of(&whole), "Try these: \n and  Enjoy!");
        for size in 1..ANSWER.len() {
            let mut parser = AnswerParser::new();
            let mut pieces = Vec::new();
            let bytes: Vec<char> = ANSWER.chars().collect();
            for chunk in bytes.chunks(size) {
                pieces.extend(parser.feed(&chunk.iter().collect::<String>()));
            }
            pieces.extend(parser.finish());
            let got: Vec<&Piece> = pieces
                .iter()
                .filter(|p| matches!(p, Piece::Pick { .. }))
                .collect();
            assert_eq!(got, picks, "chunk size {size}");
            assert_eq!(text_of(&pieces), text_of(&whole), "chunk size {size}");
        }
    }

    #[test]
    fn unfinished_or_malformed_tags_never_leak_as_text_or_picks() {
        let pieces = AnswerParser::parse("Hello <pick id=\"x\">never closed");
        assert_eq!(pieces, [Piece::Text("Hello ".into())]);
        let pieces = AnswerParser::parse("a <b>bold</b> 1 < 2");
        assert_eq!(text_of(&pieces), "a <b>bold</b> 1 < 2");
        let pieces = AnswerParser::parse("<pick>no id</pick>ok");
        assert_eq!(pieces, [Piece::Text("ok".into())]);
        let huge = format!("<pick id=\"{}\">x</pick>", "9".repeat(100));
        assert!(AnswerParser::parse(&huge).is_empty());
        let pieces = AnswerParser::parse("I like <pickles> and <pick data-id=\"x\">no</pick>.");
        assert_eq!(pieces, [Piece::Text("I like <pickles> and .".into())]);
    }

    #[test]
    fn an_overlong_tag_is_dropped_whole_however_it_arrives() {
        let long = format!("a<pick id=\"x\">{}</pick>b", "r".repeat(MAX_TAG));
        assert_eq!(AnswerParser::parse(&long), [Piece::Text("ab".into())]);
        let mut parser = AnswerParser::new();
        let mut pieces = Vec::new();
        for chunk in long.as_bytes().chunks(7) {
            pieces.extend(parser.feed(std::str::from_utf8(chunk).unwrap()));
        }
        pieces.extend(parser.finish());
        assert_eq!(text_of(&pieces), "ab");
        assert!(pieces.iter().all(|p| matches!(p, Piece::Text(_))));
    }
}
