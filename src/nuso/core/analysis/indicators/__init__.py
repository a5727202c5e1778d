"""The analysis engine: data-driven table definitions, counting at every level, disclosure
control, comparisons with intervals and significance, and Swedish guidance sentences."""
