//! The bartender's answers in Markdown, turned into a small and safe subset of HTML on the server
//! (so the browser code does not carry a parser): paragraphs, line breaks, emphasis, strong,
//! lists and inline code. Headings become strong paragraphs; links and images keep only their
//! words; raw HTML is shown as the text it is. Nothing else gets through, so the result can be set
//! as a bubble's inner HTML.

use pulldown_cmark::{html, Event, Parser, Tag, TagEnd};

/// `text` (CommonMark) as HTML of the allowed subset.
pub fn to_html(text: &str) -> String {
    let events = Parser::new(text).flat_map(allowed);
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    html::push_html(&mut out, events);
    out
}

/// What an event becomes: itself, something plainer, or nothing.
fn allowed(event: Event<'_>) -> Vec<Event<'_>> {
    match event {
        Event::Start(tag) => match tag {
            Tag::Paragraph | Tag::Emphasis | Tag::Strong | Tag::Item | Tag::List(_) => {
                vec![Event::Start(tag)]
            }
            Tag::Heading { .. } => vec![Event::Start(Tag::Paragraph), Event::Start(Tag::Strong)],
            Tag::CodeBlock(_) | Tag::HtmlBlock => vec![Event::Start(Tag::Paragraph)],
            _ => Vec::new(),
        },
        Event::End(tag) => match tag {
            TagEnd::Paragraph
            | TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Item
            | TagEnd::List(_) => vec![Event::End(tag)],
            TagEnd::Heading(_) => vec![Event::End(TagEnd::Strong), Event::End(TagEnd::Paragraph)],
            TagEnd::CodeBlock | TagEnd::HtmlBlock => vec![Event::End(TagEnd::Paragraph)],
            _ => Vec::new(),
        },
        Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
            vec![Event::Text(text)]
        }
        Event::Code(code) => vec![Event::Code(code)],
        Event::SoftBreak => vec![Event::SoftBreak],
        Event::HardBreak => vec![Event::HardBreak],
        Event::InlineMath(text) | Event::DisplayMath(text) => vec![Event::Text(text)],
        Event::FootnoteReference(_) | Event::TaskListMarker(_) | Event::Rule => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn the_allowed_subset_is_rendered() {
        assert_eq!(
            to_html("Try the **Negroni**, it is *bitter*.\n\n- Campari\n- gin"),
            "<p>Try the <strong>Negroni</strong>, it is <em>bitter</em>.</p>\n<ul>\n<li>Campari</li>\n<li>gin</li>\n</ul>\n"
        );
        assert_eq!(
            to_html("1. Mojito\n2. Paloma"),
            "<ol>\n<li>Mojito</li>\n<li>Paloma</li>\n</ol>\n"
        );
        assert_eq!(to_html("## Tonight"), "<p><strong>Tonight</strong></p>\n");
        assert_eq!(to_html("a `dash` of"), "<p>a <code>dash</code> of</p>\n");
    }

    #[test]
    fn raw_html_links_and_images_never_become_markup() {
        let html = to_html(
            "<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> [click](javascript:alert(1)) ![a](http://x/y.png)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<a"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("click"), "{html}");
        let block = to_html("<div onclick=\"x()\">\nhello\n</div>");
        assert!(!block.contains("<div"), "{block}");
        assert!(block.contains("&lt;div"), "{block}");
    }

    #[test]
    fn plain_text_stays_plain_and_is_escaped() {
        assert_eq!(
            to_html("Smoky & bitter < sweet"),
            "<p>Smoky &amp; bitter &lt; sweet</p>\n"
        );
        assert_eq!(to_html(""), "");
    }
}
