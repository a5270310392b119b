"""Importing an article's text: pasted, uploaded or fetched from its web address.

Every entry point returns an :class:`~claims.importing.cleaning.ImportedText` whose ``text``
went through :func:`claims.text.normalize.normalize` and is never empty, or raises an
:class:`~claims.importing.errors.ArticleImportError` with a stable ``code`` and a translated
message for the editor. Whatever the import changes besides normalisation (an encoding
guessed, control characters removed, boilerplate dropped from a web page) is said in
``notices``, so nothing changes silently.

The modules, from the bottom up (each imports only those above it):

- :mod:`~claims.importing.errors` — :class:`ArticleImportError`, :class:`FetchError` and the
  sentences they carry;
- :mod:`~claims.importing.encoding` — bytes → text, the one decoder for uploads and fetched
  pages (byte order marks, declared charsets, detection), and the binary-file sniffer;
- :mod:`~claims.importing.cleaning` — :class:`ImportedText` and the checks and cleaning every
  decoded text goes through;
- :mod:`~claims.importing.html` — a web page → its article and metadata (trafilatura);
- :mod:`~claims.importing.upload` — pasted text and uploaded files;
- :mod:`~claims.importing.fetch` — a web address → its article, with the SSRF guard.

Django is used only for translating messages and formatting numbers in them (and ``fetch``
for its settings), so messages must be built while the editor's language is active.
"""
