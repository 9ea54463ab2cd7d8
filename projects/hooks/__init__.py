"""One module per feature registering its sections, stage guards and demo steps."""
