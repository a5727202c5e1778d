"""Collecting records in the platform: social workers' registrations in web forms (drafts
saved as they type), the follow-up of one intervention over its occasions, collection periods
and case systems' deliveries through the API (issue 19)."""
