"""Analysis for the platform: the stored records as the engine's input, cached results, and
the table files. The statistics themselves live in nuso.core.analysis.indicators (no Django
there)."""
