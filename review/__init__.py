"""The Claimdesk domain: plain functions over the store (review.storage). No Flask here."""
