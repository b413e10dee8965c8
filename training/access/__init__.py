"""Roles, permission predicates and view mixins: the layer every app may import.

Imports nothing else of the project (see the import contract in pyproject.toml).
"""
