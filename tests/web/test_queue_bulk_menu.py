"""The queue's bulk menu offers what the user's role may do (review.queue.bulk_actions_for), nothing it would refuse."""

import lxml.html


def bulk_menu(client) -> dict[str, str]:
    page = lxml.html.fromstring(client.get("/").data)
    [menu] = page.xpath('//form[@id="bulk-form"]//select[@name="bulk_action"]')
    return {option.get("value"): option.text_content() for option in menu.iter("option")}


def test_a_checker_is_not_offered_bulk_assign(logged_in):
    checker = logged_in("checker")
    assert bulk_menu(checker) == {"accept": "Accept", "dismiss": "Dismiss", "tag": "Tag",
                                  "merge": "Merge into the first selected"}
    assert b'aria-label="Assign to"' not in checker.get("/").data


def test_an_editor_is_offered_every_bulk_action(logged_in):
    editor = logged_in("editor")
    assert list(bulk_menu(editor)) == ["accept", "dismiss", "assign", "tag", "merge"]
    assert b'aria-label="Assign to"' in editor.get("/").data
