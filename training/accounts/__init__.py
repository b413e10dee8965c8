"""Accounts: the user model, email login (with the throttling backend), the profile."""
