"""Only safe values stored: web links only, bounded fields, and a CSV no spreadsheet runs."""

from __future__ import annotations

import csv
import io

from snhr_crawler import cli
from tests.hostile.cases import case
from tests.hostile.lab import Lab, Seen
from tests.hostile.server import Answer, serve
from tests.hostile.site import Post, article_page, honest_site, posts

UNSAFE = ("javascript:", "data:", "file:", "vbscript:")


@case("javascript:, data: and file: URLs in attachments, images, translations", "unsafe")
async def unsafe_urls(lab: Lab) -> Seen:
    made = posts(3)
    target = made[0]
    site = honest_site(made)
    body = (
        "<p>The report is published today in full.</p>"
        '<p><a href="javascript:alert(1)//report.pdf">Report (PDF)</a> '
        '<a href="data:application/pdf;base64,JVBERi0=">Annex.pdf</a> '
        '<a href="file:///etc/passwd.pdf">Local.pdf</a> '
        '<a href=" JaVaScRiPt:alert(2)">click</a> '
        '<a href="/wp-content/uploads/2024/05/real.pdf">The real report</a></p>'
        '<figure><img src="data:image/svg+xml;base64,PHN2Zz4="><figcaption>x</figcaption></figure>'
    )
    switch = (
        '<div class="snhr-available-in">'
        '<a hreflang="ar" href="javascript:alert(3)">العربية</a>'
        '<a hreflang="fr" href="file:///c:/x">Français</a></div>'
    )
    head = '<meta property="og:image" content="javascript:alert(4)">'
    site.routes[target.path] = Answer(body=article_page(target, head=head, body=body + switch))
    with serve(site):
        result = await lab.crawl(site)
    record = lab.records()[target.key]
    links = [a["url"] for a in record["attachments"]] + [i["url"] for i in record["images"]]
    links += list(record["translations"].values())
    assert links == ["https://news.hostile.test/wp-content/uploads/2024/05/real.pdf"]
    assert not any(bad in record["body_html"].lower() for bad in UNSAFE)
    dropped = sum(v for k, v in result.stats.items() if k.startswith("snhr/article/unsafe_url/"))
    assert dropped >= 2
    assert lab.verify().ok
    return Seen(
        "only the https link kept; body links kept as text", f"snhr/article/unsafe_url/*={dropped}"
    )


@case("CSV export of formula-leading cells", "unsafe")
async def csv_formulas(lab: Lab) -> Seen:
    made = [
        Post(301, title='=HYPERLINK("https://evil.example","Open")'),
        Post(302, title="+1 killed"),
        Post(303, title="@SUM(A1)"),
    ]
    site = honest_site(made)
    with serve(site):
        await lab.crawl(site)
    titles = {}
    for name, flags in (("out.csv", []), ("raw.csv", ["--raw"])):
        out = lab.root / name
        code = cli.main(["export", "--archive", str(lab.archive), "-o", str(out), *flags])
        assert code == 0
        titles[name] = {row["title"] for row in csv.DictReader(io.StringIO(out.read_text("utf-8")))}
    assert titles["out.csv"] == {"'" + post.title for post in made}
    assert titles["raw.csv"] == {post.title for post in made}
    return Seen("cells start with ' (--raw: as archived)", "export csv: 3 of 3 neutralised")


@case("a 10 MB title", "unsafe")
async def huge_title(lab: Lab) -> Seen:
    made = posts(3)
    target = made[0]
    site = honest_site(made)
    title = "Shelling of the market " * (10 * 1024 * 1024 // 23)
    site.routes[target.path] = Answer(body=article_page(target, title=title, head_title="T"))
    with serve(site):
        result = await lab.crawl(site)
    record = lab.records()[target.key]
    assert len(record["title"]) == 1000
    assert record["truncated"] == ["title"]
    assert result.stat("snhr/article/truncated/title") == 1
    assert lab.verify().ok
    return Seen(
        "title cut to 1,000 characters, truncated: [title]", "snhr/article/truncated/title=1"
    )
