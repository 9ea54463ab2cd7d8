"""One module per feature registering its runtime plug-ins: sections and stage guards (demo data lives in ``demo/``)."""
