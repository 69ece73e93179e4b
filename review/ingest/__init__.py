"""Ingest: read articles from files, folders, feeds, URLs, the paste form and the API, and store them.

The pipeline, one module per step:

- :mod:`~review.ingest.files` walks files and folders (the one walker, shared with the ClaimReview import);
- :mod:`~review.ingest.formats` tells text, HTML, JSON, JSONL and feeds apart (the one detector);
- :mod:`~review.ingest.readers` turns a file's bytes into :class:`~review.ingest.records.Item` objects,
  each a record or the reason one could not be read (:mod:`~review.ingest.html` reads pages,
  :mod:`~review.ingest.fetch` fetches URLs, refusing private addresses);
- :mod:`~review.ingest.records` is the record's shape and the one place its fields are normalized;
- :mod:`~review.ingest.store` is the one path that stores documents, for the web, the API and the CLI,
  reporting each record in a :class:`~review.reports.Report`.

To add a format: name its suffixes in ``formats.FORMATS_BY_SUFFIX`` (and its content signature in
``formats.detect_format``), and add a reader yielding Items to ``readers.read_bytes``.
"""
