"""The signup portal of member companies: apply, upload documents, follow status, invite colleagues, withdraw."""
