"""Attendance (émargement): the rolling code and its QR code, signatures, the trainer's
console and attestation, corrections, hours attended and the exports."""
