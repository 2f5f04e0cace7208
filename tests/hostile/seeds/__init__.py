"""Seeds of the hostile test source."""
