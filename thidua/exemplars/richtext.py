"""The story's rich text: a small safe subset of HTML, cleaned by nh3 (the Ammonia sanitiser).

What an editor pastes from Word or a web page keeps its paragraphs, emphasis, lists, quotes and
links; scripts, styles, event handlers, frames, images (photos go through the photo gate) and
``javascript:`` links are removed, never escaped into view. Text nodes are normalised like every
other text (core.text). Links open as ordinary links with ``rel="nofollow noopener"``.
"""

import html
import re

import nh3

from thidua.core.text import normalise_chars

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote", "h2", "h3", "a"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
_TAG = re.compile(r"<[^>]*>")
# Text with one of these tags is HTML; other text (a "<" in a sentence) is plain text.
_HTML = re.compile(r"</?(p|br|div|span|strong|b|em|i|u|ul|ol|li|blockquote|h[1-6]|a|script|style|"
                   r"iframe|img|svg|object|embed|form|input|table|font)\b", re.I)
_BLOCK_END = re.compile(r"</(p|li|h2|h3|blockquote)>|<br\s*/?>", re.I)


def clean(raw: str | None) -> str:
    """Safe HTML for the story; plain text (no tag at all) becomes paragraphs."""
    text = normalise_chars(raw or "").strip()
    if not text:
        return ""
    if not _HTML.search(text):
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text)]
        text = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)
    cleaned = nh3.clean(text, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                        link_rel="nofollow noopener", strip_comments=True,
                        clean_content_tags={"script", "style"})
    return cleaned.strip()


def plain(story_html: str) -> str:
    """The story's words without markup (for the search index, the feed, Open Graph)."""
    text = _BLOCK_END.sub(" ", story_html or "")
    return " ".join(html.unescape(_TAG.sub("", text)).split())
