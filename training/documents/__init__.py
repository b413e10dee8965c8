"""Session documents (PDF): handout, bibliography, internet resources, attendance sheet,
convocations, certificates of completion and end-of-training attestations.

- ``registry``: the kinds of documents (template, personal or not, who may download them);
- ``data``: what a session's documents are made from, read once per batch;
- ``builders``: the context of each kind; ``rendering``: HTML, fingerprint and PDF;
- ``services``: ``document_get`` (cached rendering), ZIP bundles, writing to a folder;
- ``selectors``: what a trainee may download.
"""
