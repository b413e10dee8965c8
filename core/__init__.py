"""Technical helpers shared by every app, with no models and no knowledge of the course.

- ``downloads``: the one way to answer a file download (name, disposition, caching);
- ``spreadsheets``: CSV and XLSX exports with the French conventions and formula escaping;
- ``pdf``: WeasyPrint with a fetcher restricted to our files;
- ``uploads``: checks of uploaded images and PDFs by their content;
- ``typography``: French non-breaking spaces for screen and print;
- ``fields``: model choice fields that refuse out-of-range ids.

Imports nothing from the project: it is the lowest layer (see the import contract in
``pyproject.toml``).
"""
