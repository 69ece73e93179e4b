"""An admin action redirects, and its message shows on the page it lands on."""

from playwright.sync_api import expect


def test_adding_a_user_says_so_after_the_redirect(page, live_server, sign_in):
    sign_in("admin")
    page.get_by_role("link", name="Admin", exact=True).click()
    expect(page.get_by_role("heading", name="Add a user")).to_be_visible()
    form = page.locator("form", has=page.get_by_role("button", name="Add user"))
    form.get_by_label("Username").fill("newbie")
    form.get_by_label("Password").fill("long enough pw")
    form.get_by_role("button", name="Add user").click()
    expect(page.locator("#toasts")).to_contain_text("User newbie created.")
    expect(page.locator("table.users")).to_contain_text("newbie")
    # The message is shown once: the next page has no toast of its own.
    page.get_by_role("link", name="Rating scale").click()
    expect(page.get_by_role("link", name="Rating scale")).to_have_attribute("aria-current", "page")
    page.reload()
    expect(page.locator("#toasts")).not_to_contain_text("User newbie created.")


def test_signing_out_says_so(page, live_server, sign_in):
    sign_in("checker")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("#toasts")).to_contain_text("Signed out.")
