"""The API through which case systems deliver registrations (docs/api.md, decision 0020)."""
