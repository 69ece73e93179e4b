"""Reading: each format into records, folders in order, and unreadable input named by file and line."""

import json
import os

import pytest

from review.ingest.files import measure_paths, read_files
from review.ingest.formats import detect_format
from review.ingest.readers import read_path, read_upload
from review.ingest.store import ingest_paths
from tests.review.ingest.samples import ARTICLE, ATOM_FEED, HTML_PAGE, RSS_FEED, documents, jsonl, write


# -- formats -------------------------------------------------------------------
def test_plain_text_takes_its_first_line_as_title_and_the_file_name_as_source(db, tmp_path):
    path = write(tmp_path / "riverton-police.txt", "Crime falls in Riverton\n\n" + ARTICLE)
    summary = ingest_paths(db, [path])
    assert (summary.added, summary.failed) == (1, 0)
    [doc] = documents(db)
    assert doc["title"] == "Crime falls in Riverton"
    assert doc["body"].startswith("Crime fell by 12 percent") and doc["source"] == "riverton-police"
    assert doc["origin"] == "file"


def test_markdown_heading_becomes_the_title(db, tmp_path):
    ingest_paths(db, [write(tmp_path / "note.md", "# Officers hired\n\n" + ARTICLE)], source="Riverton Herald")
    [doc] = documents(db)
    assert (doc["title"], doc["source"]) == ("Officers hired", "Riverton Herald")


def test_html_page_gives_main_text_title_author_date_and_site(db, tmp_path):
    ingest_paths(db, [write(tmp_path / "budget.html", HTML_PAGE)])
    [doc] = documents(db)
    assert doc["title"] == "Council approves $2.5 million budget"
    assert doc["author"] == "Jane Doe" and doc["source"] == "Riverton Herald"
    assert doc["published_at"] == "2024-03-05" and doc["language"] == "en"
    assert doc["url"] == "https://herald.example/2024/budget"
    assert doc["body"].startswith("The Riverton city council approved")
    assert "Home" not in doc["body"] and "Copyright" not in doc["body"]


def test_html_page_without_a_declared_date_gets_none_not_the_copyright_year(db, tmp_path):
    page = HTML_PAGE.replace('<meta property="article:published_time" content="2024-03-05T09:30:00Z">', "")
    ingest_paths(db, [write(tmp_path / "budget.htm", page)])
    assert documents(db)[0]["published_at"] is None


def test_json_array_maps_field_names_and_the_records_source_wins(db, tmp_path):
    records = [
        {"id": "a-1", "title": "Ferry fares", "text": "Ferry fares will rise by 9 percent in April, the operator said.",
         "date": "March 5, 2024", "source": "Harbor Gazette", "url": "https://gazette.example/1", "language": "en"},
        {"newid": 7, "title": "Dredging", "body": "Dredging will cost $3 million, officials said on Wednesday.",
         "published_at": "2024-03-06T10:00:00Z"},
    ]
    summary = ingest_paths(db, [write(tmp_path / "export.json", json.dumps(records))], source="Wire")
    assert summary.added == 2
    first, second = documents(db)
    assert (first["source"], first["external_id"], first["published_at"]) == ("Harbor Gazette", "a-1", "2024-03-05")
    assert (first["url"], first["language"]) == ("https://gazette.example/1", "en")
    assert (second["source"], second["external_id"]) == ("Wire", "7")
    assert second["published_at"] == "2024-03-06T10:00:00+00:00"


def test_a_single_json_object_is_one_record(db, tmp_path):
    ingest_paths(db, [write(tmp_path / "one.json", json.dumps({"title": "One", "body": ARTICLE}))])
    assert [d["source"] for d in documents(db)] == ["one"]


def test_jsonl_records_with_reuters_style_fields(db, tmp_path):
    path = write(tmp_path / "wire.jsonl", jsonl(
        {"newid": 1, "date": "26-FEB-1987 15:01:01.79", "title": "COCOA REVIEW",
         "body": "Arrivals for the week ended February 22 were 155,221 bags of 60 kilos, exporters said."},
        {"newid": 2, "date": "26-FEB-1987 15:02:20.00", "date_iso": "1987-02-26T15:02:20", "title": "OIL",
         "body": "Output rose to 2.5 mln barrels a day in January, the ministry said."},
    ))
    ingest_paths(db, [path])
    assert [(d["title"], d["published_at"], d["source"]) for d in documents(db)] == [
        ("COCOA REVIEW", "1987-02-26T15:01:01", "wire"), ("OIL", "1987-02-26T15:02:20", "wire")]


def test_rss_feed_entries_become_documents_with_text_stripped_of_html(db, tmp_path):
    summary = ingest_paths(db, [write(tmp_path / "gazette.rss", RSS_FEED)])
    assert summary.added == 2
    ferry, dredging = documents(db)
    assert (ferry["title"], ferry["url"], ferry["source"]) == ("Ferry fares rise", "https://gazette.example/ferry",
                                                               "Harbor Gazette")
    assert ferry["body"] == ("Ferry fares will rise by 9 percent in April, the operator said.\n\n"
                             "Last year 1.2 million passengers used the ferry.")
    assert (ferry["published_at"], ferry["language"], ferry["external_id"]) == ("2024-03-05T09:30:00+00:00", "en-gb",
                                                                                "gazette-1")
    assert ferry["origin"] == "feed" and dredging["published_at"] == "2024-03-06T10:00:00+00:00"


def test_atom_feed_is_recognized_by_content_without_a_suffix(db, tmp_path):
    ingest_paths(db, [write(tmp_path / "valley-feed", ATOM_FEED)], source="Valley Times (Atom)")
    [doc] = documents(db)
    assert (doc["title"], doc["author"], doc["url"]) == ("Rainfall record", "Sam Lee", "https://valley.example/rain")
    assert doc["body"] == "February brought 210 millimetres of rain, the most since 1921, the weather service said."
    assert doc["source"] == "Valley Times (Atom)" and doc["published_at"] == "2024-02-01T08:00:00+00:00"


def test_folders_are_read_recursively_in_name_order_skipping_hidden_files(db, tmp_path):
    root = tmp_path / "inbox"
    write(root / "b" / "second.txt", "Second story\n\nPrices rose by 3 percent in May, the statistics office said.")
    write(root / "a.txt", "First story\n\nThe bridge carried 20,000 cars a day in 2023, the council said.")
    write(root / "b" / "c" / "third.jsonl", jsonl({"title": "Third story", "body": ARTICLE}))
    write(root / ".hidden.txt", "Hidden story\n\nThis should never be imported into the desk at all.")
    write(root / ".git" / "notes.txt", "Git notes\n\nThis should never be imported into the desk either.")
    summary = ingest_paths(db, [str(root)])
    assert (summary.added, summary.failed) == (3, 0)
    assert [d["title"] for d in documents(db)] == ["First story", "Third story", "Second story"]  # a, b/c/..., b/s...


def test_progress_reports_every_byte_of_the_files(db, tmp_path):
    write(tmp_path / "in" / "x.jsonl", jsonl({"body": ARTICLE}, {"body": "Prices rose by 3 percent in May, it said."}))
    write(tmp_path / "in" / "y.rss", RSS_FEED)
    seen = []
    ingest_paths(db, [str(tmp_path / "in")], progress=lambda outcome, advanced: seen.append(advanced))
    assert len(seen) == 4 and sum(seen) == measure_paths([str(tmp_path / "in")])



@pytest.mark.parametrize("name, content, message", [
    ("notes.txt", b"Title\n\nIt cost \xe9 5 million, he said.\n", "notes.txt:3: not UTF-8 (byte 0xe9 at offset 8)"),
    ("scan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "scan.pdf: unknown format: expected text, Markdown, HTML, "
                                                        "JSON, JSONL or an RSS/Atom feed (this looks like a PDF file)"),
    ("blob.dat", bytes(range(256)) * 4, "blob.dat: unknown format: expected text, Markdown, HTML, JSON, JSONL or "
                                        "an RSS/Atom feed"),
    ("list.json", b'[{"title": "A", "body": "Sales rose 4 percent."}, "oops"]',
     "list.json:record 2: not a JSON object (got a string)"),
    ("broken.json", b'{"title": "A",\n "body": "x",\n}', "broken.json:3: malformed JSON: Expecting property name "
                                                          "enclosed in double quotes (column 1)"),
    ("count.json", b"42", "count.json: expected a JSON object or an array of objects, got a number"),
    ("fields.jsonl", b'{"title": "A", "content": "Sales rose."}\n', 'fields.jsonl:1: no "body" or "text" field'),
    ("nested.jsonl", b'{"title": "A", "body": {"text": "x"}}\n', 'nested.jsonl:1: field "body" is not text (got an '
                                                                 "object)"),
    ("sitemap.xml", b"<?xml version='1.0'?><urlset><url><loc>https://x.example/</loc></url></urlset>",
     "sitemap.xml: not an RSS or Atom feed"),
])
def test_unreadable_records_get_a_specific_message(db, tmp_path, name, content, message):
    summary = ingest_paths(db, [write(tmp_path / name, content)])
    assert summary.problems == [f"{tmp_path}{os.sep}{message}"]


def test_missing_and_unreadable_files_are_failures(db, tmp_path):
    folder = tmp_path / "in"
    write(folder / "good.txt", "Good story\n\n" + ARTICLE)
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    summary = ingest_paths(db, [str(tmp_path / "nowhere.txt"), str(folder)])
    assert summary.problems == [f"{tmp_path / 'nowhere.txt'}: cannot read file (no such file or folder)",
                                f"{folder / 'dangling.txt'}: cannot read file (no such file or folder)"]
    assert summary.added == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_a_file_without_read_permission_is_a_failure(db, tmp_path):
    path = tmp_path / "secret.txt"
    write(path, ARTICLE)
    path.chmod(0)
    assert ingest_paths(db, [str(path)]).problems == [f"{path}: cannot read file (Permission denied)"]


def test_upload_yields_records_and_failures_named_by_the_file_name():
    items = list(read_upload("/home/me/wire.jsonl", b'{"title": "A", "body": "Sales rose 4 percent."}\n{oops\n',
                             source="Wire"))
    assert [(i.record["title"], i.record["source"], i.origin) for i in items if i.record] == [("A", "Wire", "upload")]
    assert [i.message for i in items if i.error] == [
        "wire.jsonl:2: malformed JSON: Expecting property name enclosed in double quotes (column 2)"]


def test_read_path_yields_records_with_their_positions(tmp_path):
    path = write(tmp_path / "x.json", json.dumps([{"body": "a b"}, {"body": "c d"}]))
    assert [(item.position, item.record["body"]) for item in read_path(path)] == [("record 1", "a b"),
                                                                                 ("record 2", "c d")]




# -- the one detector and the one walker -----------------------------------------------
@pytest.mark.parametrize("name, data, kind", [
    ("notes.md", b"# Title", "text"),
    ("page.HTM", b"anything", "html"),
    ("feed.jsonld", b"{}", "json"),
    ("wire.ndjson", b"{}", "jsonl"),
    ("feed.xml", b"<rss/>", "feed"),
    ("saved", b"\xef\xbb\xbf  <!DOCTYPE html><html><body>x</body></html>", "html"),
    ("fragment", b'<div itemscope itemtype="https://schema.org/ClaimReview">', "html"),
    ("atom", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>', "feed"),
    ("export", b'[{"body": "x"}]', "json"),
    ("lines", b'{"body": "x"}\n{"body": "y"}\n', "json"),
    ("readme", b"Plain words < and > in text.", "text"),
    ("report", b"%PDF-1.7 ...", None),
    ("blob", b"\x00\x01\x02\x03" * 100, None),
])
def test_detect_format_by_suffix_then_content(name, data, kind):
    assert detect_format(name, data) == kind


def test_the_walker_filters_folder_contents_by_suffix_and_follows_a_link_loop_once(tmp_path):
    folder = tmp_path / "in"
    write(folder / "b.json", "{}")
    write(folder / "a.txt", "x")
    write(folder / "sub" / "c.JSONL", "{}")
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    found = [file.path.relative_to(folder).as_posix() for file in read_files([folder], suffixes=(".json", ".jsonl"))]
    assert found == ["b.json", "sub/c.JSONL"]
    [alone] = read_files([folder / "a.txt"], suffixes=(".json",))  # a file named on its own is read anyway
    assert alone.data == b"x" and alone.problem == ""
    [missing] = read_files([tmp_path / "gone"])
    assert missing.problem == "cannot read file (no such file or folder)"
