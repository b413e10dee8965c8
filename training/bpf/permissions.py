"""Who may see and export the BPF and correct the enrolments' BPF data (named predicates)."""

from training.access import permissions


def can_manage_bpf(user) -> bool:
    """Return whether the user exports the BPF and edits enrolments' BPF data (administrators)."""
    return permissions.can_administer(user)
