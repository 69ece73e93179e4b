"""The web views, one blueprint per area: sign-in, the queue, the claim workspace, triage, evidence, verdicts,
documents, search, administration, the JSON API and the public pages.

The workspace's panels and the answers that swap them live in ``panels``; the views read the
request, call one ``review`` function and answer through it.
"""
