"""The NUSO domain, free of Django: reference data, codebooks, reading and harmonising files,
pseudonyms, statistics and disclosure control. Functions over plain data and Polars frames,
testable without a database. A test fails if anything here imports Django.
"""
