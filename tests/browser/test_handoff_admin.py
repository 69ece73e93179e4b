"""Admin: resetting a password and deactivating ask first; each action says what it did; one message per refusal."""

from playwright.sync_api import expect


def test_admin_actions_ask_first_and_say_what_they_did(page, live_server, sign_in, problems):
    sign_in("admin")
    page.get_by_role("link", name="Admin", exact=True).click()
    dialog = page.get_by_role("dialog")

    # Reset password: asked first; Cancel changes nothing.
    page.get_by_role("button", name="Reset password of checker").click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Reset the password of checker?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text("New password for checker")).to_have_count(0)
    page.get_by_role("button", name="Reset password of checker").click()
    dialog.get_by_role("button", name="Reset password").click()
    expect(page.get_by_role("status").filter(has_text="New password for checker:")).to_be_visible()

    # Deactivate: asked first, then confirmed in words.
    page.get_by_role("button", name="Deactivate checker").click()
    expect(dialog).to_contain_text("Deactivate checker? Their sessions and API tokens end at once")
    dialog.get_by_role("button", name="Deactivate checker").click()
    expect(page.get_by_role("status").filter(has_text="checker deactivated")).to_be_visible()
    expect(page.get_by_role("button", name="Activate checker")).to_be_visible()

    # A refused form: the reason beside its field, and no toast on top; the next success clears it.
    problems.allow(409)  # the name is taken
    form = page.locator("form", has=page.get_by_role("button", name="Add user"))
    form.get_by_label("Username").fill("editor")
    form.get_by_label("Password").fill("long enough pw")
    form.get_by_role("button", name="Add user").click()
    field_error = form.locator(".field-error")
    expect(field_error).to_be_visible()
    expect(page.locator("#toasts .toast-error")).to_have_count(0)
    form.get_by_label("Username").fill("newcomer")
    form.get_by_label("Password").fill("long enough pw")
    form.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("status").filter(has_text="User newcomer created.")).to_be_visible()
    expect(field_error).to_have_count(0)
