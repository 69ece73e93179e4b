"""The ClaimReview pipeline: other fact-checkers' reviews in, our published verdicts out.

Import (files and uploads into ``prior_reviews``):
    jsonld    reading schema.org JSON-LD values (prefixed names, @id references, text, numbers, URLs)
    find      finding ClaimReview nodes in any shape (@graph, arrays, DataFeed, nesting, Fact Check Tools API)
    record    one ClaimReview node to our fields (rating, publisher, claimant, dates, language)
    pages     JSON-LD and microdata in HTML pages
    read      a file's bytes (JSON, JSONL, HTML) to findings with positions
    store     storing findings as prior reviews, one transaction per file, with an outcome per record

Export (published verdicts out):
    build     the ClaimReview of a verdict, and the publishing organization
    validate  the problems that block approval and export
    export    DataFeed, JSON Lines and CSV

Import the module you need (``from review.claimreview.store import import_paths``):
this package re-exports nothing, so the verdict transitions can import the
validator without loading the importer or the exporter.
"""
