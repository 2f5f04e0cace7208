"""Page furniture inside a body container, removed by what it is, not by site.

A post's content container holds more than the post: the theme's and the
plugins' blocks (ads and their labels, share and rating bars, related posts,
newsletter and donation boxes, author boxes, cookie-consent placeholders,
tables of contents), the post header when the theme prints it inside the
content, and blocks the editor pasted that point readers elsewhere ("Read
also: ..."). Three kinds of evidence, in this order:

1. **what the markup is**: tags that never carry prose (script, form,
   figure, ...) and the class/id tokens plugins and themes give their roots
   (:data:`FURNITURE_TOKENS`);
2. **what a block says**: an ad label alone ("Advertisement", "ANZEIGE"), a
   heading or lead that introduces other posts ("Related", "Lesen Sie auch"),
   a short call to subscribe or donate with its link, a link styled as a
   button (a call to action) and the short box around it;
3. **what a block links to**: a short block whose text is nearly all links,
   at least one of them to another page of the same site, is navigation or
   recirculation; one linking only to social networks is a "follow us"
   button. Links to documents (the PDF of a report) and to other sites
   (sources) do not count: those are the article's own.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from snhr_crawler.extract.safety import BLOCK_LIMIT
from snhr_crawler.extract.safety import squash as one_line
from snhr_crawler.urls import host_of, split

#: Tags that never hold the article's prose.
DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "iframe",
        "figure",
        "figcaption",
        "form",
        "button",
        "svg",
        "img",
        "picture",
        "video",
        "audio",
        "object",
        "embed",
        "template",
        "input",
        "select",
        "textarea",
        "nav",
        "aside",
        "header",
        "footer",
        "ins",  # AdSense slots
    }
)

#: Class and id tokens of furniture roots, by family. Matched per token.
FURNITURE_TOKENS = re.compile(
    r"""(?:^|\s)(?!(?:with|has|no|show|hide|is)[-_])(?:
      # (modifiers such as "with-share" or "has-sidebar" describe an element, not furniture)
      # the theme's own blocks: featured image, share bar, ad slots, inner blocks
        td-post-featured-image|wp-caption\S*|\S*available-in\S*|td_block_wrap|td-post-sharing\S*
      | td-a-rec\S*|td-g-rec\S*|td-a-ad\S*|td-adspot-title|td-post-source-tags|td-post-next-prev
      | td-module-title|td_module_\S+
      # the post header printed inside the content
      | td-post-header|td-post-title|entry-header|post-header|entry-meta|post-meta\S*
      | td-module-meta-info|td-post-author-name|td-post-date|byline\S*|jeg_meta_container
      # ads: Ad Inserter, AdRotate, AdSense, GPT, Taboola, Outbrain, generic ad slots
      | code-block\S*|ai-viewport-\S+|adrotate\S*|g-single|a-single|g-dyn|adsbygoogle
      | div-gpt-ad\S*|\S*taboola\S*|\S*outbrain\S*|ob-widget\S*
      | \S*advert\S*|(?:\S+[-_])?ads?(?:[-_]\S+)?|\S*adsense\S*|\S*sponsor\S*|adsanity\S*|quads-\S*
      # share, rating and reaction plugins
      | \S*shar(?:e|ing|iff)\S*|\S*social\S*|\S*addtoany\S*|a2a_\S*|essb_\S*|heateor\S*
      | ssba\S*|mashsb\S*
      | \S*rating\S*|kk-star\S*|yasr\S*|rmp-\S*|\S*reaction\S*|\S*like-button\S*
      # related posts, recirculation, read-more boxes
      | \S*related\S*|yarpp\S*|crp_\S*|rp4wp\S*|\S*read-?more\S*|\S*recommend\S*
      | \S*more-from\S*|\S*also-read\S*|\S*read-also\S*
      # newsletters, calls to action, donations, disclaimers, widgets
      | \S*newsletter\S*|mc4wp\S*|\S*mailchimp\S*|\S*mailpoet\S*|\S*convertkit\S*|ck_form\S*
      | \S*subscri\S*|\S*signup\S*|\S*optin\S*
      | tnp\S*|cta|cta[-_]\S*|\S*[-_]cta|\S*call-to-action\S*|\S*donat\S*|\S*paywall\S*
      | \S*disclai?mer\S*|textwidget|widget|widget[-_]\S*|\S*[-_]widget
      | \S*button\S*|(?:\S+[-_])?btn(?:[-_]\S+)?
      # author boxes
      | \S*author\S*|saboxplugin\S*|abh_\S*|m-a-box\S*
      # cookie and embed consent placeholders
      | \S*cookie\S*|\S*consent\S*|_?brlbs\S*|borlabs\S*|cmplz\S*|\S*embed-privacy\S*|\S*gdpr\S*
      | \S*iubenda\S*|uc-embedding\S*
      # embedded posts of other services
      | twitter-tweet|instagram-media|tiktok-embed|wp-block-embed\S*
      # tables of contents
      | ez-toc\S*|toc|toc[-_]\S*|\S*[-_]toc|\S*table-of-contents?\S*|lwptoc\S*|rank-math-toc\S*
      # tags, post navigation, pagination, comments
      | tags|\S*[-_]tags|tags[-_]\S*|\S*tagcloud\S*|tag-links|\S*post-navigation\S*|nav-links
      | page-links|\S*pagination\S*|\S*comments?\S*|wpdiscuz\S*
    )(?=\s|$)""",
    re.IGNORECASE | re.VERBOSE,
)
#: Words printed alone over an ad slot.
AD_LABELS = frozenset(
    {
        "advertisement",
        "advertising",
        "ad",
        "ads",
        "sponsored",
        "anzeige",
        "werbung",
        "publicidad",
        "publicité",
        "pubblicità",
        "reclame",
        "advertentie",
        "reklama",
        "reklame",
        "إعلان",
        "اعلان",
    }
)

#: Leads of a block pointing at other posts ("Read also: ..."), casefolded.
#: "See also" is not among them: SNHR's editors write it in their own prose.
READ_ALSO = re.compile(
    r"^(?:read (?:also|more)|also read|you may also like|you might also like|related(?: posts| articles| stories| news)?"
    r"|recommended|more from|latest stories|more stories|trending"
    r"|lesen sie auch|lesen sie mehr|auch interessant|das könnte sie auch interessieren|mehr zum thema"
    r"|weitere artikel|verwandte artikel"
    r"|lee también|lea también|te puede interesar|esto te puede interesar|también te puede interesar"
    r"|artículos relacionados|noticias relacionadas|notícies relacionades|llegiu també"
    r"|à lire aussi|a lire aussi|lire aussi|sur le même sujet|articles connexes"
    r"|leggi anche|potrebbe interessarti|articoli correlati"
    r"|leia também|veja também|lees ook"
    r"|اقرأ أيضا|اقرأ ايضا|إقرأ أيضا|اقرأ أيضاً|مواضيع ذات صلة|أخبار ذات صلة|مقالات ذات صلة)\b\s*:?",
    re.IGNORECASE,
)

#: Words of a short block with a link that asks the reader to subscribe, sign up or give
#: (casefolded substrings: a handful of ``in`` tests is cheaper than a regex here).
CALL_TO_ACT = (
    "subscribe",
    "newsletter",
    "sign up",
    "signup",
    "abonnier",
    "suscrib",
    "suscríb",
    "abonnez",
    "iscriviti",
    "اشترك",
    "donate",
    "donation",
    "spende",
    "support us",
    "support our",
    "apoya",
    "patreon",
    "become a member",
)

#: Social networks: a short block linking only there is a "follow us" button.
SOCIAL_HOSTS = frozenset(
    {
        "twitter.com",
        "x.com",
        "facebook.com",
        "instagram.com",
        "t.me",
        "telegram.me",
        "youtube.com",
        "linkedin.com",
        "tiktok.com",
        "whatsapp.com",
        "wa.me",
        "threads.net",
        "bsky.app",
        "mastodon.social",
        "pinterest.com",
        "reddit.com",
    }
)
#: Links to documents: an article's attachments, never furniture.
_DOCUMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|odt|zip)$", re.IGNORECASE)
#: Inline styles that make a link look like a button.
_BUTTON_STYLE = re.compile(r"padding", re.IGNORECASE)

#: Longest text a "short block" of links or a call-to-action box may have.
SHORT_BLOCK = 400
#: Share of a short block's text that must be link text for it to be navigation.
LINK_SHARE = 0.8

_BLOCKS = ("p", "div", "section", "ul", "ol", "table", "h2", "h3", "h4", "h5", "h6", "span", "a")
#: Inline elements are judged as blocks only where they sit loose in a container.
_INLINE = frozenset({"span", "a"})
_CONTAINERS = frozenset({"div", "section", "article", "main", "td", "center"})
_SEPARATORS = " \t\n\r|/-–—·•:,>»›→"


def squash(text: str | None) -> str:
    return one_line(text, BLOCK_LIMIT)


def _is_furniture_root(element: HtmlElement) -> bool:
    names = " ".join(filter(None, (element.get("class"), element.get("id"))))
    return bool(names) and FURNITURE_TOKENS.search(names) is not None


_NOT_LETTERS = re.compile(r"[\W_]+")


def _letters(text: str) -> int:
    """Letters and digits in ``text``: link shares ignore spaces and separators."""
    return len(_NOT_LETTERS.sub("", text))


def _calls_to_act(text: str) -> bool:
    if len(text) > 300:
        return False
    folded = text.casefold()
    return any(words in folded for words in CALL_TO_ACT)


def _host(url: str) -> str:
    host = host_of(url)
    return host[4:] if host.startswith("www.") else host


class FurnitureStripper:
    """Removes furniture from one detached body container (see the module docstring)."""

    def __init__(self, page_url: str, title: str = "") -> None:
        self.host = _host(page_url)
        self.title = squash(title).casefold()

    def strip(self, container: HtmlElement) -> None:
        self._drop_marked(container)
        self._drop_by_content(container)

    # --- 1. what the markup is ------------------------------------------------------
    def _drop_marked(self, container: HtmlElement) -> None:
        doomed = []
        for element in container.iter():
            if element is container:
                continue
            tag = element.tag
            if tag == "figure" and _holds_text_blocks(element):
                continue  # a table or pull quote in a figure: the figure's caption and image go
            if not isinstance(tag, str) or tag in DROP_TAGS:
                doomed.append(element)
            elif _is_furniture_root(element) and not _links_a_document(element):
                doomed.append(element)  # (a "button" that downloads the report is the report's)
            elif tag == "h1" and squash(element.text_content()).casefold() in ("", self.title):
                doomed.append(element)  # the post's title, printed inside the content
        for element in doomed:
            _drop(element)

    # --- 2. and 3. what a block says and links to -------------------------------------
    def _drop_by_content(self, container: HtmlElement) -> None:
        dropped = False
        for element in list(container.iter(*_BLOCKS)):
            if element is container:
                continue
            if dropped and not _attached(element, container):
                continue  # inside a block dropped already
            tag = element.tag
            if tag in _INLINE and element.getparent().tag not in _CONTAINERS:
                # A link or span inside a sentence is part of the sentence, unless it is a button.
                if tag == "a" and self._is_button(element):
                    self._drop_call_to_action(element, container)
                    dropped = True
                continue
            text = squash(element.text_content())
            if not text:
                continue
            if self._is_furniture_block(element, tag, text, container):
                dropped = True

    def _is_furniture_block(
        self, element: HtmlElement, tag: str, text: str, container: HtmlElement
    ) -> bool:
        """Judge one block by what it says and links to; drop it (and what it introduces)."""
        if len(text) <= 40 and text.strip(_SEPARATORS).casefold() in AD_LABELS:
            _drop(element)
            return True
        if tag == "a" and self._is_button(element):
            self._drop_call_to_action(element, container)
            return True
        if len(text) > SHORT_BLOCK:
            return False
        lead = READ_ALSO.match(text)
        if lead and len(text) - lead.end() <= 3:  # a heading: what follows is the list
            nxt = element.getnext()
            if nxt is not None and self._mostly_links(nxt, squash(nxt.text_content())):
                _drop(nxt)
                _drop(element)
                return True
            return False
        anchors = self._anchors(element)
        if not anchors:
            return False  # every rule below is about links
        if lead:
            furniture = self._linked_share(anchors, text[lead.end() :]) >= 0.6
        else:
            furniture = _calls_to_act(text) or self._link_block(anchors, text)
        if furniture:
            _drop(element)
        return furniture

    @staticmethod
    def _anchors(element: HtmlElement) -> list[HtmlElement]:
        anchors = [element] if element.tag == "a" else list(element.iter("a"))
        return [a for a in anchors if a.get("href")]

    @staticmethod
    def _linked_share(anchors: list[HtmlElement], text: str) -> float:
        """Share of the letters of ``text`` that are link text."""
        letters = _letters(text)
        if not letters:
            return 0.0
        linked = sum(_letters(a.text_content()) for a in anchors)
        return min(linked / letters, 1.0)

    def _mostly_links(self, element: HtmlElement, text: str) -> bool:
        return self._link_block(self._anchors(element), text)

    def _link_block(self, anchors: list[HtmlElement], text: str) -> bool:
        """Nearly all links: to other pages of this site (navigation) or only to social networks
        ("follow us"); never when one of them is a document."""
        if not anchors or not text or len(text) > SHORT_BLOCK:
            return False
        if self._linked_share(anchors, text) < LINK_SHARE:
            return False
        hrefs = [a.get("href", "").strip() for a in anchors]
        if any(_DOCUMENT.search(href.split("?")[0]) for href in hrefs):
            return False
        if any(self._internal(href) for href in hrefs):
            return True
        return len(text) <= 100 and all(_host(href) in SOCIAL_HOSTS for href in hrefs)

    def _internal(self, href: str) -> bool:
        parts = split(href)
        if parts is None or (parts.scheme and parts.scheme not in ("http", "https")):
            return False
        host = (parts.hostname or "").lower()
        return not host or (host[4:] if host.startswith("www.") else host) == self.host

    @staticmethod
    def _is_button(link: HtmlElement) -> bool:
        """A link styled as a button (padding and a border), unless it downloads a document."""
        style = link.get("style") or ""
        return (
            bool(_BUTTON_STYLE.search(style))
            and "border" in style.lower()
            and not _links_a_document(link)
        )

    @staticmethod
    def _drop_call_to_action(link: HtmlElement, container: HtmlElement) -> None:
        """The button and the short box it sits in (the box's top-level ancestor)."""
        box = link
        while box.getparent() is not None and box.getparent() is not container:
            box = box.getparent()
        if box.getparent() is container and len(squash(box.text_content())) <= SHORT_BLOCK:
            _drop(box)
        else:
            _drop(link)


def _holds_text_blocks(figure: HtmlElement) -> bool:
    return any(True for _ in figure.iter("table", "blockquote"))


def _links_a_document(element: HtmlElement) -> bool:
    anchors = [element] if element.tag == "a" else element.iter("a")
    return any(_DOCUMENT.search((a.get("href") or "").split("?")[0].strip()) for a in anchors)


def _attached(element: HtmlElement, container: HtmlElement) -> bool:
    return any(ancestor is container for ancestor in element.iterancestors())


def _drop(element: HtmlElement) -> None:
    """Remove an element and its subtree, keeping the text that follows it."""
    if element.getparent() is not None:
        element.drop_tree()
