"""Personal API tokens: named, scoped, expiring, revocable, stored only as a hash (issue 15)."""
