"""Account preferences: the language each account reads the site and its e-mails in (issue 13)."""
