"""Harmonising values into the national codebook: normalising, the matching cascade,
suggestions, the codebook and the study dictionaries (with the tables they declare)."""
