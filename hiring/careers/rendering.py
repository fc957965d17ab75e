"""A posting's description: Markdown rendered to HTML, then sanitised.

markdown-it-py renders CommonMark with raw HTML turned off, so markup typed into the
description comes out as text; nh3 (the Rust ammonia sanitiser) then keeps only the tags and
attributes below, whatever the renderer produced, so no markup of the author's can run:
no scripts, no event handlers, no `javascript:` links, no styles. Links open as plain links
with rel="noopener noreferrer nofollow".
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "code", "pre",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
SCHEMES = {"http", "https", "mailto"}
MAX_CHARS = 20_000

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def description_html(text: str) -> str:
    """The description's Markdown as safe HTML (headings start at h2: the page has the h1)."""
    rendered = _markdown.render(text or "")
    rendered = rendered.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        rendered,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(html: str) -> str:
    """Rendered HTML as plain text (the feed's summary)."""
    return " ".join(nh3.clean(html, tags=set()).split())
