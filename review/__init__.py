"""The Claimdesk domain: plain functions over a sqlite_utils.Database. No Flask here."""
