"""Pages: the public programme, the legal notice, privacy and accessibility pages, the
dashboard and the context every template gets."""
