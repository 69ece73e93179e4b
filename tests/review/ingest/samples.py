"""Sample articles, pages and feeds for the ingest tests, and helpers to write them."""

import json

ARTICLE = "Crime fell by 12 percent in Riverton last year, the police chief said on Monday.\n\n" \
          "The city hired 40 new officers in 2023, according to the budget office."
HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Council approves budget | Riverton Herald</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T09:30:00Z">
<meta property="og:site_name" content="Riverton Herald">
<meta property="og:title" content="Council approves $2.5 million budget">
<link rel="canonical" href="https://herald.example/2024/budget">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Council approves $2.5 million budget</h1>
<p>The Riverton city council approved a budget of $2.5 million on Tuesday, the mayor said.</p>
<p>Spending on schools rose by 12 percent compared with last year, according to the finance office.</p>
<p>Unemployment in the county fell to 4.1 percent in January, official figures showed.</p>
</article>
<footer>Copyright 2023 Riverton Herald. All rights reserved.</footer>
</body></html>
"""
RSS_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbor Gazette</title><language>en-gb</language>
<item><title>Ferry fares rise</title><link>https://gazette.example/ferry</link>
<pubDate>Tue, 05 Mar 2024 09:30:00 GMT</pubDate><guid>gazette-1</guid>
<description>&lt;p&gt;Ferry fares will rise by 9 percent in April, the operator said.&lt;/p&gt;
&lt;p&gt;Last year 1.2 million passengers used the ferry.&lt;/p&gt;</description></item>
<item><title>Harbor dredging starts</title><link>https://gazette.example/dredging</link>
<pubDate>Wed, 06 Mar 2024 10:00:00 GMT</pubDate>
<description>Dredging of the main channel started on Wednesday and will cost $3 million, officials said.
</description></item>
</channel></rss>
"""
ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Times</title>
<entry><title>Rainfall record</title><link href="https://valley.example/rain"/><id>urn:valley:1</id>
<updated>2024-02-01T08:00:00Z</updated><author><name>Sam Lee</name></author>
<content type="html">&lt;p&gt;February brought 210 millimetres of rain, the most since 1921, the weather service
said.&lt;/p&gt;&lt;script&gt;track()&lt;/script&gt;</content>
</entry></feed>
"""


def documents(db) -> list[dict]:
    return list(db.query("SELECT * FROM documents ORDER BY id"))


def write(path, content) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def jsonl(*records) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)

