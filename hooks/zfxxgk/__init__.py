"""The 政府信息公开 platform: catalogues, document metadata, layout and generated pages.

The MkDocs hook files in ``hooks/`` are thin: they register events and
delegate to the modules of this package.
"""
