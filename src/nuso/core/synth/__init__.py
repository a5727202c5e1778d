"""Synthetic data that looks like the real thing, with the truth known: municipal referral
exports in many dialects (`referrals`) and the closed-investigation survey
(`investigations`). Same seed, same bytes."""
