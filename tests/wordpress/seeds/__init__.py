"""Seeds of the test-only sources."""
