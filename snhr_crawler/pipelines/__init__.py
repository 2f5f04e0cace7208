"""Item pipelines, one per module, in order: normalize, validate, dedupe, archive."""
