"""The publishing organization and public URLs, from configuration."""

from flask import current_app

from review.claimreview.build import Publisher


def publisher() -> Publisher:
    config = current_app.config
    return Publisher(name=config["ORG_NAME"], url=config.get("ORG_URL") or "", public_url=config["PUBLIC_URL"])


def workflow_settings() -> dict:
    return {"publisher": publisher(), "require_other_approver": bool(current_app.config["REQUIRE_DIFFERENT_APPROVER"])}
