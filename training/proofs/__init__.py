"""The proof pack of a session (« dossier de preuves »): what an auditor or a funder asks for,
in one ZIP with an index, a manifest of SHA-256 fingerprints signed with the organisation's
Ed25519 key, and ``verify_pack`` to check it offline. See README.md in this folder."""
