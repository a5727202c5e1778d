"""Results decks: a unit's figures back to it as PowerPoint (`nuso report`)."""
