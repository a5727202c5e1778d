"""Reading, interpreting and storing a delivery: files, their tables and records, identity
numbers and pseudonyms, the column blocks records are stored in, and the import workers."""
